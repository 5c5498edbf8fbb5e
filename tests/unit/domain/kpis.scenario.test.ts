import { describe, expect, it } from 'vitest';
import { computeKpis } from '../../../lib/domain';
import { jst, REP_A, REP_B } from './builders';
import { OCTOBER, OCTOBER_EVENTS } from './kpi-scenario';

// The scenario, its leads and the calendar facts used below are described in kpi-scenario.ts.
const EVENTS = OCTOBER_EVENTS;
const onNov1 = computeKpis(EVENTS, { ...OCTOBER, now: jst('2026-11-01T00:00') });
const onDec1 = computeKpis(EVENTS, { ...OCTOBER, now: jst('2026-12-01T00:00') });

describe('October in Tokyo, counted by hand-over date', () => {
  it('counts the leads handed over between 10/01 and 11/01 JST, whatever the UTC date says', () => {
    // E2, E3, L1, L2, L3, L4, L5, L6 (2nd cycle), L7, L8, L10, L11 = 12; not E1 (9/30 JST), E4 (11/01 JST), L6's 1st cycle.
    expect(onNov1.overall.mqlCount).toBe(12);
    // On 11/01: accepted E2 L1 L2 L5 L6 L7 L11 = 7 · rejected L3 L10 = 2 · contested L4 = 1 · undecided E3 L8 = 2 → 12.
    expect(onNov1.overall.acceptance).toMatchObject({ handedOver: 12, accepted: 7, rejected: 2, contested: 1, undecided: 2, decided: 9 });
    // 7 / (7 + 2): the denominator is the decided leads; L4 and the undecided are outside it.
    expect(onNov1.overall.acceptance.rate).toBeCloseTo(7 / 9);
    // SALs = 7 accepted MQLs + L9 (sales-originated); E1 accepted on 10/01 is September's, L4 is contested.
    expect(onNov1.overall.salCount).toBe(8);
    expect(onNov1.overall.salesOriginatedCount).toBe(1);
  });

  it('says "too few to judge" below 10 decided leads, and judges the band once there are enough', () => {
    expect(onNov1.overall.acceptance).toMatchObject({ band: null, tooFewToJudge: true, minDecided: 10 });
    // On 12/01: E3 rejected (11/02), L8 accepted (11/04): 8 accepted · 3 rejected · 1 contested · 0 undecided; 8/11 = 73 %.
    expect(onDec1.overall.acceptance).toMatchObject({ handedOver: 12, accepted: 8, rejected: 3, contested: 1, undecided: 0, decided: 11, band: 'healthy', tooFewToJudge: false });
    expect(onDec1.overall.acceptance.rate).toBeCloseTo(8 / 11);
    // Per rep (decider: REP_A decided E2 L1 L2 L4 L6 L8 L10 E3 = 8 MQLs, 7 decided; REP_B L3 L5 L7 L11 = 4, all decided): both too few.
    expect(onDec1.byRep[REP_A.id]?.acceptance).toMatchObject({ handedOver: 8, decided: 7, band: null, tooFewToJudge: true });
    expect(onDec1.byRep[REP_B.id]?.acceptance).toMatchObject({ handedOver: 4, decided: 4, band: null, tooFewToJudge: true });
  });

  it('lists as rejection reasons exactly the rejected leads of the breakdown (retracted and reopened rejections left out)', () => {
    // L3, L10 competitor; not L5's retracted do_not_call, not L7's reopened duplicate, not L6's September no_budget, not L4's contested unclear_need.
    expect(onNov1.overall.rejections).toEqual({ total: 2, byReason: { competitor: 2 }, trendByMonth: [{ month: '2026-10', total: 2, byReason: { competitor: 2 } }] });
    // E3 (handed over 10/31 23:30 JST) is rejected on 11/02 and counts in October's trend, by its hand-over month.
    expect(onDec1.overall.rejections.byReason).toEqual({ competitor: 2, bad_contact_data: 1 });
    expect(onDec1.overall.rejections.total).toBe(onDec1.overall.acceptance.rejected);
  });

  it('measures first contact against business hours, the 10/12 holiday included', () => {
    // Within: E2 L1 L2 (holiday moves its deadline to Wed 17:30; contact Wed 17:00) L6 L7 L11 L9 = 7; late: L5 (due Mon 10/19 10:20) = 1.
    expect(onNov1.overall.firstContact).toMatchObject({ sals: 8, withinSla: 7, late: 1, open: 0, closedWithoutContact: 0 });
    expect(onNov1.overall.firstContact.rate).toBeCloseTo(7 / 8);
    // 12/01: + L8 (accepted 11/04 10:00, contacted 11:00) → 8 / 9.
    expect(onDec1.overall.firstContact).toMatchObject({ sals: 9, withinSla: 8, late: 1 });
  });

  it('follows October’s SALs to SQL and won, so a closed month still moves — and says so', () => {
    // 11/01: SQL L1 = 1 of 8; won L7 = 1 of 8.   12/01: SQL L1 L11 = 2 of 9; won L7 L1 L11 = 3 of 9.
    expect(onNov1.overall.salToSql).toEqual({ of: 8, count: 1, rate: 1 / 8 });
    expect(onNov1.overall.salToClose).toEqual({ of: 8, count: 1, rate: 1 / 8 });
    expect(onDec1.overall.salToSql).toEqual({ of: 9, count: 2, rate: 2 / 9 });
    expect(onDec1.overall.salToClose).toEqual({ of: 9, count: 3, rate: 3 / 9 });
    // 11/01: undecided E3 L8, contested L4, open SALs L1 L5 L11 L9 → settling; last change E3's hand-over 10/31 23:30 JST.
    expect(onNov1.settlement).toBe('settling');
    expect(onNov1.overall.stillOpen).toEqual({ undecided: 2, contested: 1, openSals: 4 });
    expect(onNov1.lastChangedAt).toEqual(jst('2026-10-31T23:30'));
    // 12/01: contested L4, open SALs L5 L8 L9 → still settling; last change L11 won 11/25 10:00 JST.
    expect(onDec1.overall.stillOpen).toEqual({ undecided: 0, contested: 1, openSals: 3 });
    expect(onDec1.lastChangedAt).toEqual(jst('2026-11-25T10:00'));
    // A month that has not ended is in progress.
    expect(computeKpis(EVENTS, { ...OCTOBER, now: jst('2026-10-20T12:00') }).settlement).toBe('in_progress');
  });

  it('keeps a snapshot: October as of 11/01, computed on 12/01 from every event, gives the 11/01 figures', () => {
    const known = EVENTS.filter((e) => new Date(e.occurredAt) <= jst('2026-11-01T00:00'));
    const then = computeKpis(known, { ...OCTOBER, now: jst('2026-11-01T00:00') });
    expect(onNov1.overall).toEqual(then.overall);
  });

  it('times to accept: median of the SALs handed over, in calendar and business minutes', () => {
    // Calendar: E2 90, L1 60, L2 30, L5 20, L6 60, L7 1440 (10/21 10:00 → 10/22 10:00), L11 60 → sorted 20 30 60 60 60 90 1440 → 60.
    // Business: E2 30 (09:00–09:30), L7 540 (10/21 10–18 + 10/22 9–10), the others as above → 20 30 30 60 60 60 540 → 60.
    expect(onNov1.overall.timeToAccept).toEqual({ samples: 7, medianMinutes: 60, medianBusinessMinutes: 60 });
  });

  it('counts SALs per week of their hand-over (weeks start on Monday, JST)', () => {
    // E2 (Thu 10/01) → 9/28; L1 L2 → 10/05; L5 → 10/12; L6 L7 → 10/19; L8 L9 L11 → 10/26.
    expect(onDec1.overall.salCountByWeek).toEqual([
      { weekStart: '2026-09-28', count: 1 },
      { weekStart: '2026-10-05', count: 2 },
      { weekStart: '2026-10-12', count: 1 },
      { weekStart: '2026-10-19', count: 2 },
      { weekStart: '2026-10-26', count: 3 },
    ]);
  });
});

describe('the overdue backlog is now, not the period’s', () => {
  it('on 11/01: L1 (no status update since its SQL on 10/20), L5 (never called), L8 (never decided); the contested L4 is not overdue', () => {
    // L1: 45 business hours from Tue 10/20 10:00 → Tue 10/27 10:00, passed. L5: first contact due 10/19, status 10/22. L8: acceptance due 10/26 18:00.
    expect(onNov1.overall.overdueBacklog).toEqual({ total: 3, byClock: { acceptance: 1, first_contact: 1, status_update: 2 } });
    expect(onNov1.byRep[REP_A.id]?.overdueBacklog.total).toBe(1); // L1 (L4, contested, has no running clock)
    expect(onNov1.bySource.expo?.overdueBacklog.total).toBe(0); // L4 contested; E3 handed over Sat 10/31 23:30, due Mon 11/02 17:00
  });

  it('on 12/01 the same figure for October and for September: L5, L8 (no update since 11/04), L9 (none since 10/27)', () => {
    expect(onDec1.overall.overdueBacklog).toEqual({ total: 3, byClock: { acceptance: 0, first_contact: 1, status_update: 3 } });
    const september = computeKpis(EVENTS, { from: jst('2026-09-01T00:00'), to: jst('2026-10-01T00:00'), now: jst('2026-12-01T00:00') });
    expect(september.overall.overdueBacklog).toEqual(onDec1.overall.overdueBacklog);
    // September's own cohort: E1 (accepted) and L6's first cycle (rejected, no_budget).
    expect(september.overall.acceptance).toMatchObject({ handedOver: 2, accepted: 1, rejected: 1 });
    // E1, accepted on 10/01, is September's SAL (its hand-over month), not October's.
    expect(september.overall.salCount).toBe(1);
    expect(september.overall.rejections.byReason).toEqual({ no_budget: 1 });
  });
});
