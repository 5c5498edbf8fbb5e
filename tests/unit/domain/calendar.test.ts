import { TZDate } from '@date-fns/tz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  BusinessCalendarSchema,
  businessMinutesBetween,
  DEFAULT_CALENDAR_JP,
  isWithinWorkingIntervalClosed,
  isWorkingDay,
  isWorkingTime,
  localDateKey,
  type BusinessCalendar,
} from '../../../lib/domain';
import { jst } from './builders';

const NY: BusinessCalendar = BusinessCalendarSchema.parse({
  timeZone: 'America/New_York',
  workingDays: [1, 2, 3, 4, 5],
  workingHours: { start: '09:00', end: '17:00' },
  holidays: 'none',
});
const BERLIN_LUNCH: BusinessCalendar = BusinessCalendarSchema.parse({
  timeZone: 'Europe/Berlin',
  workingDays: [1, 2, 3, 4, 5],
  workingHours: { start: '09:00', end: '18:00' },
  breaks: [{ start: '12:00', end: '13:00' }],
  holidays: 'none',
  closures: [{ from: '2026-08-10', to: '2026-08-14', label: 'summer' }],
});

describe('addBusinessTime on the Japanese default calendar (hand-computed)', () => {
  it.each([
    // The case: Fri 12/25 17:00 + 16 h → Fri 1 h, Mon 12/28 9 h, 12/29–1/3 closed, Mon 1/4 6 h.
    ['2026-12-25T17:00', 16 * 60, '2027-01-04T15:00'],
    ['2026-12-25T17:00', 60, '2026-12-25T18:00'], // ends exactly at closing time, not next morning
    ['2026-12-25T17:00', 61, '2026-12-28T09:01'],
    ['2026-12-26T10:00', 60, '2026-12-28T10:00'], // Saturday start waits for Monday 9:00
    ['2026-12-24T20:00', 30, '2026-12-25T09:30'], // after hours → next morning
    ['2026-11-20T17:00', 2 * 60, '2026-11-24T10:00'], // Mon 11/23 勤労感謝の日 is a holiday
    ['2026-04-28T17:00', 2 * 60, '2026-04-30T10:00'], // 4/29 昭和の日
    ['2026-05-01T17:00', 2 * 60, '2026-05-07T10:00'], // Golden Week: 5/4, 5/5, 5/6 (振替休日) off
    ['2027-01-04T09:00', 0, '2027-01-04T09:00'],
  ])('%s + %i min → %s', (start, minutes, expected) => {
    expect(addBusinessTime(jst(start), minutes, DEFAULT_CALENDAR_JP)).toEqual(jst(expected));
  });

  it('counts minutes between two instants, skipping nights, weekends, holidays and closures', () => {
    expect(businessMinutesBetween(jst('2026-12-25T17:00'), jst('2027-01-04T15:00'), DEFAULT_CALENDAR_JP)).toBe(960);
    expect(businessMinutesBetween(jst('2027-01-04T15:00'), jst('2026-12-25T17:00'), DEFAULT_CALENDAR_JP)).toBe(-960);
    expect(businessMinutesBetween(jst('2026-12-26T00:00'), jst('2026-12-27T23:59'), DEFAULT_CALENDAR_JP)).toBe(0);
  });

  it('knows working time', () => {
    expect(isWorkingTime(jst('2026-12-25T09:00'), DEFAULT_CALENDAR_JP)).toBe(true);
    expect(isWorkingTime(jst('2026-12-25T18:00'), DEFAULT_CALENDAR_JP)).toBe(false);
    expect(isWorkingTime(jst('2026-12-30T10:00'), DEFAULT_CALENDAR_JP)).toBe(false); // 年末年始
    expect(isWorkingTime(jst('2027-01-11T10:00'), DEFAULT_CALENDAR_JP)).toBe(false); // 成人の日
  });

  it('reports local dates in the calendar zone', () => {
    expect(localDateKey(new Date('2026-12-24T15:30:00Z'), DEFAULT_CALENDAR_JP)).toBe('2026-12-25');
  });
});

describe('DST and other calendar features', () => {
  it('keeps wall-clock hours across the US spring-forward (2026-03-08)', () => {
    // Fri 3/6 16:00 EST + 2 h → Mon 3/9 10:00 EDT (= 14:00Z, while 10:00 EST would be 15:00Z).
    expect(addBusinessTime(new Date('2026-03-06T21:00:00Z'), 120, NY)).toEqual(new Date('2026-03-09T14:00:00Z'));
    // A working day is still 8 hours on the transition week.
    expect(businessMinutesBetween(new Date('2026-03-06T14:00:00Z'), new Date('2026-03-09T13:00:00Z'), NY)).toBe(480);
  });

  it('keeps wall-clock hours across the US fall-back (2026-11-01)', () => {
    expect(addBusinessTime(new Date('2026-10-30T20:00:00Z'), 120, NY)).toEqual(new Date('2026-11-02T15:00:00Z'));
  });

  it('skips a lunch break and dated closures (Berlin, DST end 2026-10-25)', () => {
    const cal = BERLIN_LUNCH;
    expect(addBusinessTime(new Date('2026-06-01T09:30:00Z'), 60, cal)).toEqual(new Date('2026-06-01T11:30:00Z'));
    expect(addBusinessTime(new Date('2026-08-07T15:00:00Z'), 120, cal)).toEqual(new Date('2026-08-17T08:00:00Z'));
    // Fri 10/23 17:00 CEST (15:00Z) + 2 h → Mon 10/26 10:00 CET (09:00Z).
    expect(addBusinessTime(new Date('2026-10-23T15:00:00Z'), 120, cal)).toEqual(new Date('2026-10-26T09:00:00Z'));
  });

  it('rejects negative durations and calendars without working time', () => {
    expect(() => addBusinessTime(jst('2026-12-25T17:00'), -1, DEFAULT_CALENDAR_JP)).toThrow(RangeError);
    const neverOpen = BusinessCalendarSchema.parse({
      ...DEFAULT_CALENDAR_JP,
      closures: [{ from: '01-01', to: '12-31' }],
    });
    expect(() => addBusinessTime(jst('2026-12-25T17:00'), 10, neverOpen)).toThrow(RangeError);
  });

  it('validates calendars', () => {
    expect(BusinessCalendarSchema.safeParse({ ...DEFAULT_CALENDAR_JP, timeZone: 'Mars/Base' }).success).toBe(false);
    expect(BusinessCalendarSchema.safeParse({ ...DEFAULT_CALENDAR_JP, workingHours: { start: '18:00', end: '09:00' } }).success).toBe(false);
  });
});

const instant = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true });
const calendars = fc.constantFrom(DEFAULT_CALENDAR_JP, NY, BERLIN_LUNCH);

describe('calendar properties', () => {
  it('a deadline never falls inside non-working time', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 20_000 }), calendars, (start, minutes, cal) => {
        const deadline = addBusinessTime(start, minutes, cal);
        expect(isWithinWorkingIntervalClosed(deadline, cal)).toBe(true);
        expect(deadline.getTime()).toBeGreaterThan(start.getTime());
      }),
    );
  });

  it('adding more time never gives an earlier deadline', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 5_000 }), calendars, (start, m, extra, cal) => {
        expect(addBusinessTime(start, m + extra, cal).getTime()).toBeGreaterThanOrEqual(addBusinessTime(start, m, cal).getTime());
      }),
    );
  });

  it('businessMinutesBetween measures exactly what addBusinessTime added', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 20_000 }), calendars, (start, minutes, cal) => {
        expect(businessMinutesBetween(start, addBusinessTime(start, minutes, cal), cal)).toBeCloseTo(minutes, 6);
      }),
    );
  });
});

describe('the contract of the calendar queries', () => {
  const invalid = new Date(NaN);

  it('throws RangeError for an invalid Date', () => {
    expect(() => businessMinutesBetween(invalid, jst('2026-11-24T09:00'), DEFAULT_CALENDAR_JP)).toThrow(RangeError);
    expect(() => businessMinutesBetween(jst('2026-11-24T09:00'), invalid, DEFAULT_CALENDAR_JP)).toThrow(RangeError);
    expect(() => isWorkingTime(invalid, DEFAULT_CALENDAR_JP)).toThrow(RangeError);
    expect(() => isWithinWorkingIntervalClosed(invalid, DEFAULT_CALENDAR_JP)).toThrow(RangeError);
    expect(() => isWorkingDay(invalid, DEFAULT_CALENDAR_JP)).toThrow(RangeError);
    expect(() => localDateKey(invalid, DEFAULT_CALENDAR_JP)).toThrow(RangeError);
    expect(() => addBusinessTime(invalid, 60, DEFAULT_CALENDAR_JP)).toThrow(RangeError);
  });

  it('isWorkingDay follows the calendar’s working days, not Monday–Friday', () => {
    const tuesdayToSaturday = BusinessCalendarSchema.parse({ ...DEFAULT_CALENDAR_JP, workingDays: [2, 3, 4, 5, 6] });
    expect(isWorkingDay(jst('2026-11-28T10:00'), tuesdayToSaturday)).toBe(true); // Saturday
    expect(isWorkingDay(jst('2026-11-30T10:00'), tuesdayToSaturday)).toBe(false); // Monday
    expect(isWorkingDay(jst('2026-11-23T10:00'), DEFAULT_CALENDAR_JP)).toBe(false); // 勤労感謝の日, a Monday
    // the local day in Tokyo, not the UTC one: Saturday 11/28 08:00 JST is still Friday in UTC
    expect(isWorkingDay(jst('2026-11-28T08:00'), DEFAULT_CALENDAR_JP)).toBe(false);
  });

  it('gives the same answers after the compiled table has grown to far years', () => {
    const cal = BusinessCalendarSchema.parse({ ...DEFAULT_CALENDAR_JP, closures: [] });
    expect(localDateKey(jst('2026-11-24T08:59'), cal)).toBe('2026-11-24');
    expect(localDateKey(new Date('2040-01-01T14:59:59Z'), cal)).toBe('2040-01-01'); // widens the table
    expect(localDateKey(new Date('2040-01-01T15:00:00Z'), cal)).toBe('2040-01-02');
    expect(localDateKey(jst('2026-11-24T08:59'), cal)).toBe('2026-11-24');
    expect(businessMinutesBetween(jst('2026-11-24T09:00'), jst('2026-11-24T18:00'), cal)).toBe(9 * 60);
  });
});

describe('the compiled table against the zone’s own wall times', () => {
  // The table resolves most days' wall times by arithmetic on one offset lookup per day, and only
  // the days around an offset change with TZDate: every day's local midnight and working-interval
  // edges must still be the instants TZDate gives, in zones with DST at 01:00, 02:00 and midnight,
  // half-hour DST, and offsets of +5:45, -3:30 and +14.
  const zones = ['Asia/Tokyo', 'America/New_York', 'Europe/London', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Kiritimati'];
  const edges: Array<[number, boolean]> = [
    [9, true], // opening: working from this instant on
    [12, false], // a break starts
    [13, true],
    [18, false], // closing
  ];

  it.each(zones)('%s: every day of 2025 and 2026', (timeZone) => {
    const cal = BusinessCalendarSchema.parse({
      timeZone,
      workingDays: [1, 2, 3, 4, 5, 6, 7],
      workingHours: { start: '09:00', end: '18:00' },
      breaks: [{ start: '12:00', end: '13:00' }],
      holidays: 'none',
    });
    const wrong: string[] = [];
    for (let civil = Date.UTC(2025, 0, 1); civil <= Date.UTC(2026, 11, 31); civil += 86_400_000) {
      const day = new Date(civil);
      const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()];
      const key = day.toISOString().slice(0, 10);
      const midnight = new TZDate(y, m, d, 0, 0, timeZone).getTime();
      if (localDateKey(new Date(midnight), cal) !== key) wrong.push(`${key} 00:00 is another day`);
      if (localDateKey(new Date(midnight - 1), cal) !== new Date(civil - 86_400_000).toISOString().slice(0, 10)) wrong.push(`${key} 00:00 - 1 ms is not the day before`);
      for (const [hour, opens] of edges) {
        const at = new TZDate(y, m, d, hour, 0, timeZone).getTime();
        if (isWorkingTime(new Date(at), cal) !== opens || isWorkingTime(new Date(at - 1), cal) === opens) wrong.push(`${key} ${hour}:00`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
