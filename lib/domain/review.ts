import type { SalDefinition } from './definition';
import type { Actor, FoldableEvent, LeadEvent, LeadEventType, LeadSnapshot, ReviewOutcome, Temperature } from './events';
import { UNKNOWN_SOURCE } from './kpis';
import { groupByLead } from './lead-key';
import { foldLead, foldOptionsFor, type Decision, type HandOver, type HistoryEntry, type LeadCycle, type LeadState, type LeadStatus } from './lifecycle';
import { computeClocks, type SlaClock, type SlaClockKind } from './sla-clocks';

/**
 * The lead review meeting (リード検討会議): marketing and sales go over the leads the hand-off
 * did not settle — rejected, contested, sent back to nurture, overdue — reason by reason, and
 * agree per lead what happens next (a `reviewed` event). These rules pick and group those leads;
 * the meeting view (`components/review/`) shows them and the CSV export writes them.
 */

/** Why a lead is on the meeting's list, in the order the meeting goes through them. */
export const REVIEW_REASONS = ['rejected', 'contested', 'recycled', 'overdue'] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

/** A comment or note someone left on the lead's current cycle. */
export interface ReviewComment {
  eventId: string;
  eventType: LeadEventType;
  actor: Actor;
  at: Date;
  text: string;
}

/** An outcome the meeting recorded (a `reviewed` event that took effect). */
export interface ReviewRecord {
  eventId: string;
  outcome: ReviewOutcome;
  note?: string;
  actor: Actor;
  at: Date;
}

export interface ReviewItem {
  leadKey: string;
  reason: ReviewReason;
  /**
   * The group inside the reason: the reject reason code (rejected), the recycle reason
   * (recycled), the first breached clock (overdue); empty for contested.
   */
  detail: string;
  /** When the lead came to need discussion: its rejection, the decision that made the contest, its recycling, its first passed deadline. */
  since: Date;
  status: LeadStatus;
  /** The lead's latest snapshot (name, company, CRM page, …). */
  lead: LeadSnapshot;
  handOver?: HandOver;
  /** The lead source of the hand-over (`UNKNOWN_SOURCE` when none was given). */
  source: string;
  /** Why the sender handed it over, when the hand-over says (read defensively: see `handOverRationale`). */
  rationale?: string;
  /** The standing accept / reject decisions of the current cycle. */
  decisions: Decision[];
  /** The latest temperature a decision gave. */
  temperature?: Temperature;
  /** Comments and notes of the current cycle, oldest first (decisions, hand-over note, progress, recycle, close). */
  comments: ReviewComment[];
  /** Clocks running past their deadline now (overdue leads only). */
  overdue: SlaClockKind[];
  /** Outcomes recorded on the current cycle, oldest first. */
  reviews: ReviewRecord[];
}

export interface ReviewGroup {
  /** `<reason>` or `<reason>:<detail>`, stable across renders (for keys and CSV). */
  key: string;
  reason: ReviewReason;
  detail: string;
  items: ReviewItem[];
}

export interface ReviewReport {
  from: Date;
  to: Date;
  now: Date;
  groups: ReviewGroup[];
  /** Leads listed (one group each). */
  total: number;
  /** Of those, leads with an outcome recorded on their current cycle. */
  reviewed: number;
}

export interface ReviewOptions {
  /** The period, `[from, to)`: rejections, contests and recycles that happened in it. */
  from: Date;
  to: Date;
  /** The moment judged at: overdue is the backlog at `now` (whatever the period), as on the KPI page. */
  now: Date;
  definition: SalDefinition;
  /** Leave out leads whose current cycle already has an outcome. */
  onlyUnreviewed?: boolean;
}

/**
 * The sender's rationale from a hand-over event's payload, when it carries one: a non-blank
 * string, or a list of strings (joined with "; "). The payload's shape is marketing's contract and
 * may grow (hand-off rules add their own fields), so anything else reads as none instead of failing.
 */
export function handOverRationale(event: LeadEvent | undefined): string | undefined {
  if (event?.type !== 'handed_over') return undefined;
  const raw: unknown = (event.payload as Record<string, unknown>).rationale;
  if (typeof raw === 'string') return raw.trim() || undefined;
  if (Array.isArray(raw)) {
    const parts = raw.filter((x): x is string => typeof x === 'string' && x.trim().length > 0);
    return parts.length ? parts.join('; ') : undefined;
  }
  if (raw && typeof raw === 'object') {
    const text = (raw as Record<string, unknown>).text ?? (raw as Record<string, unknown>).summary;
    if (typeof text === 'string' && text.trim()) return text.trim();
  }
  return undefined;
}

/** The outcome a history entry records, when it is an applied `reviewed` event. */
function reviewRecordOf(h: HistoryEntry): ReviewRecord | undefined {
  const e = h.event;
  if (e.type !== 'reviewed' || h.effect !== 'applied') return undefined;
  return { eventId: e.id, outcome: e.payload.outcome, note: e.payload.note, actor: e.actor, at: h.at };
}

/**
 * The first applied `reviewed` event judged in `[from, until)` of a lead's history (the outcome
 * that settled a rejection), or undefined.
 */
export function firstReviewBetween(history: readonly HistoryEntry[], from: Date, until?: Date): ReviewRecord | undefined {
  // instants as numbers: comparing Date objects converts both on every test, and this runs for every lead of a page
  const fromMs = from.getTime();
  const untilMs = until ? until.getTime() : Infinity;
  for (const h of history) {
    if (h.event.type !== 'reviewed') continue;
    const at = h.at.getTime();
    if (at < fromMs || at >= untilMs) continue;
    const record = reviewRecordOf(h);
    if (record) return record;
  }
  return undefined;
}

const textOf = (e: LeadEvent): string | undefined => {
  if (e.type === 'reviewed' || e.type === 'retracted') return undefined;
  const p = e.payload as { comment?: string; note?: string };
  const text = (p.comment ?? p.note)?.trim();
  return text || undefined;
};

/** Why a lead is listed: the fields of `ReviewItem` that `reasonOf` decides. */
type Why = Pick<ReviewItem, 'reason' | 'detail' | 'since' | 'overdue'>;

/**
 * Why the current cycle needs discussion, or null. Status first; a lead in the flow only when a
 * clock is past due now. The period is `[fromMs, toMs)` in epoch milliseconds.
 */
function reasonOf(state: LeadState, cycle: LeadCycle, options: ReviewOptions, fromMs: number, toMs: number): Why | null {
  const inPeriod = (d: Date) => d.getTime() >= fromMs && d.getTime() < toMs;
  switch (cycle.status) {
    case 'rejected': {
      const since = cycle.rejection?.at ?? cycle.rejectedAt;
      return since && inPeriod(since) ? { reason: 'rejected', detail: cycle.rejection?.reasonCode ?? 'other', since, overdue: [] } : null;
    }
    case 'contested': {
      // the latest standing decision is the one that set the two sides against each other
      let since: Date | undefined;
      for (const d of cycle.decisions) if (!since || d.at.getTime() > since.getTime()) since = d.at;
      return since && inPeriod(since) ? { reason: 'contested', detail: '', since, overdue: [] } : null;
    }
    case 'recycled':
      return cycle.closedAt && inPeriod(cycle.closedAt) ? { reason: 'recycled', detail: cycle.closeReason ?? '', since: cycle.closedAt, overdue: [] } : null;
    default: {
      if (state.status === 'untracked') return null;
      let first: SlaClock | undefined;
      let overdue: SlaClockKind[] | undefined;
      for (const k of computeClocks(cycle, options.definition, options.now)) {
        if (!k.running || k.state !== 'breached') continue;
        (overdue ??= []).push(k.kind);
        if (!first || k.deadline.getTime() < first.deadline.getTime()) first = k;
      }
      return first && overdue ? { reason: 'overdue', detail: first.kind, since: first.deadline, overdue } : null;
    }
  }
}

/**
 * The meeting's item for one lead's state, or null when the lead needs no discussion: its current
 * cycle was rejected, contested or recycled in `[from, to)`, or has an SLA clock past due at `now`.
 * Earlier cycles were settled by the hand-over that followed them.
 */
export function reviewItemOf(state: LeadState, options: ReviewOptions): ReviewItem | null {
  const cycle = state.cycles[state.cycles.length - 1];
  if (!cycle || !state.leadKey) return null;
  const why = reasonOf(state, cycle, options, options.from.getTime(), options.to.getTime());
  if (!why) return null;
  // one pass over the current cycle's history: its recorded outcomes, comments and hand-over event
  const reviews: ReviewRecord[] = [];
  const comments: ReviewComment[] = [];
  let handOverEvent: LeadEvent | undefined;
  const handOverId = cycle.handOver?.eventId;
  const startedMs = cycle.startedAt.getTime();
  for (const h of state.history) {
    if (h.effect !== 'applied' || h.at.getTime() < startedMs) continue;
    const e = h.event;
    if (e.type === 'reviewed') {
      if (options.onlyUnreviewed) return null;
      reviews.push(reviewRecordOf(h)!);
      continue;
    }
    if (e.id === handOverId) handOverEvent = e;
    const text = textOf(e);
    if (text) comments.push({ eventId: e.id, eventType: e.type, actor: e.actor, at: h.at, text });
  }
  let temperature: Temperature | undefined;
  let latest: number | undefined;
  for (const d of cycle.decisions) {
    if (d.temperature && (latest === undefined || d.at.getTime() >= latest)) {
      temperature = d.temperature;
      latest = d.at.getTime();
    }
  }
  return {
    leadKey: state.leadKey,
    reason: why.reason,
    detail: why.detail,
    since: why.since,
    overdue: why.overdue,
    status: state.status,
    lead: state.lead,
    handOver: cycle.handOver,
    source: cycle.handOver?.source ?? (cycle.salesOriginated ? `sales:${cycle.signal ?? 'other'}` : UNKNOWN_SOURCE),
    rationale: handOverRationale(handOverEvent),
    decisions: cycle.decisions,
    temperature,
    comments,
    reviews,
  };
}

/** Sort rank of a group's detail inside its reason: the definition's reject reasons in their order, then the rest by name. */
function detailRank(reason: ReviewReason, definition: SalDefinition): (detail: string) => number {
  if (reason === 'rejected')
    return (d) => {
      const i = definition.rejectReasons.findIndex((r) => r.code === d);
      return i < 0 ? definition.rejectReasons.length : i;
    };
  if (reason === 'overdue') return (d) => ['acceptance', 'first_contact', 'status_update'].indexOf(d);
  return () => 0;
}

/**
 * Every lead of `events` folded under `definition` (its undo window): the states `computeReviewOf`
 * and `computeMarketingSlaOf` read, so a page computing both (and switching periods) folds once.
 * `events` may mix leads; each lead's events in fold order (server sequence, then local pending).
 */
export function foldLeads(events: readonly FoldableEvent[], definition: SalDefinition): LeadState[] {
  const fold = foldOptionsFor(definition);
  return [...groupByLead(events).values()].map((leadEvents) => foldLead(leadEvents, fold));
}

/**
 * The meeting's list for a period: every lead that needs discussion (see `reviewItemOf`), grouped
 * by reason (`REVIEW_REASONS` order) and inside it by detail (reject reasons in the definition's
 * order), each group's leads oldest first. Pure; linear in the number of leads.
 */
export function computeReviewOf(states: readonly LeadState[], options: ReviewOptions): ReviewReport {
  // by reason, then by detail: no key string built and hashed per lead
  const groups = new Map<ReviewReason, Map<string, ReviewGroup>>();
  let total = 0;
  let reviewed = 0;
  for (const state of states) {
    const item = reviewItemOf(state, options);
    if (!item) continue;
    total++;
    if (item.reviews.length > 0) reviewed++;
    let byDetail = groups.get(item.reason);
    if (!byDetail) groups.set(item.reason, (byDetail = new Map()));
    let g = byDetail.get(item.detail);
    if (!g) byDetail.set(item.detail, (g = { key: item.detail ? `${item.reason}:${item.detail}` : item.reason, reason: item.reason, detail: item.detail, items: [] }));
    g.items.push(item);
  }
  const sorted = [...groups.values()]
    .flatMap((byDetail) => [...byDetail.values()])
    .sort((a, b) => {
      const byReason = REVIEW_REASONS.indexOf(a.reason) - REVIEW_REASONS.indexOf(b.reason);
      if (byReason) return byReason;
      const rank = detailRank(a.reason, options.definition);
      return rank(a.detail) - rank(b.detail) || a.detail.localeCompare(b.detail);
    });
  for (const g of sorted) g.items.sort((a, b) => a.since.getTime() - b.since.getTime() || a.leadKey.localeCompare(b.leadKey));
  return { from: options.from, to: options.to, now: options.now, groups: sorted, total, reviewed };
}

/** `computeReviewOf` on the events' leads (see `foldLeads`). */
export function computeReview(events: readonly FoldableEvent[], options: ReviewOptions): ReviewReport {
  return computeReviewOf(foldLeads(events, options.definition), options);
}
