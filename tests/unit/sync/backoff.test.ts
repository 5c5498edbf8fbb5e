import { describe, expect, it } from 'vitest';
import { fullJitterDelay, parseRetryAfter } from '../../../lib/sync/backoff';

describe('fullJitterDelay', () => {
  it('draws from [0, base·2^attempt] and stops growing at the cap', () => {
    expect(fullJitterDelay(0, () => 0.999, 1000, 60_000)).toBe(999);
    expect(fullJitterDelay(3, () => 0.5, 1000, 60_000)).toBe(4000);
    expect(fullJitterDelay(20, () => 0.5, 1000, 60_000)).toBe(30_000);
    expect(fullJitterDelay(5, () => 0, 1000, 60_000)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores garbage', () => {
    const now = Date.parse('2026-11-24T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
