import { addBusinessTime, isWorkingTime } from './calendar';
import type { SalDefinition } from './definition';
import { slaDeadline, type SlaClock, type SlaClockKind } from './sla-clocks';
import type { LeadSnapshot } from './events';
import type { QueueItem } from './sla-queue';

/**
 * SLA alerts: when one of the rep's running clocks enters warning or breaches, one
 * notification, once. Pure: what was already notified comes in (the background keeps it in
 * Dexie kv so a restarted service worker does not repeat itself) and what to show goes out.
 */

export type AlertLevel = 'warning' | 'breached';

/** What was notified per clock (see `clockAlertKey`): the highest level so far. */
export type NotifiedClocks = Record<string, AlertLevel>;

export interface ClockAlert {
  /** Also the notification id: `sal|<leadKey>|<clock kind>|<start ms>|<level>`. */
  id: string;
  key: string;
  leadKey: string;
  kind: SlaClockKind;
  level: AlertLevel;
  deadline: Date;
  lead: LeadSnapshot;
}

/** One clock run of one lead (a restarted clock, e.g. after a progress update, is a new run). */
export function clockAlertKey(leadKey: string, clock: Pick<SlaClock, 'kind' | 'startedAt'>): string {
  return `${leadKey}|${clock.kind}|${clock.startedAt.getTime()}`;
}

/** The lead key inside a notification id made by `dueAlerts`, or null for other ids. */
export function leadKeyOfNotification(notificationId: string): string | null {
  const parts = notificationId.split('|');
  return parts.length === 5 && parts[0] === 'sal' ? parts[1]! : null;
}

/** When a clock turns amber: its rule's length minus the warning lead, on the clock's basis. */
export function warningAt(clock: Pick<SlaClock, 'kind' | 'startedAt'>, definition: SalDefinition): Date {
  const rule = definition.clocks[clock.kind];
  return slaDeadline(clock.startedAt, { basis: rule.basis, minutes: rule.minutes - rule.warnBeforeMinutes }, definition.calendar);
}

/** A transition that happened at closing time may still be announced this long after it. */
const CLOSING_GRACE_MS = 5 * 60_000;

/**
 * Whether an alert about a business-time clock may fire at `now`: during working time, or just
 * after a transition that landed at closing time (a business deadline can be exactly 18:00).
 * Calendar-time clocks alert at any hour.
 */
export function mayAlertNow(clock: SlaClock, transitionAt: Date, definition: SalDefinition, now: Date): boolean {
  if (clock.basis !== 'business') return true;
  if (isWorkingTime(now, definition.calendar)) return true;
  const since = now.getTime() - transitionAt.getTime();
  return since >= 0 && since <= CLOSING_GRACE_MS && isWorkingTime(new Date(transitionAt.getTime() - 1), definition.calendar);
}

/**
 * Alerts due at `now` for the queue's running clocks that were not notified at this level yet.
 * A clock that went straight to breached gets only the breach alert. Business-time clocks
 * outside business hours wait (they come due again at the next opening, see `nextWakeAt`).
 */
export function dueAlerts(items: readonly QueueItem[], notified: NotifiedClocks, definition: SalDefinition, now: Date): ClockAlert[] {
  const out: ClockAlert[] = [];
  for (const item of items) {
    for (const clock of item.clocks) {
      if (!clock.running || (clock.state !== 'warning' && clock.state !== 'breached')) continue;
      const key = clockAlertKey(item.leadKey, clock);
      const had = notified[key];
      if (had === 'breached' || had === clock.state) continue;
      const transitionAt = clock.state === 'breached' ? clock.deadline : warningAt(clock, definition);
      if (!mayAlertNow(clock, transitionAt, definition, now)) continue;
      out.push({
        id: `sal|${key}|${clock.state}`,
        key,
        leadKey: item.leadKey,
        kind: clock.kind,
        level: clock.state,
        deadline: clock.deadline,
        lead: item.lead,
      });
    }
  }
  return out;
}

/** `notified` plus the new alerts, keeping only clocks still running (so the record stays small). */
export function recordAlerts(notified: NotifiedClocks, alerts: readonly ClockAlert[], items: readonly QueueItem[]): NotifiedClocks {
  const live = new Set(items.flatMap((i) => i.clocks.map((c) => clockAlertKey(i.leadKey, c))));
  const next: NotifiedClocks = {};
  for (const [k, v] of Object.entries(notified)) if (live.has(k)) next[k] = v;
  for (const a of alerts) next[a.key] = a.level;
  return next;
}

/**
 * The next instant an alert may become due: the earliest future warning or deadline of a
 * running clock, or, when a business-time alert is waiting for office hours, the next opening.
 * Undefined when nothing is running.
 */
export function nextWakeAt(items: readonly QueueItem[], notified: NotifiedClocks, definition: SalDefinition, now: Date): Date | undefined {
  let next: number | undefined;
  const consider = (at: Date) => {
    if (at.getTime() > now.getTime() && (next === undefined || at.getTime() < next)) next = at.getTime();
  };
  for (const item of items) {
    for (const clock of item.clocks) {
      if (!clock.running) continue;
      consider(warningAt(clock, definition));
      consider(clock.deadline);
      const waiting =
        (clock.state === 'warning' || clock.state === 'breached') && notified[clockAlertKey(item.leadKey, clock)] !== clock.state && notified[clockAlertKey(item.leadKey, clock)] !== 'breached';
      if (waiting && clock.basis === 'business' && !isWorkingTime(now, definition.calendar)) {
        // the first working millisecond after now
        consider(addBusinessTime(now, 1 / 60_000, definition.calendar));
      }
    }
  }
  return next === undefined ? undefined : new Date(next);
}
