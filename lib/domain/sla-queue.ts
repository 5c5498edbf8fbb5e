import type { LeadEvent, LeadSnapshot } from './events';
import type { SalDefinition } from './definition';
import { foldLead, foldOptionsFor, type LeadState, type LeadStatus } from './lifecycle';
import type { Me } from './roles';
import { computeClocks, type SlaClock } from './sla-clocks';

/**
 * The rep's queue: the leads waiting for them (pending hand-overs not assigned to someone
 * else) and the leads they work (accepted by them, contacted, qualified, contested with their
 * decision), ordered by urgency. Pure: the caller passes events, the definition, who "me" is and
 * the instant.
 */

export type Urgency = 'breached' | 'warning' | 'running' | 'none';

export interface QueueItem {
  leadKey: string;
  lead: LeadSnapshot;
  status: LeadStatus;
  /** Running clocks only (met / stopped clocks are no longer the rep's problem). */
  clocks: SlaClock[];
  /** The running clock with the earliest deadline, most urgent state first. */
  urgent?: SlaClock;
  urgency: Urgency;
}

const IN_PROGRESS: ReadonlySet<LeadStatus> = new Set(['accepted', 'contacted', 'qualified', 'contested']);
const RANK: Record<Urgency, number> = { breached: 0, warning: 1, running: 2, none: 3 };

/** Whether a lead belongs in `me`'s queue. */
export function isMine(state: LeadState, me: Me): boolean {
  if (state.status === 'pending') {
    const owner = state.handOver?.owner;
    return owner === undefined || owner === '' || owner === me.id || (!!me.name && owner === me.name);
  }
  if (!IN_PROGRESS.has(state.status) || !me.id) return false;
  return state.decisions.some((d) => d.actor.id === me.id && d.kind === 'accepted');
}

function urgencyOf(clock: SlaClock | undefined): Urgency {
  if (!clock) return 'none';
  return clock.state === 'breached' ? 'breached' : clock.state === 'warning' ? 'warning' : 'running';
}

/** Most urgent first: breached, then warning, then running; within a rank the earliest deadline. */
export function compareClocks(a: SlaClock, b: SlaClock): number {
  return RANK[urgencyOf(a)] - RANK[urgencyOf(b)] || a.deadline.getTime() - b.deadline.getTime();
}

/** One lead as a queue item at `now` (whether or not it is "mine"). */
export function queueItem(leadKey: string, state: LeadState, definition: SalDefinition, now: Date): QueueItem {
  const clocks = computeClocks(state, definition, now)
    .filter((c) => c.running)
    .sort(compareClocks);
  const urgent = clocks[0];
  return { leadKey, lead: state.lead, status: state.status, clocks, ...(urgent ? { urgent } : {}), urgency: urgencyOf(urgent) };
}

/**
 * `me`'s queue from every lead's events (each list in fold order), most urgent first; leads
 * with no running clock come last, newest first is not needed so they keep the input order.
 */
export function buildQueue(eventsByLead: ReadonlyMap<string, readonly LeadEvent[]>, definition: SalDefinition, me: Me, now: Date): QueueItem[] {
  const items: QueueItem[] = [];
  for (const [leadKey, events] of eventsByLead) {
    if (events.length === 0) continue;
    const state = foldLead(events, foldOptionsFor(definition));
    if (!isMine(state, me)) continue;
    items.push(queueItem(leadKey, state, definition, now));
  }
  return items.sort((a, b) => {
    if (a.urgent && b.urgent) return compareClocks(a.urgent, b.urgent);
    return a.urgent ? -1 : b.urgent ? 1 : 0;
  });
}

/** What the toolbar badge counts: leads overdue plus leads in warning (each lead once). */
export function queueCounts(items: readonly QueueItem[]): { overdue: number; warning: number } {
  let overdue = 0;
  let warning = 0;
  for (const i of items) {
    if (i.urgency === 'breached') overdue++;
    else if (i.urgency === 'warning') warning++;
  }
  return { overdue, warning };
}

/** Badge text for the counts: empty when nothing needs attention, "99+" beyond two digits. */
export function badgeText(counts: { overdue: number; warning: number }): string {
  const n = counts.overdue + counts.warning;
  return n === 0 ? '' : n > 99 ? '99+' : String(n);
}

/**
 * The CRM page URLs the events carry (each decision snapshots the page it was made on), newest
 * first, each once: where `leadPageUrl` looks for the tenant of a lead that has no URL.
 */
export function seenLeadUrls(events: Iterable<LeadEvent>): string[] {
  const latest = new Map<string, string>();
  for (const e of events) {
    const url = e.lead?.url;
    if (url && (latest.get(url) ?? '') < e.occurredAt) latest.set(url, e.occurredAt);
  }
  return [...latest].sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0)).map(([url]) => url);
}
