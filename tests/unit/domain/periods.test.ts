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

  it('last month is the whole previous calendar month; last 30 days ends now', () => {
    expect(periodRange('last_month', now, 'Asia/Tokyo')).toEqual({ from: new Date('2026-10-31T15:00:00Z'), to: new Date('2026-11-30T15:00:00Z') });
    expect(periodRange('last_30_days', now, 'Asia/Tokyo')).toEqual({ from: new Date('2026-10-31T23:30:00Z'), to: now });
  });
});
