import { SALES_ORIGINATED_KIND, UNASSIGNED, UNKNOWN_SOURCE, UNSPECIFIED_SOURCE_KIND, type KpiReport } from '../../lib/domain/kpis';
import { HandoffSourceKindSchema } from '../../lib/domain/events';
import { LOCAL_ACTOR_PREFIX } from '../../lib/domain/events';
import type { MessageKey, Translate } from '../../lib/i18n';

/** How the KPI page (and its CSV) names a rep group and a source group. */
export interface GroupNames {
  rep(key: string): string;
  source(key: string): string;
  /** A `bySourceKind` key: how the hand-offs arrived. */
  sourceKind(key: string): string;
}

export function groupNames(report: Pick<KpiReport, 'repNames'>, t: Translate): GroupNames {
  const signalName = (signal: string) => {
    const text = t(`signal.${signal}` as MessageKey);
    return text === `signal.${signal}` ? signal : text;
  };
  return {
    rep(key) {
      if (key === UNASSIGNED) return t('kpi.unassigned');
      // A rep who decided before signing in has a nameless local actor. Once synced, every browser
      // of the team sees it, so it is not "this browser's rep": the id's end tells such reps apart.
      return report.repNames[key] || (key.startsWith(LOCAL_ACTOR_PREFIX) ? t('kpi.localUser', { suffix: key.slice(-4) }) : key);
    },
    source(key) {
      if (key === UNKNOWN_SOURCE) return t('kpi.unknownSource');
      return key.startsWith('sales:') ? t('kpi.salesOriginated', { signal: signalName(key.slice('sales:'.length)) }) : key;
    },
    sourceKind(key) {
      if (key === SALES_ORIGINATED_KIND) return t('kpi.sourceKind.sales');
      if (key === UNSPECIFIED_SOURCE_KIND) return t('handoff.sourceKind.unspecified');
      const kind = HandoffSourceKindSchema.safeParse(key);
      return kind.success ? t(`handoff.sourceKind.${kind.data}`) : key;
    },
  };
}
