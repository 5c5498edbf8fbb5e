import { monotonicFactory } from 'ulid';
import { EVENT_SCHEMA_VERSION, LeadEventSchema, type Actor, type LeadEvent, type LeadEventOf, type LeadEventType } from '../../../lib/domain';

/**
 * Test event builders, shared by every suite that needs lead events. Each builder returns a
 * schema-valid event (parsed through `LeadEventSchema`, so a builder cannot produce something
 * the real contract rejects). Ids are monotonic ULIDs seeded from the event time, so ids sort
 * like the events.
 */

const nextUlid = monotonicFactory();

export const LEAD = 'salesforce:00Q5g00000AbCdEEAV';
export const MARKETER: Actor = { id: 'u-marketing', name: '佐藤 (MA)' };
export const REP_A: Actor = { id: 'u-rep-a', name: '田中' };
export const REP_B: Actor = { id: 'u-rep-b', name: '鈴木' };

export interface EventOptions {
  at: string | Date;
  actor?: Actor;
  leadKey?: string;
  id?: string;
  definitionVersion?: number;
  lead?: LeadEvent['lead'];
}

type PayloadOf<T extends LeadEventType> = LeadEventOf<T>['payload'];

/** Any event type with an explicit payload. */
export function ev<T extends LeadEventType>(type: T, payload: PayloadOf<T>, o: EventOptions): LeadEventOf<T> {
  const at = typeof o.at === 'string' ? new Date(o.at) : o.at;
  return LeadEventSchema.parse({
    schemaVersion: EVENT_SCHEMA_VERSION,
    id: o.id ?? nextUlid(at.getTime()),
    leadKey: o.leadKey ?? LEAD,
    actor: o.actor ?? REP_A,
    occurredAt: at.toISOString(),
    definitionVersion: o.definitionVersion ?? 1,
    lead: o.lead,
    type,
    payload,
  }) as LeadEventOf<T>;
}

export const handedOver = (o: EventOptions, p: Partial<PayloadOf<'handed_over'>> = {}) => ev('handed_over', { by: MARKETER.name, ...p }, { actor: MARKETER, ...o });
export const accepted = (o: EventOptions, p: Partial<PayloadOf<'accepted'>> = {}) => ev('accepted', { checklist: {}, ...p }, o);
export const rejected = (o: EventOptions, p: Partial<PayloadOf<'rejected'>> = {}) => ev('rejected', { reasonCode: 'do_not_call', ...p }, o);
export const contacted = (o: EventOptions, p: Partial<PayloadOf<'contacted'>> = {}) => ev('contacted', { channel: 'call', ...p }, o);
export const progressUpdated = (o: EventOptions, note = '打ち合わせ日程を調整中') => ev('progress_updated', { note }, o);
export const qualified = (o: EventOptions) => ev('qualified', {}, o);
export const recycled = (o: EventOptions, reason = 'not_ready') => ev('recycled', { reason }, o);
export const won = (o: EventOptions, amount?: number) => ev('won', { amount }, o);
export const lost = (o: EventOptions, reason?: string) => ev('lost', { reason }, o);
export const salesOriginated = (o: EventOptions, p: Partial<PayloadOf<'sales_originated'>> = {}) => ev('sales_originated', { signal: 'intent', ...p }, o);
export const reopened = (o: EventOptions) => ev('reopened', {}, o);
export const reviewed = (o: EventOptions, p: Partial<PayloadOf<'reviewed'>> = {}) => ev('reviewed', { outcome: 'hand_over_again', ...p }, { actor: MARKETER, ...o });
export const retracted = (target: LeadEvent | string, o: EventOptions) => ev('retracted', { targetEventId: typeof target === 'string' ? target : target.id }, o);

/** `YYYY-MM-DDTHH:MM` in Asia/Tokyo → Date (JST has no DST, so a fixed +09:00 is exact). */
export const jst = (local: string) => new Date(`${local}:00+09:00`);
