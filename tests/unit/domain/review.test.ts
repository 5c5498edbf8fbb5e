import { describe, expect, it } from 'vitest';
import { foldLead } from '../../../lib/domain';
import { computeReview, handOverRationale, reviewItemOf } from '../../../lib/domain/review';
import * as b from './builders';
import { MARKETER, REP_A } from './builders';
import { A, B, C, D, events, F, H, jst, options, withRationale } from './review-scenario';

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
