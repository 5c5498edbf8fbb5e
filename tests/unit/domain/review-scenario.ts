import { DEFAULT_DEFINITION, type LeadEvent } from '../../../lib/domain';
import * as b from './builders';
import { MARKETER, REP_A, REP_B } from './builders';

/**
 * A month of leads for the review meeting (shared by the domain and the component tests): one of
 * each reason to discuss, and leads that need no discussion.
 */
export const jst = b.jst;
export const from = jst('2026-11-01T00:00');
export const to = jst('2026-11-21T00:00');
export const now = jst('2026-11-20T10:00');
export const options = { from, to, now, definition: DEFAULT_DEFINITION };
export const lead = (n: string) => `salesforce:00Q5g00000Lead${n}AAA`;
const snap = (name: string) => ({ name, company: '株式会社サクラテック' });

/** A hand-over whose payload carries fields this version's schema does not know (hand-off rules add them). */
export function withRationale(e: LeadEvent, rationale: unknown): LeadEvent {
  return { ...e, payload: { ...e.payload, rationale } } as unknown as LeadEvent;
}

export const A = lead('A');
export const B = lead('B');
export const C = lead('C');
export const D = lead('D');
export const E = lead('E');
export const F = lead('F');
export const G = lead('G');
export const H = lead('H');
export const events: LeadEvent[] = [
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
