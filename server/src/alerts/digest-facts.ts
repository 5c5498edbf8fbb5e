import type { SlaClockKind } from '../../../lib/domain/sla-clocks';

// What a morning digest is once composed (`digest.ts`): the facts stored in an alerts outbox row
// and formatted at send time (`messages.ts`). Apart from the composition, so the outbox's sender
// can tell a digest row from an SLA alert without importing the composer (which reads the
// watcher's open leads from the outbox).

/** Leads listed per rep and category (the counts are always whole; the rep's queue in the extension has the rest). */
export const DIGEST_LISTED = 5;

/** One lead in a rep's list: the clock that put it there, and where to open it. */
export interface DigestLead {
  leadKey: string;
  name: string | null;
  company: string | null;
  /** The lead's own record page on a CRM SAL Bridge knows, else null (as for SLA alerts). */
  url: string | null;
  clock: SlaClockKind;
  /** The clock's deadline (ISO instant). */
  deadline: string;
}

/** One rep's part of the digest (reps with nothing pending are left out). */
export interface RepDigest {
  /** The rep as the events name them (the accepting rep, else the hand-over's owner); null: hand-offs nobody owns yet. */
  owner: string | null;
  /** Their leads in status pending (handed over, not yet accepted or rejected). */
  awaitingAcceptance: number;
  /** Leads with a running clock due later today (local day), and the first `DIGEST_LISTED` of them, earliest deadline first. */
  dueToday: { count: number; leads: DigestLead[] };
  /** Leads with a running clock past its deadline, and the first `DIGEST_LISTED`, longest overdue first. */
  overdue: { count: number; leads: DigestLead[] };
}

/** The facts of one day's digest, stored in the outbox row's `alert` and formatted at send time. */
export interface DigestFacts {
  kind: 'digest';
  /** `digest:<day>`: the outbox's unique key (with team and channel). */
  key: string;
  /** The calendar-local date, `YYYY-MM-DD`. */
  day: string;
  /** The calendar's zone, for the times in the message. */
  timeZone: string;
  /** When the digest was composed (ISO): its counts are as of then. */
  at: string;
  /** The unowned group first, then the reps with most overdue, due today, waiting; then by name. */
  reps: RepDigest[];
}

/** Whether an outbox row's facts are a digest's (SLA alerts have no `kind`). */
export function isDigest(facts: unknown): facts is DigestFacts {
  return typeof facts === 'object' && facts !== null && (facts as { kind?: unknown }).kind === 'digest';
}
