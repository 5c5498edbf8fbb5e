import type { KpiGroup, KpiReport, RateFigure } from '../../lib/domain/kpis';
import { UNASSIGNED, UNKNOWN_SOURCE } from '../../lib/domain/kpis';
import { LOCAL_ACTOR_PREFIX } from '../../lib/domain/events';
import type { SalDefinition } from '../../lib/domain/definition';
import { reasonLabel, type Lang, type MessageKey, type Translate } from '../../lib/i18n';
import type { KpiPeriod } from '../../lib/domain/periods';

export const KPI_PERIODS: readonly KpiPeriod[] = ['this_week', 'this_month', 'last_month', 'last_30_days'];

export interface KpiViewProps {
  t: Translate;
  lang: Lang;
  report: KpiReport;
  definition: SalDefinition;
  period: KpiPeriod;
  onPeriod(period: KpiPeriod): void;
  /** Local-only mode: the figures cover this browser's decisions only. */
  localOnly: boolean;
}

const percent = (rate: number | null, lang: Lang) => (rate === null ? '—' : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(rate));
const hours = (minutes: number | null, lang: Lang) => (minutes === null ? '—' : new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(minutes / 60));

/** "3 / 4" under a rate: how many of how many. */
function Figure({ label, value, detail, alarm }: { label: string; value: string; detail?: string; alarm?: string | null }) {
  return (
    <div className={`sal-kpi${alarm ? ' sal-kpi--alarm' : ''}`}>
      <dt>{label}</dt>
      <dd>
        <strong>{value}</strong>
        {detail && <span className="sal-hint"> {detail}</span>}
        {alarm && (
          <span className="sal-kpi__alarm" role="note">
            {alarm}
          </span>
        )}
      </dd>
    </div>
  );
}

const ofText = (f: RateFigure, t: Translate) => t('kpi.of', { count: f.count, of: f.of });

/** One table of groups (per rep or per source) with the figures a lead review compares. */
function GroupTable({ caption, groups, nameOf, t, lang }: { caption: string; groups: Record<string, KpiGroup>; nameOf: (key: string) => string; t: Translate; lang: Lang }) {
  const rows = Object.entries(groups).sort((a, b) => b[1].mqlCount + b[1].salCount - (a[1].mqlCount + a[1].salCount));
  if (rows.length === 0) return null;
  return (
    <table className="sal-kpi-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{caption}</th>
          <th scope="col">{t('kpi.mql')}</th>
          <th scope="col">{t('kpi.sal')}</th>
          <th scope="col">{t('kpi.acceptanceRate')}</th>
          <th scope="col">{t('kpi.firstContact')}</th>
          <th scope="col">{t('kpi.salToSql')}</th>
          <th scope="col">{t('kpi.rejections')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([key, g]) => (
          <tr key={key}>
            <th scope="row">{nameOf(key)}</th>
            <td>{g.mqlCount}</td>
            <td>{g.salCount}</td>
            <td>{percent(g.acceptance.rate, lang)}</td>
            <td>{percent(g.firstContact.rate, lang)}</td>
            <td>{percent(g.salToSql.rate, lang)}</td>
            <td>{g.rejections.total}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The managers' and the lead review meeting's figures for a period (domain.md "KPIs"):
 * quantity (MQL, SAL), quality (acceptance rate with its health band, SAL → SQL, SAL → close,
 * rejection reasons) and operation (first contact within the SLA, times, overdue backlog), overall,
 * per rep and per source. Presentational: the report comes from `computeKpis`.
 */
export function KpiView({ t, lang, report, definition, period, onPeriod, localOnly }: KpiViewProps) {
  const o = report.overall;
  const empty = o.mqlCount === 0 && o.salCount === 0 && o.rejections.total === 0 && o.overdueBacklog.total === 0;
  const band = o.acceptance.band;
  const reasons = Object.entries(o.rejections.byReason).sort((a, b) => b[1] - a[1]);
  const repName = (key: string) => {
    if (key === UNASSIGNED) return t('kpi.unassigned');
    // a rep who decided before signing in has a nameless local actor: this browser's user
    return report.repNames[key] || (key.startsWith(LOCAL_ACTOR_PREFIX) ? t('kpi.localUser') : key);
  };
  const signalName = (signal: string) => {
    const text = t(`signal.${signal}` as MessageKey);
    return text === `signal.${signal}` ? signal : text;
  };
  const sourceName = (key: string) => (key === UNKNOWN_SOURCE ? t('kpi.unknownSource') : key.startsWith('sales:') ? t('kpi.salesOriginated', { signal: signalName(key.slice('sales:'.length)) }) : key);
  return (
    <main className="sal-kpis" lang={lang}>
      <h1>{t('kpi.title')}</h1>
      <div className="sal-kpis__bar">
        <label>
          {t('kpi.period')}{' '}
          <select value={period} onChange={(e) => onPeriod(e.target.value as KpiPeriod)}>
            {KPI_PERIODS.map((p) => (
              <option key={p} value={p}>
                {t(`kpi.period.${p}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <span className="sal-hint">{t('kpi.definition', { version: report.definitionVersion })}</span>
      </div>
      {localOnly && <p className="sal-hint">{t('kpi.localOnly')}</p>}
      {empty ? (
        <p className="sal-muted">{t('kpi.empty')}</p>
      ) : (
        <>
          <section className="sal-card" aria-labelledby="kpi-quantity">
            <h2 id="kpi-quantity">{t('kpi.headline')}</h2>
            <dl className="sal-kpi-grid">
              <Figure label={t('kpi.mql')} value={String(o.mqlCount)} />
              <Figure label={t('kpi.sal')} value={String(o.salCount)} detail={o.salesOriginatedCount > 0 ? t('kpi.salesOriginatedCount', { count: o.salesOriginatedCount }) : undefined} />
              <Figure
                label={t('kpi.acceptanceRate')}
                value={percent(o.acceptance.rate, lang)}
                detail={t('kpi.acceptanceDetail', { accepted: o.acceptance.accepted, rejected: o.acceptance.rejected, undecided: o.acceptance.undecided })}
                alarm={band === 'too_lenient' ? t('kpi.band.too_lenient') : band === 'misaligned' ? t('kpi.band.misaligned') : null}
              />
              <Figure
                label={t('kpi.firstContact')}
                value={percent(o.firstContact.rate, lang)}
                detail={t('kpi.of', { count: o.firstContact.withinSla, of: o.firstContact.withinSla + o.firstContact.late })}
              />
              <Figure label={t('kpi.salToSql')} value={percent(o.salToSql.rate, lang)} detail={ofText(o.salToSql, t)} />
              <Figure label={t('kpi.salToClose')} value={percent(o.salToClose.rate, lang)} detail={ofText(o.salToClose, t)} />
              <Figure
                label={t('kpi.timeToAccept')}
                value={t('kpi.hours', { h: hours(definition.clocks.acceptance.basis === 'business' ? o.timeToAccept.medianBusinessMinutes : o.timeToAccept.medianMinutes, lang) })}
                detail={definition.clocks.acceptance.basis === 'business' ? t('clock.businessNote') : undefined}
              />
              <Figure label={t('kpi.overdue')} value={String(o.overdueBacklog.total)} alarm={o.overdueBacklog.total > 0 ? t('kpi.overdueNote') : null} />
            </dl>
          </section>
          <section className="sal-card" aria-labelledby="kpi-reasons">
            <h2 id="kpi-reasons">{t('kpi.reasonsTitle')}</h2>
            {reasons.length === 0 ? (
              <p className="sal-muted">{t('kpi.noRejections')}</p>
            ) : (
              <table className="sal-kpi-table">
                <caption className="sal-visually-hidden">{t('kpi.reasonsTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('kpi.reason')}</th>
                    <th scope="col">{t('kpi.count')}</th>
                    <th scope="col">{t('kpi.share')}</th>
                  </tr>
                </thead>
                <tbody>
                  {reasons.map(([code, n]) => {
                    const custom = definition.rejectReasons.find((r) => r.code === code)?.label;
                    return (
                      <tr key={code}>
                        <th scope="row">{reasonLabel(t, code, custom, lang)}</th>
                        <td>{n}</td>
                        <td>{percent(n / o.rejections.total, lang)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </section>
          <section className="sal-card">
            <GroupTable caption={t('kpi.byRep')} groups={report.byRep} nameOf={repName} t={t} lang={lang} />
          </section>
          <section className="sal-card">
            <GroupTable caption={t('kpi.bySource')} groups={report.bySource} nameOf={sourceName} t={t} lang={lang} />
          </section>
        </>
      )}
    </main>
  );
}
