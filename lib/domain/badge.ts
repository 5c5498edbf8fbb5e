import type { SlaClock } from './sla-clocks';
import type { LeadState } from './lifecycle';

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
