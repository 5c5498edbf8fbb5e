import { describe, expect, it } from 'vitest';
import { ACCEPTANCE_BAND_LINES, computeTrends, trendBuckets, trendHasData } from '../../../lib/domain/trends';
import { computeKpis } from '../../../lib/domain/kpis';
import { periodRange } from '../../../lib/domain/periods';
import { jst, REP_A, REP_B } from './builders';
import { acrossWeeks, decidedAt, TREND_NOW } from './trend-scenario';
import { OCTOBER, OCTOBER_EVENTS } from './kpi-scenario';

const TOKYO = 'Asia/Tokyo';
const keysOf = (buckets: { key: string }[]) => buckets.map((b) => b.key);

describe('trendBuckets: ISO weeks and months in the team’s zone (Asia/Tokyo)', () => {
  it('starts each week on Monday 00:00 JST (Sunday 15:00 UTC) and ends the running week at now', () => {
    const now = jst('2026-11-29T10:00'); // a Sunday
    const weeks = trendBuckets('week', 3, now, TOKYO);
    expect(keysOf(weeks)).toEqual(['2026-11-09', '2026-11-16', '2026-11-23']);
    expect(weeks.map((w) => w.from.toISOString())).toEqual(['2026-11-08T15:00:00.000Z', '2026-11-15T15:00:00.000Z', '2026-11-22T15:00:00.000Z']);
    expect(weeks[0]!.to).toEqual(weeks[1]!.from);
    expect(weeks[2]!.to).toEqual(now);
  });

  it('puts Monday 00:30 JST in the new week although it is still Sunday in UTC', () => {
    const weeks = trendBuckets('week', 1, jst('2026-11-30T00:30'), TOKYO);
    expect(keysOf(weeks)).toEqual(['2026-11-30']);
  });

  it('keeps a week that spans the new year whole (ISO weeks, not calendar years)', () => {
    const weeks = trendBuckets('week', 2, jst('2027-01-02T12:00'), TOKYO);
    expect(keysOf(weeks)).toEqual(['2026-12-21', '2026-12-28']);
    expect(weeks[1]!.from).toEqual(jst('2026-12-28T00:00'));
  });

  it('starts months on the 1st 00:00 JST: 12/01 00:30 JST is December although UTC still says November', () => {
    const now = jst('2026-12-01T00:30');
    const months = trendBuckets('month', 3, now, TOKYO);
    expect(keysOf(months)).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(months[1]).toEqual({ key: '2026-11', from: jst('2026-11-01T00:00'), to: jst('2026-12-01T00:00') });
  });

  it('gives the KPI page’s own periods: the running week is "this week", the month before is "last month"', () => {
    const now = jst('2026-11-18T15:20');
    const week = trendBuckets('week', 1, now, TOKYO)[0]!;
    expect({ from: week.from, to: week.to }).toEqual(periodRange('this_week', now, TOKYO));
    const [lastMonth, thisMonth] = trendBuckets('month', 2, now, TOKYO);
    expect({ from: lastMonth!.from, to: lastMonth!.to }).toEqual(periodRange('last_month', now, TOKYO));
    expect({ from: thisMonth!.from, to: thisMonth!.to }).toEqual(periodRange('this_month', now, TOKYO));
  });

  it('refuses a count below one', () => {
    expect(() => trendBuckets('week', 0, jst('2026-11-18T10:00'), TOKYO)).toThrow(RangeError);
  });
});

describe('computeTrends: the KPI page’s cohort rule, bucket by bucket', () => {
  const events = acrossWeeks();
  const now = TREND_NOW;

  it('counts a lead in the week it was handed over, even when it was accepted the week after', () => {
    const trend = computeTrends(events, { granularity: 'week', count: 2, now });
    const [w16, w23] = trend.points;
    expect(w16!.bucket.key).toBe('2026-11-16');
    expect(w16!.kpis).toMatchObject({ mqlCount: 1, salCount: 1, acceptance: { accepted: 1, rejected: 0 }, salToSql: { count: 1, of: 1 } });
    expect(w16!.kpis.firstContact).toMatchObject({ withinSla: 1, late: 0, rate: 1 });
    expect(w23!.kpis).toMatchObject({ mqlCount: 1, salCount: 0, acceptance: { accepted: 0, rejected: 1 }, rejections: { total: 1, byReason: { competitor: 1 } } });
    expect(w23!.settlement).toBe('in_progress');
    expect(w16!.settlement).toBe('settling'); // its SAL is still open
  });

  it('filters by rep and by source, with every group’s counts adding up to the team’s', () => {
    const byRep = (repKey: string) => computeTrends(events, { granularity: 'week', count: 2, now, scope: { kind: 'rep', key: repKey } }).points.map((p) => p.kpis.mqlCount);
    expect(byRep(REP_A.id)).toEqual([1, 0]);
    expect(byRep(REP_B.id)).toEqual([0, 1]);
    const bySource = computeTrends(events, { granularity: 'week', count: 2, now, scope: { kind: 'source', key: 'expo' } });
    expect(bySource.points.map((p) => p.kpis.rejections.total)).toEqual([0, 1]);
    const team = computeTrends(events, { granularity: 'week', count: 2, now });
    expect(team.repKeys).toEqual([REP_A.id, REP_B.id]);
    expect(team.sourceKeys).toEqual(['expo', 'webinar']);
    expect(team.repNames).toEqual({ [REP_A.id]: REP_A.name, [REP_B.id]: REP_B.name });
  });

  it('gives a scope with no lead in a bucket the KPI page’s empty figures (zero, no rate)', () => {
    const [w16] = computeTrends(events, { granularity: 'week', count: 2, now, scope: { kind: 'rep', key: REP_B.id } }).points;
    expect(w16!.kpis).toMatchObject({ mqlCount: 0, salCount: 0, acceptance: { rate: null, band: null }, firstContact: { rate: null } });
  });

  it('adds up with the KPI page: October here is the KPI page’s October, figure for figure', () => {
    const now = jst('2026-12-01T00:00');
    const trend = computeTrends(OCTOBER_EVENTS, { granularity: 'month', count: 3, now });
    expect(trend.points.map((p) => p.bucket.key)).toEqual(['2026-10', '2026-11', '2026-12']);
    const kpiPage = computeKpis(OCTOBER_EVENTS, { ...OCTOBER, now });
    expect(trend.points[0]!.kpis).toEqual(kpiPage.overall);
    expect(trend.points[0]!.settlement).toBe(kpiPage.settlement);
  });

  it('reports no data when no bucket holds a lead', () => {
    expect(trendHasData(computeTrends([], { granularity: 'month', count: 6, now }))).toBe(false);
    expect(trendHasData(computeTrends(events, { granularity: 'month', count: 1, now }))).toBe(true);
  });
});

describe('acceptance health band: the drawn lines are where the KPI classification changes', () => {
  const band = (a: number, r: number) => computeTrends(decidedAt('2026-11-16T10:00', a, r), { granularity: 'week', count: 1, now: jst('2026-11-20T18:00') }).points[0]!.kpis.acceptance;

  it('classifies 100 % as a sieve, 10 % as healthy, under 10 % as misaligned', () => {
    expect(band(10, 0)).toMatchObject({ rate: ACCEPTANCE_BAND_LINES.tooLenientAtOrAbove, band: 'too_lenient' });
    expect(band(9, 1).band).toBe('healthy');
    expect(band(2, 18)).toMatchObject({ rate: ACCEPTANCE_BAND_LINES.misalignedBelow, band: 'healthy' });
    expect(band(1, 19).band).toBe('misaligned');
  });

  it('does not judge a week with fewer decided leads than the KPI page needs', () => {
    expect(band(3, 0)).toMatchObject({ rate: 1, band: null, tooFewToJudge: true });
  });
});
