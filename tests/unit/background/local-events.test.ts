import { describe, expect, it } from 'vitest';
import { bufferedCryptoRandom, draftLocalEvent } from '../../../lib/background/local-events';
import { REP_A } from '../domain/builders';

describe('local event ids', () => {
  it('draw their randomness from the crypto source 256 bytes at a time, each value a byte / 256', () => {
    let calls = 0;
    let fill = 0;
    const crypto = {
      getRandomValues<T extends ArrayBufferView | null>(array: T): T {
        calls++;
        const bytes = array as unknown as Uint8Array;
        for (let i = 0; i < bytes.length; i++) bytes[i] = (fill + i) % 256;
        fill += bytes.length;
        return array;
      },
    };
    const random = bufferedCryptoRandom(crypto);
    const values = Array.from({ length: 300 }, random);
    expect(calls).toBe(2);
    expect(values[0]).toBe(0);
    expect(values[255]).toBe(255 / 256);
    expect(values[256]).toBe(0);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('stay unique and in the order the events were made, within one millisecond too', () => {
    const at = Date.UTC(2026, 10, 30, 3, 0, 0);
    const ids = [at, at, at, at + 1].map((t) => {
      const drafted = draftLocalEvent({ at: t, leadKey: 'salesforce:00Q5g00000AbCdEAAA', actor: REP_A, role: null, definition: { version: 1 }, type: 'accepted', payload: { checklist: {} } });
      if (!drafted.ok) throw new Error(drafted.issues.join('; '));
      return drafted.event.id;
    });
    expect(new Set(ids).size).toBe(4);
    expect([...ids].sort()).toEqual(ids);
  });
});
