import { TZDate } from '@date-fns/tz';
import { startOfMonth, startOfWeek, subDays, subMonths } from 'date-fns';

/** The periods the KPI page offers, as the lead review meeting speaks of them. */
export type KpiPeriod = 'this_week' | 'this_month' | 'last_month' | 'last_30_days';

/**
 * The instants a period covers, in the team's calendar time zone (weeks start on Monday, as the
 * KPIs' weekly counts do): `[from, to)`; "this week/month" end at `now`.
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
      return { from: new Date(subDays(local, 30).getTime()), to: now };
  }
}
