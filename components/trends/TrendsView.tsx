import type { ReactNode } from 'react';
import type { SalDefinition } from '../../lib/domain/definition';
import type { KpiGroup } from '../../lib/domain/kpis';
import { ACCEPTANCE_BAND_LINES, trendHasData, type TrendGranularity, type TrendPoint, type TrendReport, type TrendScope } from '../../lib/domain/trends';
import { reasonLabel, type Lang, type MessageKey, type Translate } from '../../lib/i18n';
import { groupNames } from '../kpis/group-names';
import { LineChart, StackedBarChart, type ChartSeries } from './charts';

export const TREND_GRANULARITIES: readonly TrendGranularity[] = ['week', 'month'];

/** What the page has to show: the data is being read, could not be read, or the trend. */
export type TrendsState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; report: TrendReport; definition: SalDefinition; localOnly: boolean };

export interface TrendsViewProps {
  t: Translate;
  lang: Lang;
  state: TrendsState;
  granularity: TrendGranularity;
  onGranularity(granularity: TrendGranularity): void;
  scope: TrendScope;
  onScope(scope: TrendScope): void;
}

const scopeValue = (s: TrendScope) => (s.kind === 'team' ? 'team' : `${s.kind}:${s.key}`);
function parseScope(value: string): TrendScope {
  const at = value.indexOf(':');
  const kind = value.slice(0, at);
  return kind === 'rep' || kind === 'source' ? { kind, key: value.slice(at + 1) } : { kind: 'team' };
}

const percent = (rate: number | null, lang: Lang) => (rate === null ? '—' : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(rate));
const countText = (n: number, lang: Lang) => new Intl.NumberFormat(lang).format(n);

/** A bucket's key (a local date or month) as a label; the key is already local, so it is formatted in UTC. */
function bucketLabel(p: TrendPoint, granularity: TrendGranularity, lang: Lang, style: 'short' | 'long'): string {
  const at = new Date(granularity === 'week' ? `${p.bucket.key}T00:00:00Z` : `${p.bucket.key}-01T00:00:00Z`);
  const options: Intl.DateTimeFormatOptions =
    granularity === 'week'
      ? style === 'short'
        ? { month: 'numeric', day: 'numeric' }
        : { dateStyle: 'medium' }
      : style === 'short'
        ? { year: '2-digit', month: 'numeric' }
        : { year: 'numeric', month: 'long' };
  return new Intl.DateTimeFormat(lang, { ...options, timeZone: 'UTC' }).format(at);
}

const bandShort = (a: KpiGroup['acceptance'], t: Translate) => (a.decided === 0 ? '—' : a.tooFewToJudge || !a.band ? t('kpi.bandShort.tooFew') : t(`kpi.bandShort.${a.band}`));

/** One figure over time: heading, chart (an image with its text alternative), and its numbers as a table right after. */
function TrendSection({ id, title, chart, table }: { id: string; title: string; chart: ReactNode; table: ReactNode }) {
  return (
    <section className="sal-card sal-trend" aria-labelledby={`trend-${id}`}>
      <h2 id={`trend-${id}`}>{title}</h2>
      {chart}
      {table}
    </section>
  );
}

/** The text alternative of a line chart: per series, first and last bucket, lowest and highest. */
function seriesAlt(title: string, labels: string[], series: ChartSeries[], format: (v: number) => string, t: Translate): string {
  const parts = series.map((s) => {
    const present = s.values.flatMap((v, i) => (v === null ? [] : [{ v, i }]));
    if (present.length === 0) return t('trend.alt.noValue', { label: s.label });
    const first = present[0]!;
    const last = present[present.length - 1]!;
    const vs = present.map((p) => p.v);
    return t('trend.alt.series', {
      label: s.label,
      firstAt: labels[first.i]!,
      first: format(first.v),
      lastAt: labels[last.i]!,
      last: format(last.v),
      min: format(Math.min(...vs)),
      max: format(Math.max(...vs)),
    });
  });
  return [title, ...parts, t('trend.alt.table')].join(' ');
}

/**
 * The trends view (issue 11): the KPI page's figures per week or month for the whole team, one
 * rep or one source, so managers and marketers see whether the hand-off improves. Each bucket is
 * the KPI page's cohort for that period (`computeTrends`). Every chart is followed by its table.
 * Presentational: the state comes from the caller.
 */
export function TrendsView({ t, lang, state, granularity, onGranularity, scope, onScope }: TrendsViewProps) {
  const report = state.status === 'ready' ? state.report : undefined;
  const names = groupNames({ repNames: report?.repNames ?? {} }, t);
  return (
    <main className="sal-kpis" lang={lang} aria-busy={state.status === 'loading'}>
      <h1>{t('trend.title')}</h1>
      <div className="sal-kpis__bar">
        <label>
          {t('trend.granularity')}{' '}
          <select value={granularity} onChange={(e) => onGranularity(e.target.value as TrendGranularity)}>
            {TREND_GRANULARITIES.map((g) => (
              <option key={g} value={g}>
                {t(`trend.granularity.${g}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('trend.scope')}{' '}
          <select value={scopeValue(scope)} onChange={(e) => onScope(parseScope(e.target.value))}>
            <option value="team">{t('trend.scope.team')}</option>
            {report && report.repKeys.length > 0 && (
              <optgroup label={t('kpi.byRep')}>
                {report.repKeys.map((k) => (
                  <option key={k} value={`rep:${k}`}>
                    {names.rep(k)}
                  </option>
                ))}
              </optgroup>
            )}
            {report && report.sourceKeys.length > 0 && (
              <optgroup label={t('kpi.bySource')}>
                {report.sourceKeys.map((k) => (
                  <option key={k} value={`source:${k}`}>
                    {names.source(k)}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </label>
      </div>
      <p className="sal-hint">{t('trend.cohortRule')}</p>
      {state.status === 'loading' && (
        <p className="sal-muted" role="status">
          {t('panel.loading')}
        </p>
      )}
      {state.status === 'error' && (
        <p className="sal-error" role="alert">
          {t('trend.error', { message: state.message })}
        </p>
      )}
      {state.status === 'ready' && (
        <>
          {state.localOnly && <p className="sal-hint">{t('kpi.localOnly')}</p>}
          {trendHasData(state.report) ? <TrendSections t={t} lang={lang} report={state.report} definition={state.definition} /> : <p className="sal-muted">{t('trend.empty')}</p>}
        </>
      )}
    </main>
  );
}

/** A column of a trend table: its header and the cell of each bucket. */
interface Column {
  id: string;
  label: string;
  cell(p: TrendPoint): ReactNode;
}

/** The numbers of one chart: a row per bucket (its header the period), a column per figure. */
function TrendTable({ caption, report, columns, t, lang }: { caption: string; report: TrendReport; columns: Column[]; t: Translate; lang: Lang }) {
  const g = report.granularity;
  return (
    <table className="sal-kpi-table">
      <caption>{t('trend.table', { title: caption })}</caption>
      <thead>
        <tr>
          <th scope="col">{t(g === 'week' ? 'trend.col.week' : 'trend.col.month')}</th>
          {columns.map((c) => (
            <th key={c.id} scope="col">
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {report.points.map((p) => (
          <tr key={p.bucket.key}>
            <th scope="row">
              {bucketLabel(p, g, lang, 'long')}
              {p.settlement === 'in_progress' && <span className="sal-hint"> {t('trend.running')}</span>}
            </th>
            {columns.map((c) => (
              <td key={c.id}>{c.cell(p)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TrendSections({ t, lang, report, definition }: { t: Translate; lang: Lang; report: TrendReport; definition: SalDefinition }) {
  const points = report.points;
  const short = points.map((p) => bucketLabel(p, report.granularity, lang, 'short'));
  const pct = (v: number) => percent(v, lang);
  const num = (v: number) => countText(v, lang);
  const of = (count: number, total: number) => t('kpi.of', { count, of: total });
  const table = (caption: string, columns: Column[]) => <TrendTable caption={caption} report={report} columns={columns} t={t} lang={lang} />;

  const volume: ChartSeries[] = [
    { id: 'mql', label: t('kpi.mql'), values: points.map((p) => p.kpis.mqlCount) },
    { id: 'sal', label: t('kpi.sal'), values: points.map((p) => p.kpis.salCount) },
  ];
  const volumeMax = Math.max(1, ...points.map((p) => Math.max(p.kpis.mqlCount, p.kpis.salCount)));
  const acceptance: ChartSeries[] = [{ id: 'acceptance', label: t('kpi.acceptanceRate'), values: points.map((p) => p.kpis.acceptance.rate) }];
  const conversion: ChartSeries[] = [
    { id: 'sql', label: t('kpi.salToSql'), values: points.map((p) => p.kpis.salToSql.rate) },
    { id: 'first-contact', label: t('kpi.firstContact'), values: points.map((p) => p.kpis.firstContact.rate) },
  ];
  // reasons in order of their total over the range, so the largest sits at the bottom of each bar
  const reasonTotals = new Map<string, number>();
  for (const p of points) for (const [code, n] of Object.entries(p.kpis.rejections.byReason)) reasonTotals.set(code, (reasonTotals.get(code) ?? 0) + n);
  const reasons = [...reasonTotals].sort((a, b) => b[1] - a[1]).map(([id]) => ({ id, label: reasonLabel(t, id, definition.rejectReasons.find((r) => r.code === id)?.label, lang) }));
  const rejectionMax = Math.max(1, ...points.map((p) => p.kpis.rejections.total));
  const lines = ACCEPTANCE_BAND_LINES;

  return (
    <>
      <TrendSection
        id="volume"
        title={t('trend.volume')}
        chart={<LineChart labels={short} yMax={volumeMax} formatY={num} integer series={volume} alt={seriesAlt(t('trend.volume'), short, volume, num, t)} />}
        table={table(t('trend.volume'), [
          { id: 'mql', label: t('kpi.mql'), cell: (p) => p.kpis.mqlCount },
          { id: 'sal', label: t('kpi.sal'), cell: (p) => p.kpis.salCount },
        ])}
      />
      <TrendSection
        id="acceptance"
        title={t('trend.acceptance')}
        chart={
          <>
            <p className="sal-hint">{t('trend.bandRule', { misaligned: pct(lines.misalignedBelow), sieve: pct(lines.tooLenientAtOrAbove), min: points[0]!.kpis.acceptance.minDecided })}</p>
            <LineChart
              labels={short}
              yMax={1}
              formatY={pct}
              series={acceptance}
              zones={[{ from: 0, to: lines.misalignedBelow, label: t('kpi.bandShort.misaligned') }]}
              marks={[{ at: lines.tooLenientAtOrAbove, label: t('kpi.bandShort.too_lenient') }]}
              alt={seriesAlt(t('trend.acceptance'), short, acceptance, pct, t)}
            />
          </>
        }
        table={table(t('trend.acceptance'), [
          { id: 'rate', label: t('kpi.acceptanceRate'), cell: (p) => percent(p.kpis.acceptance.rate, lang) },
          { id: 'of', label: t('trend.col.acceptedOfDecided'), cell: (p) => of(p.kpis.acceptance.accepted, p.kpis.acceptance.decided) },
          { id: 'band', label: t('kpi.health'), cell: (p) => bandShort(p.kpis.acceptance, t) },
        ])}
      />
      <TrendSection
        id="conversion"
        title={t('trend.conversion')}
        chart={<LineChart labels={short} yMax={1} formatY={pct} series={conversion} alt={seriesAlt(t('trend.conversion'), short, conversion, pct, t)} />}
        table={table(t('trend.conversion'), [
          { id: 'sql', label: t('kpi.salToSql'), cell: (p) => percent(p.kpis.salToSql.rate, lang) },
          { id: 'sql-of', label: t('trend.col.sqlOfSal'), cell: (p) => of(p.kpis.salToSql.count, p.kpis.salToSql.of) },
          { id: 'fc', label: t('kpi.firstContact'), cell: (p) => percent(p.kpis.firstContact.rate, lang) },
          { id: 'fc-of', label: t('trend.col.withinOfDue'), cell: (p) => of(p.kpis.firstContact.withinSla, p.kpis.firstContact.withinSla + p.kpis.firstContact.late) },
        ])}
      />
      <TrendSection
        id="rejections"
        title={t('trend.rejections')}
        chart={
          reasons.length === 0 ? (
            <p className="sal-muted">{t('trend.noRejections')}</p>
          ) : (
            <StackedBarChart
              labels={short}
              yMax={rejectionMax}
              formatY={num}
              integer
              keys={reasons}
              rows={points.map((p) => p.kpis.rejections.byReason)}
              alt={seriesAlt(t('trend.rejections'), short, [{ id: 'total', label: t('trend.col.total'), values: points.map((p) => p.kpis.rejections.total) }], num, t)}
            />
          )
        }
        table={
          reasons.length > 0 &&
          table(t('trend.rejections'), [
            ...reasons.map((r): Column => ({ id: r.id, label: r.label, cell: (p) => p.kpis.rejections.byReason[r.id] ?? 0 })),
            { id: '(total)', label: t('trend.col.total'), cell: (p) => p.kpis.rejections.total },
          ])
        }
      />
    </>
  );
}
