import { TZDate, tzOffset } from '@date-fns/tz';
import holidayJp from '@holiday-jp/holiday_jp';
import { z } from 'zod';

/**
 * Business calendars: when a team works, in its own time zone. SLA clocks that count business
 * time ("8 business hours to accept") run only inside the working intervals described here.
 *
 * Performance: every calendar is compiled once (per object, cached) into a sorted table of its
 * working intervals and local midnights as UTC milliseconds with running totals, covering whole
 * local years. A query inside the table is a binary search or two, with no time-zone conversion.
 * The zone conversions happen only while building the table (one offset lookup per day, and a
 * conversion per local midnight and working-interval edge on the days around an offset change),
 * which is also what makes DST correct: each day's 09:00 is resolved in that day's offset. A
 * query outside the table first rebuilds it, wider (a year of margin either side, keeping the
 * years it had): that call pays the lookups for every day of the new range.
 */

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const MONTH_DAY = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A time of day `HH:MM` (local to the calendar's zone); `24:00` is the end of the day. */
export const TimeOfDaySchema = z.string().regex(HHMM, 'must be HH:MM');

export const TimeIntervalSchema = z.object({ start: TimeOfDaySchema, end: TimeOfDaySchema }).refine((i) => minuteOfDay(i.start) < minuteOfDay(i.end), { message: 'start must be before end' });
export type TimeInterval = z.infer<typeof TimeIntervalSchema>;

/**
 * A company closure. Either recurring every year by month-day (`{from:'12-29', to:'01-03'}`,
 * which may wrap the year end) or a dated range (`{from:'2026-08-13', to:'2026-08-16'}`).
 * Both ends are inclusive whole local days.
 */
export const ClosureSchema = z.union([
  z.object({
    from: z.string().regex(MONTH_DAY, 'MM-DD'),
    to: z.string().regex(MONTH_DAY, 'MM-DD'),
    label: z.string().max(200).optional(),
  }),
  z
    .object({
      from: z.string().regex(ISO_DATE, 'YYYY-MM-DD'),
      to: z.string().regex(ISO_DATE, 'YYYY-MM-DD'),
      label: z.string().max(200).optional(),
    })
    .refine((c) => c.from <= c.to, { message: 'from must not be after to' }),
]);
export type Closure = z.infer<typeof ClosureSchema>;

export const BusinessCalendarSchema = z.object({
  /** IANA time zone, e.g. `Asia/Tokyo`, `America/New_York`. */
  timeZone: z.string().refine(isValidTimeZone, { message: 'unknown IANA time zone' }),
  /** ISO weekday numbers: 1 = Monday … 7 = Sunday. */
  workingDays: z.array(z.number().int().min(1).max(7)).min(1),
  workingHours: TimeIntervalSchema,
  /** Breaks inside the working hours (e.g. lunch 12:00–13:00); they do not count. */
  breaks: z.array(TimeIntervalSchema).default([]),
  /** `jp`: Japanese national holidays (@holiday-jp/holiday_jp) are non-working days. */
  holidays: z.enum(['jp', 'none']),
  closures: z.array(ClosureSchema).default([]),
});
export type BusinessCalendar = z.infer<typeof BusinessCalendarSchema>;
/** What callers may write (defaults of `breaks`/`closures` not yet applied). */
export type BusinessCalendarInput = z.input<typeof BusinessCalendarSchema>;

/** Asia/Tokyo, Monday–Friday 9:00–18:00, Japanese national holidays, closed 12/29–1/3 (年末年始). */
export const DEFAULT_CALENDAR_JP: BusinessCalendar = Object.freeze({
  timeZone: 'Asia/Tokyo',
  workingDays: [1, 2, 3, 4, 5],
  workingHours: { start: '09:00', end: '18:00' },
  breaks: [],
  holidays: 'jp',
  closures: [{ from: '12-29', to: '01-03', label: '年末年始' }],
}) as BusinessCalendar;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

function minuteOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Compiled calendar: sorted, disjoint working intervals [start, end) in UTC ms, covering whole local years. */
interface CalendarTable {
  fromYear: number;
  toYear: number;
  starts: number[];
  ends: number[];
  /** cumBefore[i] = working ms in all intervals before i. */
  cumBefore: number[];
  /** cumEnd[i] = cumBefore[i] + (ends[i] - starts[i]). */
  cumEnd: number[];
  /** UTC ms of each local midnight, for local-date lookups (same year range). */
  dayStarts: number[];
  /** The civil date (UTC-midnight ms of the same Y-M-D) of each entry of dayStarts. */
  dayCivil: number[];
}

interface Compiled {
  calendar: BusinessCalendar;
  /** Working intervals of a day as [startMinute, endMinute) pairs, breaks removed. */
  dayIntervals: Array<[number, number]>;
  workingDays: boolean[];
  recurring: Array<[number, number]>;
  dated: Array<[number, number]>;
  table: CalendarTable | undefined;
}

const compiledByObject = new WeakMap<BusinessCalendar, Compiled>();
/** Fallback for equal calendars that are different objects (e.g. re-parsed from storage). */
const compiledByKey = new Map<string, Compiled>();
const MAX_KEYED = 32;

function compile(calendar: BusinessCalendar): Compiled {
  const hit = compiledByObject.get(calendar);
  if (hit) return hit;
  const key = JSON.stringify(calendar);
  let compiled = compiledByKey.get(key);
  if (!compiled) {
    compiled = buildCompiled(calendar);
    if (compiledByKey.size >= MAX_KEYED) compiledByKey.clear();
    compiledByKey.set(key, compiled);
  }
  compiledByObject.set(calendar, compiled);
  return compiled;
}

function buildCompiled(calendar: BusinessCalendar): Compiled {
  let intervals: Array<[number, number]> = [[minuteOfDay(calendar.workingHours.start), minuteOfDay(calendar.workingHours.end)]];
  for (const b of calendar.breaks ?? []) {
    const bs = minuteOfDay(b.start);
    const be = minuteOfDay(b.end);
    intervals = intervals.flatMap(([s, e]): Array<[number, number]> => {
      if (be <= s || bs >= e) return [[s, e]];
      const out: Array<[number, number]> = [];
      if (bs > s) out.push([s, bs]);
      if (be < e) out.push([be, e]);
      return out;
    });
  }
  const workingDays = Array.from({ length: 8 }, (_, d) => calendar.workingDays.includes(d));
  const mdNum = (md: string) => Number(md.slice(0, 2)) * 100 + Number(md.slice(3, 5));
  const ymdNum = (ymd: string) => Number(ymd.slice(0, 4)) * 10000 + mdNum(ymd.slice(5));
  const recurring: Array<[number, number]> = [];
  const dated: Array<[number, number]> = [];
  for (const c of calendar.closures ?? []) {
    if (c.from.length === 5) recurring.push([mdNum(c.from), mdNum(c.to)]);
    else dated.push([ymdNum(c.from), ymdNum(c.to)]);
  }
  return { calendar, dayIntervals: intervals, workingDays, recurring, dated, table: undefined };
}

function isClosedDay(c: Compiled, y: number, m: number, d: number): boolean {
  const md = m * 100 + d;
  for (const [from, to] of c.recurring) {
    if (from <= to ? md >= from && md <= to : md >= from || md <= to) return true;
  }
  const ymd = y * 10000 + md;
  for (const [from, to] of c.dated) if (ymd >= from && ymd <= to) return true;
  if (c.calendar.holidays === 'jp') {
    const key = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    if (Object.hasOwn(holidayJp.holidays, key)) return true;
  }
  return false;
}

function buildTable(c: Compiled, fromYear: number, toYear: number): CalendarTable {
  const tz = c.calendar.timeZone;
  const starts: number[] = [];
  const ends: number[] = [];
  const dayStarts: number[] = [];
  const dayCivil: number[] = [];
  const first = Date.UTC(fromYear, 0, 1);
  const days = (Date.UTC(toYear, 11, 31) - first) / DAY_MS + 1;
  // The zone's offset at every UTC midnight from the day before the range to two days after it:
  // one zone lookup per day. A local day lies within [its civil date - 1 day, + 2 days] in UTC
  // (offsets are within ±14 h), so where those four samples agree (and a zone never changes its
  // offset twice within 24 hours) the whole day has that offset and its wall times are plain
  // arithmetic. Other days (a DST change near them, a historical offset with seconds) resolve
  // each wall time with TZDate, as every day did before, at three zone lookups a time or more.
  const offsets: number[] = new Array(days + 3);
  for (let k = 0; k < days + 3; k++) offsets[k] = tzOffset(tz, new Date(first + (k - 1) * DAY_MS));
  for (let k = 0; k < days; k++) {
    const civil = first + k * DAY_MS;
    const date = new Date(civil);
    const y = date.getUTCFullYear();
    const m = date.getUTCMonth();
    const d = date.getUTCDate();
    const offset = offsets[k]!;
    const steady = Number.isInteger(offset) && offsets[k + 1] === offset && offsets[k + 2] === offset && offsets[k + 3] === offset;
    // TZDate resolves the local wall time in that day's own offset (DST-correct).
    const wallTime = (minute: number) => (steady ? civil + (minute - offset) * MINUTE_MS : new TZDate(y, m, d, Math.floor(minute / 60), minute % 60, tz).getTime());
    dayStarts.push(wallTime(0));
    dayCivil.push(civil);
    const isoWeekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
    if (!c.workingDays[isoWeekday] || isClosedDay(c, y, m + 1, d)) continue;
    for (const [s, e] of c.dayIntervals) {
      const startMs = wallTime(s);
      const endMs = wallTime(e);
      if (endMs > startMs) {
        starts.push(startMs);
        ends.push(endMs);
      }
    }
  }
  const cumBefore: number[] = new Array(starts.length);
  const cumEnd: number[] = new Array(starts.length);
  let total = 0;
  for (let i = 0; i < starts.length; i++) {
    cumBefore[i] = total;
    total += ends[i]! - starts[i]!;
    cumEnd[i] = total;
  }
  return { fromYear, toYear, starts, ends, cumBefore, cumEnd, dayStarts, dayCivil };
}

/** Returns the table, rebuilt when it does not cover [fromMs, toMs] with a year of margin. */
function tableCovering(c: Compiled, fromMs: number, toMs: number): CalendarTable {
  const fromYear = new Date(fromMs).getUTCFullYear() - 1;
  const toYear = new Date(toMs).getUTCFullYear() + 1;
  const t = c.table;
  if (t && t.fromYear <= fromYear && t.toYear >= toYear) return t;
  const table = buildTable(c, Math.min(fromYear, t?.fromYear ?? fromYear), Math.max(toYear, t?.toYear ?? toYear));
  c.table = table;
  return table;
}

/** Index of the last element of sorted `xs` that is <= x, or -1. */
function lastAtOrBefore(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** Index of the first element of sorted `xs` that is >= x, or xs.length. */
function firstAtOrAfter(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Working ms from the start of the table up to instant t. */
function cumulativeAt(t: CalendarTable, at: number): number {
  const i = lastAtOrBefore(t.starts, at);
  if (i < 0) return 0;
  return t.cumBefore[i]! + Math.min(at, t.ends[i]!) - t.starts[i]!;
}

function assertDate(d: Date, name: string): number {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is an invalid Date`);
  return ms;
}

/**
 * The instant that lies `minutes` of working time after `start` on `calendar`.
 *
 * - Time outside working hours, on non-working weekdays, Japanese holidays (when enabled) and
 *   closures does not count; DST transitions are honoured (wall-clock working hours).
 * - For `minutes > 0` the result always lies in a working interval, possibly exactly at its
 *   closing time (e.g. 60 minutes from Friday 17:00 on a 9–18 calendar is Friday 18:00, not
 *   Monday 09:00). For `minutes === 0` the result is `start` itself.
 * - Fractional minutes are allowed (rounded to the millisecond).
 * @throws RangeError when `minutes` is negative or not finite, `start` is invalid, or the
 *   calendar has no working time for years (e.g. a closure covering the whole year).
 */
export function addBusinessTime(start: Date, minutes: number, calendar: BusinessCalendar): Date {
  const startMs = assertDate(start, 'start');
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`minutes must be >= 0, got ${minutes}`);
  if (minutes === 0) return new Date(startMs);
  const c = compile(calendar);
  const needMs = Math.round(minutes * MINUTE_MS);
  // Generous first guess for the table's end: working time is at least ~1/8 of calendar time.
  let t = tableCovering(c, startMs, startMs + needMs * 8);
  const target = cumulativeAt(t, startMs) + needMs;
  for (let grow = 0; ; grow++) {
    const last = t.cumEnd.length - 1;
    if (last >= 0 && t.cumEnd[last]! >= target) break;
    if (grow > 5) throw new RangeError('the calendar has no working time in the years after start');
    t = tableCovering(c, startMs, Date.UTC(t.toYear + 3, 0, 1));
  }
  const i = firstAtOrAfter(t.cumEnd, target);
  return new Date(t.starts[i]! + (target - t.cumBefore[i]!));
}

/**
 * Working minutes between `a` and `b` on `calendar` (fractional; exact to the millisecond).
 * Signed: negative when `b` is before `a`, so "time remaining until a deadline" becomes negative
 * once the deadline has passed.
 * @throws RangeError when `a` or `b` is an invalid Date.
 */
export function businessMinutesBetween(a: Date, b: Date, calendar: BusinessCalendar): number {
  const aMs = assertDate(a, 'a');
  const bMs = assertDate(b, 'b');
  const t = tableCovering(compile(calendar), Math.min(aMs, bMs), Math.max(aMs, bMs));
  return (cumulativeAt(t, bMs) - cumulativeAt(t, aMs)) / MINUTE_MS;
}

/**
 * True when `at` is inside a working interval (start inclusive, end exclusive).
 * @throws RangeError when `at` is an invalid Date.
 */
export function isWorkingTime(at: Date, calendar: BusinessCalendar): boolean {
  const ms = assertDate(at, 'at');
  const t = tableCovering(compile(calendar), ms, ms);
  const i = lastAtOrBefore(t.starts, ms);
  return i >= 0 && ms < t.ends[i]!;
}

/**
 * True when `at` lies in a working interval or exactly at its closing time (where a business
 * deadline may land). Used to check deadlines.
 * @throws RangeError when `at` is an invalid Date.
 */
export function isWithinWorkingIntervalClosed(at: Date, calendar: BusinessCalendar): boolean {
  const ms = assertDate(at, 'at');
  const t = tableCovering(compile(calendar), ms, ms);
  const i = lastAtOrBefore(t.starts, ms);
  return i >= 0 && ms <= t.ends[i]!;
}

/**
 * True when the local day of `at` (in the calendar's zone) is a working day: one of the
 * calendar's `workingDays`, not a Japanese holiday (when enabled) nor a closure. Whether it has
 * working hours left at `at` does not matter.
 * @throws RangeError when `at` is an invalid Date.
 */
export function isWorkingDay(at: Date, calendar: BusinessCalendar): boolean {
  const ms = assertDate(at, 'at');
  const c = compile(calendar);
  const t = tableCovering(c, ms, ms);
  const civil = t.dayCivil[lastAtOrBefore(t.dayStarts, ms)]!;
  const date = new Date(civil);
  const wd = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
  return !!c.workingDays[wd] && !isClosedDay(c, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/**
 * The calendar-local date of `at` as `YYYY-MM-DD` (e.g. for grouping by day, week or month in
 * the team's zone). Cheap once the compiled table covers `at`: a binary search, no Intl call;
 * otherwise the table is widened first (zone conversions for every day added).
 * @throws RangeError when `at` is an invalid Date.
 */
export function localDateKey(at: Date, calendar: BusinessCalendar): string {
  return new Date(localCivilMs(at.getTime(), calendar)).toISOString().slice(0, 10);
}

/**
 * The local civil date of instant `ms` encoded as the UTC midnight of the same Y-M-D (so
 * `getUTCDay()`, `getUTCMonth()` etc. give local calendar fields). Internal helper for KPIs; same
 * cost as `localDateKey`.
 * @throws RangeError when `ms` is not finite.
 */
export function localCivilMs(ms: number, calendar: BusinessCalendar): number {
  if (!Number.isFinite(ms)) throw new RangeError('invalid instant');
  const t = tableCovering(compile(calendar), ms, ms);
  return t.dayCivil[lastAtOrBefore(t.dayStarts, ms)]!;
}
