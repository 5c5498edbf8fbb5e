import type { SlaClock } from './sla-clocks';
import type { LeadState } from './lifecycle';
import type { Actor } from './events';

/** What a marketer sees next to a lead on a CRM list. */
export type LeadBadge = 'untracked' | 'pending' | 'accepted' | 'rejected' | 'overdue' | 'contested' | 'qualified' | 'closed';

/**
 * The list badge of a lead. Precedence: untracked (no events) → contested (two reps disagree,
 * needs a human) → overdue (any clock still running past its deadline) → the status:
 * pending, accepted (incl. contacted), rejected, qualified, closed (won, lost, recycled).
 */
export function leadBadge(state: Pick<LeadState, 'status'>, clocks: readonly SlaClock[]): LeadBadge {
  switch (state.status) {
    case 'untracked':
      return 'untracked';
    case 'contested':
      return 'contested';
  }
  if (clocks.some((c) => c.running && c.state === 'breached')) return 'overdue';
  switch (state.status) {
    case 'pending':
      return 'pending';
    case 'accepted':
    case 'contacted':
      return 'accepted';
    case 'rejected':
      return 'rejected';
    case 'qualified':
      return 'qualified';
    case 'won':
    case 'lost':
    case 'recycled':
      return 'closed';
  }
}

/**
 * What a list badge's tooltip says beyond the badge, before it is worded (the worker words it in
 * the user's language: lib/background/list-statuses.ts).
 */
export interface BadgeDetail {
  /** The running SLA clock with the least time left (the overdue one when the badge is overdue). */
  clock?: Pick<SlaClock, 'kind' | 'deadline' | 'remainingMs' | 'basis'>;
  /** The standing rejection's reason code (rejected or contested leads). */
  reasonCode?: string;
  /** Why the lead left the flow (recycled or lost), as recorded. */
  closeReason?: string;
  /** Who decided what the badge shows: the reps whose decisions stand (a contested lead has both sides). */
  deciders: string[];
  /** Who handed the lead over (the hand-off's `by`), while no decision stands. */
  handedOverBy?: string;
}

/**
 * Badge colours, [background, text]: every pair holds ≥ 4.5:1 (WCAG 1.4.3;
 * tests/e2e/keyboard.test.ts measures them on the page). The worker sends them with the labels, so
 * the content script carries no table of its own.
 */
export const BADGE_COLORS: Record<LeadBadge, [string, string]> = {
  untracked: ['#f3f3f3', '#5c5c5c'],
  pending: ['#fef1ee', '#8c4b02'],
  accepted: ['#cdefc4', '#194e31'],
  rejected: ['#fddde3', '#ba0517'],
  overdue: ['#ba0517', '#ffffff'],
  contested: ['#fce7c8', '#8c4b02'],
  qualified: ['#d8e6fe', '#0b5cab'],
  closed: ['#e5e5e5', '#444444'],
};

const actorName = (a: Actor) => a.name || a.id;

/** The tooltip facts of a lead's list badge (pure; `clocks` as `computeClocks` gives them at the same instant). */
export function badgeDetail(state: Pick<LeadState, 'status' | 'decisions' | 'rejection' | 'handOver' | 'closeReason'>, clocks: readonly SlaClock[]): BadgeDetail {
  let clock: SlaClock | undefined;
  for (const c of clocks) if (c.running && (!clock || c.remainingMs < clock.remainingMs)) clock = c;
  const deciders = [...new Set(state.decisions.map((d) => actorName(d.actor)))];
  return {
    ...(clock ? { clock: { kind: clock.kind, deadline: clock.deadline, remainingMs: clock.remainingMs, basis: clock.basis } } : {}),
    ...((state.status === 'rejected' || state.status === 'contested') && state.rejection?.reasonCode ? { reasonCode: state.rejection.reasonCode } : {}),
    ...((state.status === 'recycled' || state.status === 'lost') && state.closeReason ? { closeReason: state.closeReason } : {}),
    deciders,
    ...(deciders.length === 0 && state.handOver ? { handedOverBy: state.handOver.by || actorName(state.handOver.actor) } : {}),
  };
}
