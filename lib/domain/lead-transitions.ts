import type { LeadEventType } from './events';

/**
 * The lead lifecycle as one table: for each event type, the statuses it is allowed in and the
 * status it leads to. The fold (`lifecycle.ts`) applies it; nothing else decides a transition.
 */

/** Every status a lead can be in (`untracked`: no event took effect yet). */
export const LEAD_STATUSES = ['untracked', 'pending', 'accepted', 'rejected', 'contested', 'contacted', 'qualified', 'recycled', 'won', 'lost'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
/** The status of a cycle (a lead with a cycle is tracked). */
export type CycleStatus = Exclude<LeadStatus, 'untracked'>;

/**
 * What a transition leaves the lead in: a status, the status it was in (`unchanged`), the one
 * its standing accept / reject decisions give (`by_decisions`: accepted, rejected or contested),
 * or, per from-state, a status.
 */
export type TransitionResult = CycleStatus | 'unchanged' | 'by_decisions' | Readonly<Partial<Record<LeadStatus, CycleStatus>>>;

export interface Transition {
  /** The statuses the event is allowed in; in any other it is ignored as `invalid_transition`. */
  from: readonly LeadStatus[];
  to: TransitionResult;
  /** The message when the event arrives in a status not in `from`. */
  refused: (from: LeadStatus) => string;
}

/** A new cycle starts from these: never tracked, rejected, or closed other than won (won is final). */
const CYCLE_STARTS = ['untracked', 'rejected', 'recycled', 'lost'] as const;
/** Reps decide (or change their decision) while the lead is in these. */
const DECIDING = ['pending', 'accepted', 'rejected', 'contested'] as const;
/** An SAL being worked: contacts and progress are logged on it. */
const WORKED = ['accepted', 'contacted', 'qualified'] as const;

/**
 * The lifecycle, one row per event type: where the event is allowed and what it leads to. The
 * fold (`createLeadFolder`) takes its verdicts and resulting statuses from here; what each event
 * records on the cycle (times, decisions, the hand-over) is the fold's bookkeeping (`record`).
 * - `handed_over` starts a cycle; on a pending lead it is a re-send (details updated, the
 *   acceptance clock keeps running from the first hand-over).
 * - `sales_originated` starts a cycle as an SAL, accepted by its creator.
 * - `reviewed` (the review meeting's outcome) is allowed on any tracked lead and changes nothing.
 * - `retracted` is allowed in any status: whether an undo is valid depends on its target (own,
 *   latest, within the undo window), and a valid one replays the lead without the target.
 */
export const TRANSITIONS: Readonly<Record<LeadEventType, Transition>> = {
  handed_over: { from: [...CYCLE_STARTS, 'pending'], to: 'pending', refused: (s) => `cannot hand over a lead that is ${s}` },
  sales_originated: { from: CYCLE_STARTS, to: 'accepted', refused: (s) => `cannot create an SAL for a lead that is ${s}` },
  accepted: { from: DECIDING, to: 'by_decisions', refused: (s) => `cannot accept a lead that is ${s}` },
  rejected: { from: DECIDING, to: 'by_decisions', refused: (s) => `cannot reject a lead that is ${s}` },
  reopened: { from: ['rejected'], to: 'pending', refused: (s) => `only a rejected lead can be reopened (lead is ${s})` },
  contacted: {
    from: WORKED,
    to: { accepted: 'contacted', contacted: 'contacted', qualified: 'qualified' },
    refused: (s) => `contact can only be logged on an accepted lead (lead is ${s})`,
  },
  progress_updated: { from: WORKED, to: 'unchanged', refused: (s) => `progress can only be reported on an accepted lead (lead is ${s})` },
  qualified: { from: ['contacted'], to: 'qualified', refused: (s) => `only a contacted lead can become an SQL (lead is ${s})` },
  recycled: { from: ['pending', 'accepted', 'rejected', 'contacted', 'qualified'], to: 'recycled', refused: (s) => `cannot recycle a lead that is ${s}` },
  won: { from: ['contacted', 'qualified'], to: 'won', refused: (s) => `only a contacted or qualified lead can be won (lead is ${s})` },
  lost: { from: WORKED, to: 'lost', refused: (s) => `cannot mark a lead that is ${s} as lost` },
  retracted: { from: LEAD_STATUSES, to: 'unchanged', refused: () => 'an undo is judged by its target, not by the status' },
  // The review meeting's agreement never moves the lead itself, whatever the outcome: each outcome
  // that changes the lead is already an event of its own, recorded by whoever carries it out with
  // that role's permission and clock (hand over again: marketing's `handed_over`, which starts a new
  // cycle and a new acceptance clock once the data is fixed; close: sales' `recycled` / `lost`);
  // keeping a rejected or recycled lead in nurture is where it already is; fixing data and changing
  // the definition happen outside the lead. A review that also moved the lead would hand it over
  // again (and start sales' SLA) before anyone has done so. Any tracked lead can be discussed.
  reviewed: { from: LEAD_STATUSES.filter((s) => s !== 'untracked'), to: 'unchanged', refused: (s) => `cannot review a lead that is ${s}` },
};

/** The status `to` gives a lead that was `from`, or undefined when it stays (or the standing decisions set it). */
export function statusAfter(to: TransitionResult, from: LeadStatus): CycleStatus | undefined {
  if (to === 'unchanged' || to === 'by_decisions') return undefined;
  return typeof to === 'string' ? to : to[from];
}

/**
 * Statuses in which the lead has left the sales flow. `recycled` and `lost` last until a new cycle
 * starts: marketing hands the lead over again, or sales originates an SAL on it. `won` is final:
 * the lead has become a customer (in the CRM it is converted, or at the last lifecycle stage), so
 * neither a hand-over nor a sales-originated SAL is taken on it; new interest from that customer
 * is a new lead or opportunity, with its own key. A `rejected` lead also takes a new cycle (it is
 * still in the flow: it can be reopened, or re-decided by a rep, too).
 */
export const CLOSED_STATUSES: ReadonlySet<LeadStatus> = new Set(['recycled', 'won', 'lost']);
