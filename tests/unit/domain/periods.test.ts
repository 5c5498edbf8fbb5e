import { describe, expect, it } from 'vitest';
import { periodRange } from '../../../lib/domain/periods';

// Tuesday 2026-12-01 08:30 in Tokyo is still Monday 23:30 in UTC: periods follow the team's zone.
const now = new Date('2026-11-30T23:30:00Z');

describe('KPI periods in the team time zone', () => {
  it('this week starts on Monday 00:00 local, this month on the 1st', () => {
    expect(periodRange('this_week', now, 'Asia/Tokyo')).toEqual({ from: new Date('2026-11-29T15:00:00Z'), to: now });
    expect(periodRange('this_month', now, 'Asia/Tokyo')).toEqual({ from: new Date('2026-11-30T15:00:00Z'), to: now });
    // in UTC the same instant is still in November
    expect(periodRange('this_month', now, 'UTC').from).toEqual(new Date('2026-11-01T00:00:00Z'));
  });

  it('last month is the whole previous calendar month', () => {
    expect(periodRange('last_month', now, 'Asia/Tokyo')).toEqual({ from: new Date('2026-10-31T15:00:00Z'), to: new Date('2026-11-30T15:00:00Z') });
  });

  it('last 30 days starts at local midnight: today (12/1 JST) and the 29 days before, from 11/2 00:00 JST', () => {
    // 12/1 − 29 days = 11/2; 11/2 00:00 JST = 11/1 15:00 UTC, not "now minus 30 × 24 h" (10/31 23:30 UTC).
    expect(periodRange('last_30_days', now, 'Asia/Tokyo')).toEqual({ from: new Date('2026-11-01T15:00:00Z'), to: now });
    // across a DST change the start stays at midnight: New York, 2026-11-01 is the fall-back day
    expect(periodRange('last_30_days', new Date('2026-11-20T17:00:00Z'), 'America/New_York').from).toEqual(new Date('2026-10-22T04:00:00Z'));
  });
});
