import { TZDate } from '@date-fns/tz';
import { addMonths, addWeeks, startOfMonth, startOfWeek } from 'date-fns';
import { DEFAULT_DEFINITION, type SalDefinition } from './definition';
import type { FoldableEvent } from './events';
import { computeKpis, type KpiGroup, type PeriodSettlement } from './kpis';

/**
 * Trends for managers and marketers: the KPI page's figures week by week or month by month, so
 * they see whether the hand-off improves. Every bucket is one call of `computeKpis` on that
 * bucket's period — the same cohort rule (leads handed over in the bucket, followed to `now`) and
 * the same formulas as the KPI page, so a week here is the KPI page's figures for that week.
 */

export type TrendGranularity = 'week' | 'month';

/** One period of a trend, `[from, to)`, and its label key. */
export interface TrendBucket {
  /** Week: its Monday as YYYY-MM-DD; month: YYYY-MM; both local to the team's time zone. */
  key: string;
  from: Date;
  /** Exclusive; the running bucket ends at `now`, as the KPI page's "this week / this month" does. */
  to: Date;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** YYYY-MM-DD (week) or YYYY-MM (month) of a zoned date, read in its zone (date-fns `format` would add ~5 KB gzip to the page). */
const localKey = (d: TZDate, granularity: TrendGranularity) => {
  const month = `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
  return granularity === 'week' ? `${month}-${pad(d.getDate())}` : month;
};

/**
 * The `count` most recent buckets up to `now` (oldest first), in the time zone `timeZone` (IANA):
 * ISO weeks from Monday 00:00 local, or calendar months from the 1st 00:00 local. The last bucket
 * is the running one and ends at `now`. Local midnights are computed in the zone, so a DST change
 * never shifts a boundary. Throws a RangeError for a `count` below 1.
 */
export function trendBuckets(granularity: TrendGranularity, count: number, now: Date, timeZone: string): TrendBucket[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  const local = new TZDate(now.getTime(), timeZone);
  const start = granularity === 'week' ? startOfWeek(local, { weekStartsOn: 1 }) : startOfMonth(local);
  const step = (d: TZDate, n: number) => (granularity === 'week' ? addWeeks(d, n) : addMonths(d, n));
  const buckets: TrendBucket[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const from = step(start, -i);
    const to = i === 0 ? now : new Date(step(from, 1).getTime());
    buckets.push({ key: localKey(from, granularity), from: new Date(from.getTime()), to });
  }
  return buckets;
}

/** Whose figures: the whole team (the events this browser holds are one team's), one rep, one source. */
export type TrendScope = { kind: 'team' } | { kind: 'rep'; key: string } | { kind: 'source'; key: string };

export interface TrendPoint {
  bucket: TrendBucket;
  /** As on the KPI page (`KpiReport.settlement`), except that the running bucket is `in_progress`. */
  settlement: PeriodSettlement;
  /** The scope's KPIs for the bucket; a scope with no lead in the bucket gets the empty group. */
  kpis: KpiGroup;
}

export interface TrendReport {
  granularity: TrendGranularity;
  now: Date;
  points: TrendPoint[];
  /** Rep and source keys seen in any bucket (the filter's choices), and the reps' display names. */
  repKeys: string[];
  sourceKeys: string[];
  repNames: Record<string, string>;
}

export interface TrendOptions {
  granularity: TrendGranularity;
  /** How many buckets, the running one included. */
  count: number;
  /** The instant the figures are taken at (statuses as of `now`); also ends the running bucket. */
  now: Date;
  /** Calendar (its time zone places the boundaries), clocks; default `DEFAULT_DEFINITION`. */
  definition?: SalDefinition;
  scope?: TrendScope;
}

/**
 * The `count` most recent weeks or months of KPIs for `scope`, each bucket computed by
 * `computeKpis` on the bucket's period as of `now` (see `computeKpis` for what `events` must
 * be). Pure; cost: one `computeKpis` per bucket.
 */
export function computeTrends(events: readonly FoldableEvent[], options: TrendOptions): TrendReport {
  const definition = options.definition ?? DEFAULT_DEFINITION;
  const scope = options.scope ?? { kind: 'team' };
  const buckets = trendBuckets(options.granularity, options.count, options.now, definition.calendar.timeZone);
  const repKeys = new Set<string>();
  const sourceKeys = new Set<string>();
  const repNames: Record<string, string> = {};
  let emptyGroup: KpiGroup | undefined;
  const points = buckets.map((bucket, i): TrendPoint => {
    const report = computeKpis(events, { from: bucket.from, to: bucket.to, now: options.now, definition });
    Object.keys(report.byRep).forEach((k) => repKeys.add(k));
    Object.keys(report.bySource).forEach((k) => sourceKeys.add(k));
    Object.assign(repNames, report.repNames);
    const group = scope.kind === 'team' ? report.overall : scope.kind === 'rep' ? report.byRep[scope.key] : report.bySource[scope.key];
    // the empty group comes from computeKpis too, so "no lead" reads exactly as on the KPI page
    const kpis = group ?? (emptyGroup ??= computeKpis([], { from: bucket.from, to: bucket.to, now: options.now, definition }).overall);
    // The running bucket ends at `now`, and computeKpis calls a period in progress only while its
    // end is after `now`: it has not ended, so its leads are still being handed over.
    const running = i === buckets.length - 1;
    return { bucket, settlement: running ? 'in_progress' : report.settlement, kpis };
  });
  return { granularity: options.granularity, now: options.now, points, repKeys: [...repKeys].sort(), sourceKeys: [...sourceKeys].sort(), repNames };
}

/**
 * The acceptance-rate health band as drawn on the trend chart (domain.md "Health of the
 * acceptance rate"): 100 % accepted is a sieve (ザル), under 10 % a misaligned definition. The
 * classification itself is `computeKpis`'s (`acceptance.band`, with its default thresholds, which
 * kpis.ts does not export); tests/unit/domain/trends.test.ts pins that these lines are where its
 * classification changes.
 */
export const ACCEPTANCE_BAND_LINES = { misalignedBelow: 0.1, tooLenientAtOrAbove: 1 } as const;

/** Whether any bucket has a lead (an MQL or an SAL) in it: false means the empty state. */
export function trendHasData(report: TrendReport): boolean {
  return report.points.some((p) => p.kpis.mqlCount > 0 || p.kpis.salCount > 0);
}
