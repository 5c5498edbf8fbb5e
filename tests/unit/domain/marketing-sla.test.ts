import { describe, expect, it } from 'vitest';
import { DEFAULT_DEFINITION, type LeadEvent } from '../../../lib/domain';
import { computeMarketingSla } from '../../../lib/domain/marketing-sla';
import * as b from './builders';
import { MARKETER, REP_A } from './builders';

const jst = b.jst;
const lead = (n: string) => `hubspot:${n}`;
const complete = { name: '山田 太郎', company: '株式会社サクラテック', title: '部長', email: 'yamada@sakura.example.jp', phone: '03-1234-5678' };
const options = { from: jst('2026-11-01T00:00'), to: jst('2026-12-01T00:00'), now: jst('2026-11-30T12:00'), definition: DEFAULT_DEFINITION };
const tanaka = { id: 'u-ma-2', name: '田中 (MA)' };

const events: LeadEvent[] = [
  // meets every data requirement (score 60 ≥ 50)
  b.handedOver({ at: jst('2026-11-02T10:00'), leadKey: lead('1'), lead: complete }, { source: 'web', score: 60 }),
  // no phone, rejected as bad contact data
  b.handedOver({ at: jst('2026-11-03T10:00'), leadKey: lead('2'), lead: { ...complete, email: 'sato@x.example', phone: undefined } }, { source: 'web', score: 70 }),
  b.rejected({ at: jst('2026-11-03T11:00'), leadKey: lead('2'), actor: REP_A }, { reasonCode: 'bad_contact_data' }),
  // the same person as lead 1 under another record: a duplicate, rejected as such
  b.handedOver({ at: jst('2026-11-04T10:00'), leadKey: lead('3'), lead: { ...complete, email: 'YAMADA@sakura.example.jp ' }, actor: tanaka }, { by: tanaka.name, source: 'event', score: 90 }),
  b.rejected({ at: jst('2026-11-04T11:00'), leadKey: lead('3'), actor: REP_A }, { reasonCode: 'duplicate' }),
  // no score sent while the definition asks for one: cannot be judged
  b.handedOver({ at: jst('2026-11-05T10:00'), leadKey: lead('4'), lead: { ...complete, email: 'b@c.example', phone: '090-1111-2222' } }, { source: 'event', by: tanaka.name }),
  // handed over before the period: not counted, but it is what a later duplicate is found against
  b.handedOver({ at: jst('2026-10-20T10:00'), leadKey: lead('5'), lead: { ...complete, email: 'old@x.example', phone: '06-9999-0000' } }, { source: 'web', score: 60 }),
  b.handedOver({ at: jst('2026-11-06T10:00'), leadKey: lead('6'), lead: { ...complete, email: 'new@x.example', phone: '0699990000' } }, { source: 'web', score: 60 }),
];

describe('marketing’s side of the SLA', () => {
  it('counts hand-offs meeting the data requirements, duplicates and rejections for bad contact data or duplicates', () => {
    const r = computeMarketingSla(events, options);
    expect(r.overall).toMatchObject({ handOffs: 5, dataMet: 3, dataFailed: 1, dataUnknown: 1, duplicates: 2, rejectedForMarketing: { bad_contact_data: 1, duplicate: 1 } });
    expect(r.overall.dataRate).toBeCloseTo(3 / 5);
    expect(r.overall.failures).toEqual({ phone: 1 });
  });

  it('splits by source and by sender', () => {
    const r = computeMarketingSla(events, options);
    expect(Object.keys(r.bySource)).toEqual(['event', 'web']);
    expect(r.bySource.web).toMatchObject({ handOffs: 3, dataMet: 2, dataFailed: 1, duplicates: 1, rejectedForMarketing: { bad_contact_data: 1, duplicate: 0 } });
    expect(r.bySource.event).toMatchObject({ handOffs: 2, dataMet: 1, dataUnknown: 1, duplicates: 1, rejectedForMarketing: { bad_contact_data: 0, duplicate: 1 } });
    expect(r.bySender[MARKETER.name]).toMatchObject({ handOffs: 3 });
    expect(r.bySender[tanaka.name]).toMatchObject({ handOffs: 2, duplicates: 1 });
  });

  it('counts each cycle’s hand-off of a lead handed over again, on the data each one sent, never as a duplicate of itself', () => {
    const evs = [
      // sent without a phone, recycled, then sent again complete under the same record
      b.handedOver({ at: jst('2026-11-02T10:00'), leadKey: lead('7'), lead: { ...complete, phone: undefined } }, { source: 'web', score: 60 }),
      b.recycled({ at: jst('2026-11-03T10:00'), leadKey: lead('7'), actor: REP_A }),
      b.handedOver({ at: jst('2026-11-09T10:00'), leadKey: lead('7'), lead: complete }, { source: 'web', score: 60 }),
      // another record with the same phone (written differently) sent later: a duplicate
      b.handedOver({ at: jst('2026-11-10T10:00'), leadKey: lead('8'), lead: { ...complete, email: 'other@x.example', phone: '(03) 1234 5678' } }, { source: 'web', score: 60 }),
    ];
    const r = computeMarketingSla(evs, options);
    expect(r.overall).toMatchObject({ handOffs: 3, dataMet: 2, dataFailed: 1, duplicates: 1, failures: { phone: 1 } });
  });

  it('has no rate without hand-offs', () => {
    const r = computeMarketingSla([], options);
    expect(r.overall).toMatchObject({ handOffs: 0, dataRate: null });
    expect(r.reviews).toEqual({ withinDays: 7, counts: { on_time: 0, late: 0, overdue: 0, open: 0 }, rate: null });
  });
});

describe('the review meeting’s SLA', () => {
  const rejectedOn = (n: string, day: string): LeadEvent[] => [
    b.handedOver({ at: jst(`2026-11-${day}T09:00`), leadKey: lead(n) }),
    b.rejected({ at: jst(`2026-11-${day}T10:00`), leadKey: lead(n), actor: REP_A }),
  ];
  const review = (n: string, at: string) => b.reviewed({ at: jst(at), leadKey: lead(n) }, { outcome: 'fix_data' });

  it('counts rejections reviewed within the agreed calendar days, late, overdue unreviewed and not yet due', () => {
    const evs = [
      ...rejectedOn('r1', '02'),
      review('r1', '2026-11-09T10:00'), // exactly 7 days: on time
      ...rejectedOn('r2', '02'),
      review('r2', '2026-11-09T10:01'), // a minute late
      ...rejectedOn('r3', '10'), // never reviewed, due 11/17
      ...rejectedOn('r4', '27'), // not reviewed yet, due 12/04
    ];
    expect(computeMarketingSla(evs, options).reviews).toEqual({ withinDays: 7, counts: { on_time: 1, late: 1, overdue: 1, open: 1 }, rate: 1 / 3 });
  });

  it('follows the definition’s agreed days, and a review before the rejection or in a later cycle does not count', () => {
    const evs = [
      ...rejectedOn('r1', '02'),
      review('r1', '2026-11-12T10:00'), // 10 days
      b.handedOver({ at: jst('2026-11-03T09:00'), leadKey: lead('r5') }),
      review('r5', '2026-11-03T09:30'),
      b.rejected({ at: jst('2026-11-03T10:00'), leadKey: lead('r5'), actor: REP_A }),
    ];
    const fourteen = computeMarketingSla(evs, { ...options, definition: { ...DEFAULT_DEFINITION, reviewWithinDays: 14 } });
    expect(fourteen.reviews).toMatchObject({ withinDays: 14, counts: { on_time: 1, late: 0, overdue: 1, open: 0 } });
  });
});
