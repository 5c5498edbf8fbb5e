import { addBusinessTime, businessMinutesBetween, type BusinessCalendar } from './calendar';
import type { ClockBasis, ClockRule, SalDefinition } from './definition';
import type { LeadCycle, LeadState } from './lifecycle';

/**
 * SLA clocks (the article: accept without delay; first contact within 48 hours; a status update
 * within a week). Each clock starts at an event, has a deadline on its basis (business time on
 * the definition's calendar, or plain calendar time), and stops when the obligation is met or
 * the lead leaves the flow.
 */

export type SlaClockKind = 'acceptance' | 'first_contact' | 'status_update';
export type SlaClockState = 'running' | 'warning' | 'met' | 'breached';

export interface SlaClock {
  kind: SlaClockKind;
  /**
   * `running` / `warning`: not stopped, deadline ahead (warning: within the rule's warning
   * threshold). `breached`: the deadline passed before the clock stopped (or it is still running
   * past it). `met`: stopped on time.
   */
  state: SlaClockState;
  /** False once the obligation was met or the lead left the flow (`stoppedAt` is set). */
  running: boolean;
  startedAt: Date;
  deadline: Date;
  stoppedAt?: Date;
  /**
   * Time left at `now` (or at `stoppedAt` for a stopped clock), negative when overdue. For the
   * `business` basis this counts business time only (an overdue weekend adds nothing).
   */
  remainingMs: number;
  basis: ClockBasis;
}

const MINUTE_MS = 60_000;

/** A length of clock time: `minutes` of business time on a calendar, or of plain calendar time. */
export type SlaSpan = Pick<ClockRule, 'basis' | 'minutes'>;

/**
 * The SLA rule, the one place a deadline is computed: the instant `span.minutes` of clock time
 * after `start`. Business basis: working time on `calendar` (its zone, holidays, closures, DST;
 * see `addBusinessTime`: a deadline may fall exactly at closing time). Calendar basis: elapsed
 * wall time, whatever the calendar. Agrees with `slaElapsedMinutes`: for a span of whole
 * milliseconds, `now >= slaDeadline(start, span)` exactly when
 * `slaElapsedMinutes(start, now, span.basis) >= span.minutes`.
 * @throws RangeError for negative or non-finite minutes on the business basis, an invalid `start`,
 *   or a calendar without working time (see `addBusinessTime`).
 */
export function slaDeadline(start: Date, span: SlaSpan, calendar: BusinessCalendar): Date {
  // Both bases round the span to the millisecond (a Date's precision), as `addBusinessTime` does.
  return span.basis === 'business' ? addBusinessTime(start, span.minutes, calendar) : new Date(start.getTime() + Math.round(span.minutes * MINUTE_MS));
}

/**
 * Clock time from `start` to `at` in minutes (fractional, exact to the millisecond) on `basis`:
 * working minutes on `calendar`, or wall minutes. Signed: negative when `at` is before `start`.
 * @throws RangeError when `start` or `at` is an invalid Date on the business basis.
 */
export function slaElapsedMinutes(start: Date, at: Date, basis: ClockBasis, calendar: BusinessCalendar): number {
  return basis === 'business' ? businessMinutesBetween(start, at, calendar) : (at.getTime() - start.getTime()) / MINUTE_MS;
}

/** One clock from its start, rule and stop instant (undefined = still running) at `now`. */
export function makeClock(kind: SlaClockKind, startedAt: Date, stoppedAt: Date | undefined, rule: ClockRule, calendar: BusinessCalendar, now: Date): SlaClock {
  const deadline = slaDeadline(startedAt, rule, calendar);
  const at = stoppedAt ?? now;
  const remainingMs = Math.round(slaElapsedMinutes(at, deadline, rule.basis, calendar) * MINUTE_MS);
  const overdue = at.getTime() > deadline.getTime();
  let state: SlaClockState;
  if (stoppedAt) state = overdue ? 'breached' : 'met';
  else if (overdue) state = 'breached';
  else state = remainingMs <= rule.warnBeforeMinutes * MINUTE_MS ? 'warning' : 'running';
  const clock: SlaClock = { kind, state, running: !stoppedAt, startedAt, deadline, remainingMs, basis: rule.basis };
  if (stoppedAt) clock.stoppedAt = stoppedAt;
  return clock;
}

/**
 * The SLA clocks of a cycle at `now` (the current cycle of a state by default):
 * - acceptance: from the hand-over (or the latest reopen) until the first accept/reject decision,
 *   or until the lead is closed undecided (recycled); only when the lead was handed over by
 *   marketing (a sales-originated SAL has none).
 * - first_contact: from `salSince` (when the lead became an SAL) until the first logged contact;
 *   stops if the lead is closed before any contact.
 * - status_update: from `salSince`, restarted by each later progress report (progress update,
 *   contact, qualification); stops when the lead is closed (won, lost, recycled).
 * A rejected or contested lead has no first-contact / status clocks: nobody can log a contact on
 * it (the fold refuses one). Once a contest is resolved into an acceptance, they start at that
 * resolution (`salSince`), not at the first acceptance, so they cannot be breached the moment the
 * lead becomes workable. (A contest undone by retracting the rejection never happened: the
 * clocks start at the acceptance.)
 * Deadlines follow `definition` (its rules and calendar, in the calendar's time zone): the one
 * passed in — normally the team's current version — whatever version each decision was made
 * under (see `definition.ts`).
 * @throws RangeError where a business-time rule meets an invalid `now` or a calendar without
 *   working time (see `addBusinessTime`, `businessMinutesBetween`).
 */
export function computeClocks(state: LeadState | LeadCycle, definition: SalDefinition, now: Date): SlaClock[] {
  const clocks: SlaClock[] = [];
  const cal = definition.calendar;
  const rules = definition.clocks;
  const s = state;
  if (s.status === 'untracked') return clocks;
  if (s.handOver && s.pendingSince) {
    clocks.push(makeClock('acceptance', s.pendingSince, s.firstDecisionAt ?? s.closedAt, rules.acceptance, cal, now));
  }
  // Unset while the lead is not an SAL (pending, rejected, contested): a contested lead has an
  // acceptance, but its rep cannot log a contact on it, so a clock would be a deadline nobody can meet.
  const salSince = s.salSince;
  if (salSince) {
    clocks.push(makeClock('first_contact', salSince, s.firstContactAt ?? s.closedAt, rules.first_contact, cal, now));
    const from = s.lastProgressAt && s.lastProgressAt > salSince ? s.lastProgressAt : salSince;
    clocks.push(makeClock('status_update', from, s.closedAt, rules.status_update, cal, now));
  }
  return clocks;
}
