import { useSyncExternalStore } from 'react';
// the nav's and the trend charts' styles, beside the shared page.css its entrypoint loads
import '../trends/trends.css';
import { useI18n } from '../shared/use-i18n';
import { TrendsApp } from '../trends/TrendsApp';
import { KpiApp } from './KpiApp';

export type KpiPageView = 'kpis' | 'trends';

/** The view a URL fragment names: `#trends`, else the KPIs (so `kpis.html` alone opens as before). */
export const kpiPageViewOf = (hash: string): KpiPageView => (hash === '#trends' ? 'trends' : 'kpis');

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

/**
 * The KPI page: the period's KPIs or their trends, switched by two links (the fragment keeps the
 * choice across reloads and makes `kpis.html#trends` linkable; links need no extra keyboard code).
 */
export function KpiPage() {
  const { t } = useI18n();
  const view = useSyncExternalStore(subscribe, () => kpiPageViewOf(window.location.hash));
  return (
    <>
      <nav className="sal-kpis__nav" aria-label={t('trend.nav')}>
        <a href="#kpis" aria-current={view === 'kpis' ? 'page' : undefined}>
          {t('trend.nav.kpis')}
        </a>
        <a href="#trends" aria-current={view === 'trends' ? 'page' : undefined}>
          {t('trend.nav.trends')}
        </a>
        {/* the lead review meeting is a page of its own (review.html), opened in place */}
        <a href="review.html">{t('review.open')}</a>
      </nav>
      {view === 'trends' ? <TrendsApp /> : <KpiApp />}
    </>
  );
}
