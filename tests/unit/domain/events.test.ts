import { describe, expect, it } from 'vitest';
import { isPgSafeText, isStorableInstant, judgedAt, LeadEventSchema, MAX_CLOCK_SKEW_MS, UlidSchema } from '../../../lib/domain/events';
import { HandoffItemSchema, MAX_CLOCK_SKEW_MS as WIRE_SKEW } from '../../../lib/protocol/http';
import * as b from './builders';

describe('strings the database can store', () => {
  it('refuses U+0000 and unpaired surrogates, keeps emoji and Japanese text', () => {
    expect(isPgSafeText('株式会社サンプル 😀')).toBe(true);
    expect(isPgSafeText('')).toBe(true);
    expect(isPgSafeText('a\u0000b')).toBe(false);
    expect(isPgSafeText(`株式会社${'😀'.slice(0, 1)}`)).toBe(false); // an emoji clipped after its high half
    expect(isPgSafeText(`${'😀'.slice(1)}tail`)).toBe(false); // a low half alone
    expect(isPgSafeText('\uDE00\uD83D')).toBe(false); // both halves, in the wrong order
  });

  it('is applied to every string of an event: snapshot, payload, actor, checklist keys, lead key', () => {
    const base = b.accepted({ at: '2026-11-24T00:00:00Z' });
    const bad = [
      { ...base, lead: { company: 'A\u0000' } },
      { ...base, lead: { url: 'https://crm.example/\uD800' } },
      { ...base, actor: { id: 'u-rep-a', name: '田中\u0000' } },
      { ...base, actor: { id: 'local-\u0000', name: '' } },
      { ...base, payload: { checklist: { 'bant\u0000': true } } },
      { ...base, payload: { checklist: {}, comment: '\uDFFF' } },
      { ...base, leadKey: 'custom:L\u0000' },
      { ...b.handedOver({ at: '2026-11-24T00:00:00Z' }), payload: { by: 'MA\u0000' } },
    ];
    for (const event of bad) expect(LeadEventSchema.safeParse(event).success, JSON.stringify(event)).toBe(false);
    expect(HandoffItemSchema.safeParse({ crm: 'custom', recordId: 'L-1', by: 'MA', note: 'x\u0000' }).success).toBe(false);
    expect(LeadEventSchema.safeParse({ ...base, lead: { company: '😀'.repeat(250) } }).success).toBe(true);
  });
});

describe('instants the database can store', () => {
  it('takes real dates from 1970 to 9999 in any offset, refuses year 0000, Feb 30 and the rest', () => {
    for (const ok of ['1970-01-01T00:00:00Z', '2024-02-29T09:00:00+09:00', '9999-12-31T23:59:59.999Z', '2026-11-24T09:00:00.000+09:00']) expect(isStorableInstant(ok), ok).toBe(true);
    for (const bad of ['0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '2026-02-29T00:00:00Z', '2026-02-30T09:00:00+09:00', '2026-04-31T00:00:00Z', '9999-12-31T23:59:59-01:00'])
      expect(isStorableInstant(bad), bad).toBe(false);
    const base = b.accepted({ at: '2026-11-24T00:00:00Z' });
    expect(LeadEventSchema.safeParse({ ...base, occurredAt: '0000-01-01T00:00:00Z' }).success).toBe(false);
    expect(HandoffItemSchema.safeParse({ crm: 'custom', recordId: 'L-1', by: 'MA', handedOverAt: '2026-02-30T00:00:00Z' }).success).toBe(false);
  });
});

describe('judgedAt: the time an event counts from', () => {
  const ms = (iso: string) => Date.parse(iso);

  it('is occurredAt while the server has not received the event (provisional)', () => {
    expect(judgedAt('2026-11-24T09:00:00+09:00')).toBe(ms('2026-11-24T00:00:00Z'));
  });

  it('is occurredAt when the server received it within the allowed skew', () => {
    expect(judgedAt('2026-11-24T00:00:00Z', '2026-11-24T00:04:59Z')).toBe(ms('2026-11-24T00:00:00Z'));
  });

  it('moves a backdated or long-offline event forward to receivedAt minus the skew', () => {
    expect(judgedAt('2026-11-20T00:00:00Z', '2026-11-24T00:00:00Z')).toBe(ms('2026-11-24T00:00:00Z') - MAX_CLOCK_SKEW_MS);
    expect(MAX_CLOCK_SKEW_MS).toBe(5 * 60_000);
    expect(WIRE_SKEW).toBe(MAX_CLOCK_SKEW_MS);
  });

  it('ignores a receivedAt that does not parse', () => {
    expect(judgedAt('2026-11-24T00:00:00Z', 'garbage')).toBe(ms('2026-11-24T00:00:00Z'));
  });
});

describe('event ids (UlidSchema)', () => {
  it('takes real ULIDs, whose first character is 0–7, and refuses one whose time would overflow', () => {
    const base = b.accepted({ at: '2026-11-24T00:00:00Z' });
    expect(UlidSchema.safeParse(base.id).success).toBe(true);
    expect(UlidSchema.safeParse('7ZZZZZZZZZZZZZZZZZZZZZZZZZ').success).toBe(true);
    for (const bad of ['8ZZZZZZZZZZZZZZZZZZZZZZZZZ', 'ZZZZZZZZZZZZZZZZZZZZZZZZZZ', '01JD000000000000000000000U', '01jd0000000000000000000001', '01JD00000000000000000000'])
      expect(UlidSchema.safeParse(bad).success, bad).toBe(false);
    expect(LeadEventSchema.safeParse({ ...base, id: '8ZZZZZZZZZZZZZZZZZZZZZZZZZ' }).success).toBe(false);
  });
});

describe('rejected events: what the contract checks about the reason', () => {
  const base = b.rejected({ at: '2026-11-24T00:00:00Z' });
  it('checks the shape of the code only (the definition is checked by validateRejection), and that `other` has a comment', () => {
    // a code no definition knows is well-formed here; validateRejection refuses it at record time
    expect(LeadEventSchema.safeParse({ ...base, payload: { reasonCode: 'not_in_any_definition' } }).success).toBe(true);
    expect(LeadEventSchema.safeParse({ ...base, payload: { reasonCode: 'other' } }).success).toBe(false);
    expect(LeadEventSchema.safeParse({ ...base, payload: { reasonCode: 'other', comment: '  ' } }).success).toBe(false);
    expect(LeadEventSchema.safeParse({ ...base, payload: { reasonCode: 'other', comment: '別部署で商談中' } }).success).toBe(true);
  });
});
