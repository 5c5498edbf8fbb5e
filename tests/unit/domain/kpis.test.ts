import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeKpis, type LeadEvent } from '../../../lib/domain';
import * as b from './builders';
import { jst, REP_A, REP_B } from './builders';

const period = { from: jst('2026-11-01T00:00'), to: jst('2026-12-01T00:00'), now: jst('2026-12-01T00:00') };
const lead = (n: number) => `hubspot:${n}`;

describe('computeKpis (hand-computed)', () => {
  // Three MQLs in November: one accepted, contacted in time, qualified and won; one rejected
  // (do_not_call); one accepted by REP_B and never contacted (late, overdue at `now`).
  const events: LeadEvent[] = [
    b.handedOver({ at: jst('2026-11-02T09:00'), leadKey: lead(1) }, { source: 'webinar', owner: REP_A.id }),
    b.accepted({ at: jst('2026-11-02T11:00'), leadKey: lead(1), actor: REP_A }),
    b.contacted({ at: jst('2026-11-03T10:00'), leadKey: lead(1), actor: REP_A }),
    b.qualified({ at: jst('2026-11-10T10:00'), leadKey: lead(1), actor: REP_A }),
    b.won({ at: jst('2026-11-20T10:00'), leadKey: lead(1), actor: REP_A }),
    b.handedOver({ at: jst('2026-11-04T09:00'), leadKey: lead(2) }, { source: 'webinar' }),
    b.rejected({ at: jst('2026-11-04T09:30'), leadKey: lead(2), actor: REP_A }, { reasonCode: 'do_not_call' }),
    b.handedOver({ at: jst('2026-11-16T09:00'), leadKey: lead(3) }, { source: 'expo' }),
    b.accepted({ at: jst('2026-11-16T13:00'), leadKey: lead(3), actor: REP_B }),
    // Outside the period: handed over in October, does not count as a November MQL.
    b.handedOver({ at: jst('2026-10-30T09:00'), leadKey: lead(4) }, { source: 'expo' }),
  ];
  const k = computeKpis(events, period);

  it('counts MQLs, SALs and the acceptance rate with its health band', () => {
    expect(k.overall.mqlCount).toBe(3);
    expect(k.overall.salCount).toBe(2);
    // 3 decided leads are too few for the health band (it needs 10).
    expect(k.overall.acceptance).toMatchObject({ accepted: 2, rejected: 1, undecided: 0, decided: 3, band: null, tooFewToJudge: true });
    expect(k.overall.acceptance.rate).toBeCloseTo(2 / 3);
    // Weeks start on Monday in Tokyo: Mon 11/2 and Mon 11/16.
    expect(k.overall.salCountByWeek).toEqual([
      { weekStart: '2026-11-02', count: 1 },
      { weekStart: '2026-11-16', count: 1 },
    ]);
    expect(k.overall.salCountByMonth).toEqual([{ month: '2026-11', count: 2 }]);
  });

  it('measures first contact within the SLA, SQL and close rates', () => {
    expect(k.overall.firstContact).toMatchObject({ sals: 2, withinSla: 1, late: 1, open: 0, rate: 0.5 });
    expect(k.overall.salToSql).toEqual({ of: 2, count: 1, rate: 0.5 });
    expect(k.overall.salToClose).toEqual({ of: 2, count: 1, rate: 0.5 });
  });

  it('breaks rejections down by reason and month, and medians of time to accept', () => {
    expect(k.overall.rejections).toEqual({
      total: 1,
      byReason: { do_not_call: 1 },
      trendByMonth: [{ month: '2026-11', total: 1, byReason: { do_not_call: 1 } }],
    });
    // 2 h and 4 h → median 3 h of calendar time; the same in business time (both inside 9–18).
    expect(k.overall.timeToAccept).toEqual({ samples: 2, medianMinutes: 180, medianBusinessMinutes: 180 });
    // 11/2 11:00 → 11/3 10:00: 23 h of calendar time; 11/3 is 文化の日, so 7 business hours.
    expect(k.overall.timeToFirstContact).toEqual({ samples: 1, medianMinutes: 23 * 60, medianBusinessMinutes: 7 * 60 });
  });

  it('reports the overdue backlog at now (lead 3 uncontacted, lead 4 never decided)', () => {
    expect(k.overall.overdueBacklog.total).toBe(2);
    expect(k.overall.overdueBacklog.byClock).toMatchObject({ acceptance: 1, first_contact: 1 });
  });

  it('splits by rep and by source', () => {
    expect(k.byRep[REP_A.id]?.salCount).toBe(1);
    expect(k.byRep[REP_A.id]?.rejections.total).toBe(1);
    expect(k.byRep[REP_B.id]?.salCount).toBe(1);
    expect(k.repNames[REP_B.id]).toBe(REP_B.name);
    expect(k.bySource.webinar?.acceptance).toMatchObject({ accepted: 1, rejected: 1, rate: 0.5 });
    expect(k.bySource.expo?.mqlCount).toBe(1);
  });

  it('flags 100 % acceptance as too lenient and under 10 % as misaligned, from 10 decided leads (configurable)', () => {
    const decided = (n: number, accept: (i: number) => boolean) =>
      Array.from({ length: n }, (_, i) => [
        b.handedOver({ at: jst('2026-11-05T09:00'), leadKey: lead(100 + i) }),
        accept(i) ? b.accepted({ at: jst('2026-11-05T10:00'), leadKey: lead(100 + i) }) : b.rejected({ at: jst('2026-11-05T10:00'), leadKey: lead(100 + i) }),
      ]).flat();
    const band = (evs: LeadEvent[], health?: Parameters<typeof computeKpis>[1]['health']) => computeKpis(evs, { ...period, health }).overall.acceptance;
    // Tiny numbers say nothing: 4 of 4 accepted, 0 of 1 accepted.
    expect(band(decided(4, () => true))).toMatchObject({ rate: 1, band: null, tooFewToJudge: true });
    expect(band(decided(1, () => false))).toMatchObject({ rate: 0, band: null, tooFewToJudge: true });
    // 10 of 10 accepted: a sieve; 0 of 10: misaligned; 1 of 10 (10 %): healthy.
    expect(band(decided(10, () => true))).toMatchObject({ band: 'too_lenient', tooFewToJudge: false });
    expect(band(decided(10, () => false))).toMatchObject({ band: 'misaligned' });
    expect(band(decided(10, (i) => i === 0))).toMatchObject({ band: 'healthy' });
    expect(
      band(
        decided(10, (i) => i === 0),
        { misalignedBelow: 0.2 },
      ).band,
    ).toBe('misaligned');
    expect(
      band(
        decided(4, () => true),
        { minDecided: 4 },
      ).band,
    ).toBe('too_lenient');
  });
});

describe('a period settles', () => {
  const nov = { from: jst('2026-11-01T00:00'), to: jst('2026-12-01T00:00') };
  it('once every lead is decided and every SAL closed; a lead recycled before any decision is undecided but waits for nothing', () => {
    const events = [
      b.handedOver({ at: jst('2026-11-02T10:00'), leadKey: lead(1) }),
      b.recycled({ at: jst('2026-11-02T11:00'), leadKey: lead(1), actor: b.MARKETER }),
      b.handedOver({ at: jst('2026-11-02T10:00'), leadKey: lead(2) }),
      b.accepted({ at: jst('2026-11-02T11:00'), leadKey: lead(2) }),
      b.contacted({ at: jst('2026-11-02T12:00'), leadKey: lead(2) }),
      b.won({ at: jst('2026-12-10T10:00'), leadKey: lead(2) }),
    ];
    // 12/05: lead 2 is an open SAL → settling; 12/11: won → settled, last changed 12/10 10:00 JST.
    const dec5 = computeKpis(events, { ...nov, now: jst('2026-12-05T00:00') });
    expect(dec5.overall.acceptance).toMatchObject({ handedOver: 2, accepted: 1, undecided: 1 });
    expect(dec5.overall.stillOpen).toEqual({ undecided: 0, contested: 0, openSals: 1 });
    expect(dec5.settlement).toBe('settling');
    const dec11 = computeKpis(events, { ...nov, now: jst('2026-12-11T00:00') });
    expect(dec11.settlement).toBe('settled');
    expect(dec11.lastChangedAt).toEqual(jst('2026-12-10T10:00'));
  });
});

describe('KPI properties', () => {
  /** Random well-formed leads inside November with one of several outcomes. */
  const leadArb = fc.record({
    day: fc.integer({ min: 1, max: 29 }),
    hour: fc.integer({ min: 0, max: 23 }),
    source: fc.constantFrom('webinar', 'expo', undefined),
    rep: fc.constantFrom(REP_A, REP_B),
    outcome: fc.constantFrom('pending', 'accepted', 'rejected', 'contested', 'won', 'sales'),
    reason: fc.constantFrom('do_not_call', 'competitor', 'duplicate'),
  });

  it('counts add up to the events they came from, overall and across groups', () => {
    fc.assert(
      fc.property(fc.array(leadArb, { maxLength: 40 }), (leads) => {
        const events: LeadEvent[] = [];
        leads.forEach((l, i) => {
          const key = lead(i);
          const at = (h: number) => new Date(Date.UTC(2026, 10, l.day, l.hour + h));
          if (l.outcome === 'sales') {
            events.push(b.salesOriginated({ at: at(0), leadKey: key, actor: l.rep }));
            return;
          }
          events.push(b.handedOver({ at: at(0), leadKey: key }, { source: l.source }));
          if (l.outcome === 'rejected') events.push(b.rejected({ at: at(1), leadKey: key, actor: l.rep }, { reasonCode: l.reason }));
          if (l.outcome !== 'pending' && l.outcome !== 'rejected') events.push(b.accepted({ at: at(1), leadKey: key, actor: l.rep }));
          if (l.outcome === 'contested') events.push(b.rejected({ at: at(2), leadKey: key, actor: l.rep.id === REP_A.id ? REP_B : REP_A }));
          if (l.outcome === 'won') {
            events.push(b.contacted({ at: at(2), leadKey: key, actor: l.rep }));
            events.push(b.won({ at: at(3), leadKey: key, actor: l.rep }));
          }
        });
        const k = computeKpis(events, { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
        const count = (type: LeadEvent['type']) => events.filter((e) => e.type === type).length;
        const o = k.overall;
        expect(o.mqlCount).toBe(count('handed_over'));
        // a contested lead is not an SAL until one side gives way
        expect(o.salCount).toBe(leads.filter((l) => l.outcome !== 'pending' && l.outcome !== 'rejected' && l.outcome !== 'contested').length);
        expect(o.salCount).toBe(o.acceptance.accepted + o.salesOriginatedCount);
        expect(o.salesOriginatedCount).toBe(count('sales_originated'));
        expect(o.rejections.total).toBe(leads.filter((l) => l.outcome === 'rejected').length);
        expect(Object.values(o.rejections.byReason).reduce((s, n) => s + n, 0)).toBe(o.rejections.total);
        expect(o.rejections.total).toBe(o.acceptance.rejected);
        const a = o.acceptance;
        expect(a.accepted + a.rejected + a.contested + a.undecided).toBe(a.handedOver);
        expect(o.salCountByWeek.reduce((s, w) => s + w.count, 0)).toBe(o.salCount);
        expect(o.salCountByMonth.reduce((s, w) => s + w.count, 0)).toBe(o.salCount);
        expect(o.salToClose.count).toBe(count('won'));
        const f = o.firstContact;
        expect(f.withinSla + f.late + f.open + f.closedWithoutContact).toBe(f.sals);
        for (const groups of [k.byRep, k.bySource]) {
          const sum = (pick: (g: (typeof groups)[string]) => number) => Object.values(groups).reduce((s, g) => s + pick(g), 0);
          expect(sum((g) => g.mqlCount)).toBe(o.mqlCount);
          expect(sum((g) => g.salCount)).toBe(o.salCount);
          expect(sum((g) => g.rejections.total)).toBe(o.rejections.total);
          expect(sum((g) => g.overdueBacklog.total)).toBe(o.overdueBacklog.total);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('computeKpis: as of `now`, on judged times', () => {
  const october = { from: jst('2026-10-01T00:00'), to: jst('2026-11-01T00:00') };
  const withReceived = <E extends LeadEvent>(e: E, receivedAt: Date): E & { receivedAt: string } => ({ ...e, receivedAt: receivedAt.toISOString() });
  const handOver = withReceived(b.handedOver({ at: jst('2026-10-10T09:00'), leadKey: lead(1) }), jst('2026-10-10T09:00'));

  it('leaves out an acceptance dated in October but recorded offline and synced on 11/5: October as of 11/1 does not move', () => {
    const offline = withReceived(b.accepted({ at: jst('2026-10-30T10:00'), leadKey: lead(1) }), jst('2026-11-05T10:00'));
    const asOfNov1 = computeKpis([handOver, offline], { ...october, now: jst('2026-11-01T00:00') });
    expect(asOfNov1.overall.acceptance).toMatchObject({ handedOver: 1, accepted: 0, undecided: 1 });
    expect(asOfNov1.lastChangedAt).toEqual(jst('2026-10-10T09:00'));
    // seen later, it counts — from its judged time (received 11/5 10:00 minus the 5-minute skew)
    const asOfDec1 = computeKpis([handOver, offline], { ...october, now: jst('2026-12-01T00:00') });
    expect(asOfDec1.overall.acceptance).toMatchObject({ accepted: 1, undecided: 0 });
    expect(asOfDec1.lastChangedAt).toEqual(jst('2026-11-05T09:55'));
  });

  it('keeps an event received within the allowed skew at its own time', () => {
    const onTime = withReceived(b.accepted({ at: jst('2026-10-31T23:59'), leadKey: lead(1) }), jst('2026-11-01T00:03'));
    const k = computeKpis([handOver, onTime], { ...october, now: jst('2026-11-01T00:00') });
    expect(k.overall.acceptance.accepted).toBe(1);
  });
});

describe('computeKpis: a contest resolved late', () => {
  it('judges the first contact from when the lead became an SAL, as the clock does', () => {
    const events = [
      b.handedOver({ at: jst('2026-11-24T09:00'), leadKey: lead(1) }),
      b.accepted({ at: jst('2026-11-24T10:00'), leadKey: lead(1), actor: REP_A }),
      b.rejected({ at: jst('2026-11-24T10:05'), leadKey: lead(1), actor: REP_B }),
      // REP_B gives way on Thu 11/26 11:00; the contact on Fri 10:00 is 8 business hours later (7 h + 1 h),
      // inside the 18-hour SLA, though after the deadline the first acceptance alone would have set (11/26 10:00)
      b.accepted({ at: jst('2026-11-26T11:00'), leadKey: lead(1), actor: REP_B }),
      b.contacted({ at: jst('2026-11-27T10:00'), leadKey: lead(1), actor: REP_A }),
    ];
    const k = computeKpis(events, period);
    expect(k.overall.firstContact).toMatchObject({ sals: 1, withinSla: 1, late: 0 });
    expect(k.overall.timeToFirstContact.medianBusinessMinutes).toBe(8 * 60);
    // time to accept is still the first acceptance: 1 hour after the hand-over
    expect(k.overall.timeToAccept.medianMinutes).toBe(60);
  });
});
