import { describe, expect, it } from 'vitest';
import { DEFAULT_DEFINITION, foldLead, type LeadEvent } from '../../../lib/domain';
import { computeReview, handOverRationale, reviewItemOf } from '../../../lib/domain/review';
import * as b from './builders';
import { MARKETER, REP_A, REP_B } from './builders';

const jst = b.jst;
const from = jst('2026-11-01T00:00');
const to = jst('2026-11-21T00:00');
const now = jst('2026-11-20T10:00');
const options = { from, to, now, definition: DEFAULT_DEFINITION };
const lead = (n: string) => `salesforce:00Q5g00000Lead${n}AAA`;
const snap = (name: string) => ({ name, company: '株式会社サクラテック' });

/** A hand-over whose payload carries fields this version's schema does not know (hand-off rules add them). */
function withRationale(e: LeadEvent, rationale: unknown): LeadEvent {
  return { ...e, payload: { ...e.payload, rationale } } as unknown as LeadEvent;
}

const A = lead('A');
const B = lead('B');
const C = lead('C');
const D = lead('D');
const E = lead('E');
const F = lead('F');
const G = lead('G');
const H = lead('H');
const events: LeadEvent[] = [
  // rejected for bad contact data, with a rationale from the sender
  withRationale(b.handedOver({ at: jst('2026-11-16T10:00'), leadKey: A, lead: snap('山田 太郎') }, { source: 'web', note: 'セミナー参加' }), 'ホワイトペーパー2件DL、スコア80'),
  b.rejected({ at: jst('2026-11-16T11:00'), leadKey: A, actor: REP_A }, { reasonCode: 'bad_contact_data', temperature: 'cold', comment: '電話番号が不通' }),
  // contested: one rep accepts, another rejects
  b.handedOver({ at: jst('2026-11-10T10:00'), leadKey: B, lead: snap('佐々木') }),
  b.accepted({ at: jst('2026-11-10T11:00'), leadKey: B, actor: REP_A }, { temperature: 'warm' }),
  b.rejected({ at: jst('2026-11-10T12:00'), leadKey: B, actor: REP_B }, { reasonCode: 'competitor', temperature: 'hot' }),
  // sent back to nurture
  b.handedOver({ at: jst('2026-11-17T10:00'), leadKey: C }),
  b.recycled({ at: jst('2026-11-17T11:00'), leadKey: C, actor: REP_A }, 'not_ready'),
  // never decided: the acceptance deadline passed long ago
  b.handedOver({ at: jst('2026-11-02T09:00'), leadKey: D }),
  // worked on time: nothing to discuss
  b.handedOver({ at: jst('2026-11-19T09:00'), leadKey: E }),
  b.accepted({ at: jst('2026-11-19T09:30'), leadKey: E, actor: REP_A }),
  b.contacted({ at: jst('2026-11-19T10:00'), leadKey: E, actor: REP_A }),
  // rejected before the period
  b.handedOver({ at: jst('2026-10-05T09:00'), leadKey: F }),
  b.rejected({ at: jst('2026-10-05T10:00'), leadKey: F, actor: REP_A }),
  // rejected, then handed over again: the rejection was dealt with
  b.handedOver({ at: jst('2026-11-05T09:00'), leadKey: G }),
  b.rejected({ at: jst('2026-11-05T10:00'), leadKey: G, actor: REP_A }, { reasonCode: 'duplicate' }),
  b.handedOver({ at: jst('2026-11-20T09:30'), leadKey: G }),
  // rejected and already reviewed by the meeting
  b.handedOver({ at: jst('2026-11-18T09:00'), leadKey: H }),
  b.rejected({ at: jst('2026-11-18T10:00'), leadKey: H, actor: REP_A }, { reasonCode: 'do_not_call' }),
  b.reviewed({ at: jst('2026-11-19T15:00'), leadKey: H, actor: MARKETER }, { outcome: 'keep_in_nurture', note: '半年後に再アプローチ' }),
];

describe('the review meeting list', () => {
  it('lists the rejected, contested, recycled and overdue leads, grouped by reason (reject reasons in the definition’s order)', () => {
    const report = computeReview(events, options);
    expect(report.groups.map((g) => [g.key, g.items.map((i) => i.leadKey)])).toEqual([
      ['rejected:do_not_call', [H]],
      ['rejected:bad_contact_data', [A]],
      ['contested', [B]],
      ['recycled:not_ready', [C]],
      ['overdue:acceptance', [D]],
    ]);
    expect([report.total, report.reviewed]).toEqual([5, 1]);
  });

  it('gives each lead its decisions, comments, temperature, source, rationale and hand-over', () => {
    const report = computeReview(events, options);
    const a = report.groups.find((g) => g.key === 'rejected:bad_contact_data')!.items[0]!;
    expect(a).toMatchObject({ reason: 'rejected', detail: 'bad_contact_data', status: 'rejected', source: 'web', rationale: 'ホワイトペーパー2件DL、スコア80', temperature: 'cold' });
    expect(a.since).toEqual(jst('2026-11-16T11:00'));
    expect(a.handOver).toMatchObject({ by: MARKETER.name, at: jst('2026-11-16T10:00') });
    expect(a.decisions.map((d) => [d.kind, d.actor.id, d.reasonCode])).toEqual([['rejected', REP_A.id, 'bad_contact_data']]);
    expect(a.comments.map((c) => [c.eventType, c.text])).toEqual([
      ['handed_over', 'セミナー参加'],
      ['rejected', '電話番号が不通'],
    ]);
    expect(a.lead).toMatchObject({ name: '山田 太郎' });
    const contested = report.groups.find((g) => g.key === 'contested')!.items[0]!;
    // the latest decision's temperature, and the contest dates from the decision that made it
    expect([contested.temperature, contested.since]).toEqual(['hot', jst('2026-11-10T12:00')]);
    expect(report.groups.find((g) => g.reason === 'overdue')!.items[0]!.overdue).toEqual(['acceptance']);
  });

  it('shows the outcomes the meeting recorded, and can leave reviewed leads out', () => {
    const h = computeReview(events, options).groups[0]!.items[0]!;
    expect(h.reviews.map((r) => [r.outcome, r.note, r.actor.id])).toEqual([['keep_in_nurture', '半年後に再アプローチ', MARKETER.id]]);
    const open = computeReview(events, { ...options, onlyUnreviewed: true });
    expect(open.groups.flatMap((g) => g.items.map((i) => i.leadKey))).toEqual([A, B, C, D]);
  });

  it('a recorded outcome never changes the lead’s status, and a retracted one is gone', () => {
    const hEvents = events.filter((e) => e.leadKey === H);
    expect(foldLead(hEvents).status).toBe('rejected');
    const review = hEvents[hEvents.length - 1]!;
    const undone = [...hEvents, b.retracted(review, { at: jst('2026-11-19T15:05'), leadKey: H, actor: MARKETER })];
    expect(foldLead(undone).status).toBe('rejected');
    expect(reviewItemOf(foldLead(undone), options)?.reviews).toEqual([]);
  });

  it('takes a period: a rejection outside it is not listed, overdue is the backlog of now whatever the period', () => {
    const october = computeReview(events, { ...options, from: jst('2026-10-01T00:00'), to: jst('2026-11-01T00:00') });
    expect(october.groups.map((g) => [g.key, g.items.map((i) => i.leadKey)])).toEqual([
      ['rejected:do_not_call', [F]],
      ['overdue:acceptance', [D]],
    ]);
  });

  it('is empty for no events', () => {
    expect(computeReview([], options)).toMatchObject({ groups: [], total: 0, reviewed: 0 });
  });
});

describe('the sender’s rationale', () => {
  const h = b.handedOver({ at: jst('2026-11-16T10:00') });
  it('reads a string, a list of strings or an object with text, and nothing else', () => {
    expect(handOverRationale(withRationale(h, '  展示会で名刺交換  '))).toBe('展示会で名刺交換');
    expect(handOverRationale(withRationale(h, ['スコア80', 3, '', '決裁者']))).toBe('スコア80; 決裁者');
    expect(handOverRationale(withRationale(h, { text: 'ルール「展示会」' }))).toBe('ルール「展示会」');
    for (const odd of [undefined, null, 42, '', [], { score: 1 }]) expect(handOverRationale(withRationale(h, odd))).toBeUndefined();
    expect(handOverRationale(b.accepted({ at: jst('2026-11-16T10:00') }))).toBeUndefined();
  });
});
