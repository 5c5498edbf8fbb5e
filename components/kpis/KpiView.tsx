import { useState } from 'react';
import type { KpiGroup, KpiReport, RateFigure } from '../../lib/domain/kpis';
import type { SalDefinition } from '../../lib/domain/definition';
import { reasonLabel, type Lang, type MessageKey, type Translate } from '../../lib/i18n';
import type { KpiPeriod } from '../../lib/domain/periods';
import { groupNames } from './group-names';

export const KPI_PERIODS: readonly KpiPeriod[] = ['this_week', 'this_month', 'last_month', 'last_30_days'];

/**
 * The instant the figures are taken at: `now`, or the end of the period — a closed period as it
 * stood when it closed, figures that do not move under the review meeting.
 */
export type KpiAsOf = 'now' | 'period_end';

export interface KpiViewProps {
  t: Translate;
  lang: Lang;
  report: KpiReport;
  definition: SalDefinition;
  period: KpiPeriod;
  onPeriod(period: KpiPeriod): void;
  /** Offered for a closed period only (`report.period.to` before the real now); omitted: no choice shown. */
  asOf?: KpiAsOf;
  onAsOf?(asOf: KpiAsOf): void;
  /** Local-only mode: the figures cover this browser's decisions only. */
  localOnly: boolean;
  /** Saves the report as shown (a file whose figures do not move); no button without it. */
  onExport?(): void;
}

const percent = (rate: number | null, lang: Lang) => (rate === null ? '—' : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(rate));
const hours = (minutes: number | null, lang: Lang) => (minutes === null ? '—' : new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(minutes / 60));

/** An instant as the team reads it: date and time in the calendar's zone. */
const instant = (at: Date, lang: Lang, timeZone: string) => new Intl.DateTimeFormat(lang, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(at);

/**
 * "How this is counted" for one figure: a small button whose description is the rule, shown on
 * hover and on keyboard focus (a tooltip, never a click away), and read out by screen readers.
 * Escape hides it until the pointer or the focus leaves (WCAG 1.4.13: dismissable).
 */
function HowCounted({ id, label, text, t }: { id: string; label: string; text: string; t: Translate }) {
  const [dismissed, setDismissed] = useState(false);
  return (
    <span className="sal-how" onMouseLeave={() => setDismissed(false)}>
      <button
        type="button"
        className="sal-how__button"
        aria-label={t('kpi.how', { label })}
        aria-describedby={id}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setDismissed(true);
        }}
        onBlur={() => setDismissed(false)}
      >
        ?
      </button>
      <span role="tooltip" id={id} className="sal-how__tip" hidden={dismissed}>
        {text}
      </span>
    </span>
  );
}

interface FigureProps {
  id: string;
  label: string;
  value: string;
  /** The counting rule (hover/focus). */
  how: string;
  detail?: string[];
  /** An alarm (health band, overdue) or a "too few to judge" note. */
  note?: { text: string; alarm: boolean } | null;
  t: Translate;
}

function Figure({ id, label, value, how, detail, note, t }: FigureProps) {
  return (
    <div className={`sal-kpi${note?.alarm ? ' sal-kpi--alarm' : ''}`}>
      <dt>{label}</dt>
      <dd>
        <strong>{value}</strong> <HowCounted id={`kpi-how-${id}`} label={label} text={how} t={t} />
        {detail?.map((d) => (
          <span key={d} className="sal-hint sal-kpi__detail">
            {d}
          </span>
        ))}
        {note && (
          <span className="sal-kpi__alarm" role="note">
            {note.text}
          </span>
        )}
      </dd>
    </div>
  );
}

const ofText = (f: RateFigure, t: Translate) => t('kpi.of', { count: f.count, of: f.of });

function bandNote(a: KpiGroup['acceptance'], t: Translate): { text: string; alarm: boolean } | null {
  if (a.decided > 0 && a.tooFewToJudge) return { text: t('kpi.band.tooFew', { min: a.minDecided }), alarm: false };
  if (a.band === 'too_lenient' || a.band === 'misaligned') return { text: t(`kpi.band.${a.band}`), alarm: true };
  return null;
}

const bandShort = (a: KpiGroup['acceptance'], t: Translate) => (a.decided === 0 ? '—' : a.tooFewToJudge || !a.band ? t('kpi.bandShort.tooFew') : t(`kpi.bandShort.${a.band}`));

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
          <th scope="col">{t('kpi.health')}</th>
          <th scope="col">{t('kpi.firstContact')}</th>
          <th scope="col">{t('kpi.salToSql')}</th>
          <th scope="col">{t('kpi.rejections')}</th>
          <th scope="col">{t('kpi.overdue')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([key, g]) => (
          <tr key={key}>
            <th scope="row">{nameOf(key)}</th>
            <td>{g.mqlCount}</td>
            <td>{g.salCount}</td>
            <td>
              {percent(g.acceptance.rate, lang)} <span className="sal-hint">({t('kpi.of', { count: g.acceptance.accepted, of: g.acceptance.decided })})</span>
            </td>
            <td>{bandShort(g.acceptance, t)}</td>
            <td>{percent(g.firstContact.rate, lang)}</td>
            <td>{percent(g.salToSql.rate, lang)}</td>
            <td>{g.rejections.total}</td>
            <td>{g.overdueBacklog.total}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The managers' and the lead review meeting's figures for a period (domain.md "KPIs"), under the
 * one cohort rule of `computeKpis` (leads handed over in the period, followed to the report's
 * `now`), which the page states; the overdue backlog sits apart as "now". Each figure has its
 * "how this is counted". The period says whether its figures can still change and when they last
 * did. Presentational: the report comes from `computeKpis`; `onExport` saves it (as of its `now`).
 */
export function KpiView({ t, lang, report, definition, period, onPeriod, asOf, onAsOf, localOnly, onExport }: KpiViewProps) {
  const o = report.overall;
  const a = o.acceptance;
  const empty = o.mqlCount === 0 && o.salCount === 0 && o.overdueBacklog.total === 0;
  const reasons = Object.entries(o.rejections.byReason).sort((x, y) => y[1] - x[1]);
  const tz = definition.calendar.timeZone;
  const names = groupNames(report, t);
  const timeBasisBusiness = definition.clocks.acceptance.basis === 'business';
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
        {asOf && onAsOf && (
          <label>
            {t('kpi.asOfChoice')}{' '}
            <select value={asOf} onChange={(e) => onAsOf(e.target.value as KpiAsOf)}>
              <option value="now">{t('kpi.asOfChoice.now')}</option>
              <option value="period_end">{t('kpi.asOfChoice.period_end')}</option>
            </select>
          </label>
        )}
        <span className="sal-hint">{t('kpi.asOf', { at: instant(report.period.now, lang, tz) })}</span>
        <span className="sal-hint">{t('kpi.definition', { version: report.definitionVersion })}</span>
        {onExport && (
          <button type="button" onClick={onExport}>
            {t('kpi.export')}
          </button>
        )}
      </div>
      <p className="sal-hint">{t('kpi.cohortRule')}</p>
      {localOnly && <p className="sal-hint">{t('kpi.localOnly')}</p>}
      {empty ? (
        <p className="sal-muted">{t('kpi.empty')}</p>
      ) : (
        <>
          <section className="sal-card" aria-labelledby="kpi-quantity">
            <h2 id="kpi-quantity">{t('kpi.headline')}</h2>
            <p className="sal-subtitle">{t('kpi.cohortLabel')}</p>
            <p className="sal-hint" role="status">
              {asOf === 'period_end' ? t('kpi.snapshot', { at: instant(report.period.now, lang, tz) }) : t(`kpi.settlement.${report.settlement}`, { ...o.stillOpen })}
              {report.lastChangedAt && ` ${t('kpi.lastChanged', { at: instant(report.lastChangedAt, lang, tz) })}`}
            </p>
            <dl className="sal-kpi-grid">
              <Figure id="mql" t={t} label={t('kpi.mql')} value={String(o.mqlCount)} how={t('kpi.how.mql')} />
              <Figure
                id="sal"
                t={t}
                label={t('kpi.sal')}
                value={String(o.salCount)}
                how={t('kpi.how.sal')}
                detail={[t('kpi.salDetail', { accepted: a.accepted, salesOriginated: o.salesOriginatedCount })]}
              />
              <Figure
                id="acceptance"
                t={t}
                label={t('kpi.acceptanceRate')}
                value={percent(a.rate, lang)}
                how={t('kpi.how.acceptanceRate')}
                detail={[
                  t('kpi.acceptanceDenominator', { decided: a.decided }),
                  t('kpi.acceptanceBreakdown', { accepted: a.accepted, rejected: a.rejected, contested: a.contested, undecided: a.undecided, mql: a.handedOver }),
                ]}
                note={bandNote(a, t)}
              />
              <Figure
                id="first-contact"
                t={t}
                label={t('kpi.firstContact')}
                value={percent(o.firstContact.rate, lang)}
                how={t('kpi.how.firstContact')}
                detail={[t('kpi.firstContactDetail', { within: o.firstContact.withinSla, due: o.firstContact.withinSla + o.firstContact.late, open: o.firstContact.open })]}
              />
              <Figure id="sql" t={t} label={t('kpi.salToSql')} value={percent(o.salToSql.rate, lang)} how={t('kpi.how.salToSql')} detail={[ofText(o.salToSql, t)]} />
              <Figure id="won" t={t} label={t('kpi.salToClose')} value={percent(o.salToClose.rate, lang)} how={t('kpi.how.salToClose')} detail={[ofText(o.salToClose, t)]} />
              <Figure
                id="time-to-accept"
                t={t}
                label={t('kpi.timeToAccept')}
                value={t('kpi.hours', { h: hours(timeBasisBusiness ? o.timeToAccept.medianBusinessMinutes : o.timeToAccept.medianMinutes, lang) })}
                how={t('kpi.how.timeToAccept')}
                detail={timeBasisBusiness ? [t('clock.businessNote')] : undefined}
              />
            </dl>
          </section>
          <section className="sal-card" aria-labelledby="kpi-now">
            <h2 id="kpi-now">{t('kpi.now')}</h2>
            <dl className="sal-kpi-grid">
              <Figure
                id="overdue"
                t={t}
                label={t('kpi.overdue')}
                value={String(o.overdueBacklog.total)}
                how={t('kpi.how.overdue')}
                note={o.overdueBacklog.total > 0 ? { text: t('kpi.overdueNote'), alarm: true } : null}
              />
            </dl>
          </section>
          <section className="sal-card" aria-labelledby="kpi-reasons">
            <h2 id="kpi-reasons">{t('kpi.reasonsTitle')}</h2>
            {reasons.length === 0 ? (
              <p className="sal-muted">{t('kpi.noRejections')}</p>
            ) : (
              <>
                <p className="sal-hint">{t('kpi.reasonsCohort', { count: o.rejections.total })}</p>
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
              </>
            )}
          </section>
          <section className="sal-card">
            <GroupTable caption={t('kpi.byRep')} groups={report.byRep} nameOf={names.rep} t={t} lang={lang} />
          </section>
          <section className="sal-card">
            <GroupTable caption={t('kpi.bySource')} groups={report.bySource} nameOf={names.source} t={t} lang={lang} />
          </section>
          <section className="sal-card" data-testid="kpi-by-source-kind">
            <GroupTable caption={t('kpi.bySourceKind')} groups={report.bySourceKind} nameOf={names.sourceKind} t={t} lang={lang} />
            <p className="sal-hint">{t('kpi.how.bySourceKind')}</p>
          </section>
        </>
      )}
    </main>
  );
}
