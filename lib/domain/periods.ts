import { TZDate } from '@date-fns/tz';
import { startOfDay, startOfMonth, startOfWeek, subDays, subMonths } from 'date-fns';

/** The periods the KPI page offers, as the lead review meeting speaks of them. */
export type KpiPeriod = 'this_week' | 'this_month' | 'last_month' | 'last_30_days';

/**
 * The instants a period covers, `[from, to)`, in the team's calendar time zone `timeZone` (IANA).
 * Every period starts at local midnight (weeks on Monday, as the KPIs' weekly counts do):
 * - `this_week`, `this_month`: from the local start of the week / month up to `now`;
 * - `last_month`: the whole previous local calendar month (ends at this month's local midnight);
 * - `last_30_days`: the 30 local days ending today, i.e. from local midnight 29 days before
 *   today's, up to `now` (today counts as one of the 30 days, even though it is not over).
 */
export function periodRange(period: KpiPeriod, now: Date, timeZone: string): { from: Date; to: Date } {
  const local = new TZDate(now.getTime(), timeZone);
  switch (period) {
    case 'this_week':
      return { from: new Date(startOfWeek(local, { weekStartsOn: 1 }).getTime()), to: now };
    case 'this_month':
      return { from: new Date(startOfMonth(local).getTime()), to: now };
    case 'last_month': {
      const thisMonth = startOfMonth(local);
      return { from: new Date(subMonths(thisMonth, 1).getTime()), to: new Date(thisMonth.getTime()) };
    }
    case 'last_30_days':
      // subDays on a TZDate moves by local calendar days, so a DST change cannot shift midnight.
      return { from: new Date(startOfDay(subDays(local, 29)).getTime()), to: now };
  }
}
