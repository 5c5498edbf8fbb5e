import { evaluateDefinition, reviewWithinDays, type SalDefinition } from './definition';
import type { FoldableEvent, LeadEvent } from './events';
import { UNKNOWN_SOURCE } from './kpis';
import type { LeadCycle, LeadState } from './lifecycle';
import { foldLeads, reviewsBetween } from './review';
import { slaDeadline } from './sla-clocks';

/**
 * Marketing's side of the SLA (the article: the sender answers for lead quality, the receiver for
 * response time), and the review meeting's own: of the hand-offs marketing made in a period, how
 * many met the definition's data requirements, how many were duplicates of a lead already handed
 * over, how many sales rejected for marketing's reasons (連絡先不備 / 重複); and of the period's
 * rejected leads, how many the meeting reviewed within the agreed days.
 */

/** Reject reasons that point at the hand-off's data rather than at the lead's fit: 連絡先不備, 重複. */
export const MARKETING_REJECT_REASONS = ['bad_contact_data', 'duplicate'] as const;
export type MarketingRejectReason = (typeof MARKETING_REJECT_REASONS)[number];

export interface MarketingSlaGroup {
  /** Hand-offs made in the period (each hand-over that started a cycle). */
  handOffs: number;
  /** Of those, meeting every data requirement on the data sent with the hand-off. */
  dataMet: number;
  /** Failing at least one data requirement. */
  dataFailed: number;
  /** Neither: a requirement could not be judged (no score sent while the definition asks for one). */
  dataUnknown: number;
  /** `dataMet / handOffs`; null without hand-offs. */
  dataRate: number | null;
  /** Failed data checks by check id (`field:<name>`, `email`, `phone`, `score`). */
  failures: Record<string, number>;
  /** Hand-offs whose email or phone was already handed over as another lead. */
  duplicates: number;
  /** Hand-offs standing rejected with a marketing reason, by reason. */
  rejectedForMarketing: Record<MarketingRejectReason, number>;
}

export type ReviewSlaState = 'on_time' | 'late' | 'overdue' | 'open';

export interface ReviewSla {
  /** The agreed days (calendar days after the rejection). */
  withinDays: number;
  /** Rejections of the period by how their review stands at `now`. */
  counts: Record<ReviewSlaState, number>;
  /** on time / (on time + late + overdue): only rejections already reviewed or past due; null when none. */
  rate: number | null;
}

export interface MarketingSlaReport {
  overall: MarketingSlaGroup;
  bySource: Record<string, MarketingSlaGroup>;
  /** By the hand-over's `by` (who in marketing sent it). */
  bySender: Record<string, MarketingSlaGroup>;
  reviews: ReviewSla;
}

export interface MarketingSlaOptions {
  /** Hand-offs and rejections judged in `[from, to)`. */
  from: Date;
  to: Date;
  /** The moment the review SLA is judged at. */
  now: Date;
  definition: SalDefinition;
}

class Acc {
  handOffs = 0;
  dataMet = 0;
  dataFailed = 0;
  dataUnknown = 0;
  failures: Record<string, number> = {};
  duplicates = 0;
  rejectedForMarketing: Record<MarketingRejectReason, number> = { bad_contact_data: 0, duplicate: 0 };

  done(): MarketingSlaGroup {
    return {
      handOffs: this.handOffs,
      dataMet: this.dataMet,
      dataFailed: this.dataFailed,
      dataUnknown: this.dataUnknown,
      dataRate: this.handOffs ? this.dataMet / this.handOffs : null,
      failures: this.failures,
      duplicates: this.duplicates,
      rejectedForMarketing: this.rejectedForMarketing,
    };
  }
}

/** The contact identities duplicates are found by: email lower-cased, phone's digits (from 10). */
function contactKeys(lead: LeadEvent['lead']): string[] {
  const keys: string[] = [];
  const email = lead?.email?.trim().toLowerCase();
  if (email) keys.push(`email:${email}`);
  const digits = lead?.phone?.replace(/\D/g, '');
  if (digits && digits.length >= 10) keys.push(`phone:${digits}`);
  return keys;
}

const isMarketingReason = (code: string | undefined): code is MarketingRejectReason => (MARKETING_REJECT_REASONS as readonly string[]).includes(code ?? '');

/**
 * Both sides' remaining SLA figures for a period (see the module comment). A hand-off is judged on
 * what marketing sent with it (the hand-over event's snapshot and score), not on what a rep's page
 * showed later. A duplicate is a hand-off whose email or phone an earlier hand-off of another lead
 * key carried (any time before, among the events given). The review SLA counts the period's
 * rejections that still stand at the end of their cycle; a rejection is reviewed by the first
 * `reviewed` event on its cycle after it, due `reviewWithinDays(definition)` calendar days after
 * the rejection. `events` may mix leads, each lead's in fold order. Pure.
 */
export function computeMarketingSla(events: readonly FoldableEvent[], options: MarketingSlaOptions): MarketingSlaReport {
  return computeMarketingSlaOf(foldLeads(events, options.definition), options);
}

/** `computeMarketingSla` on leads already folded (`foldLeads`). */
export function computeMarketingSlaOf(states: readonly LeadState[], options: MarketingSlaOptions): MarketingSlaReport {
  const { definition: def, now } = options;
  const fromMs = options.from.getTime();
  const toMs = options.to.getTime();
  const inPeriod = (d: Date | undefined): d is Date => d !== undefined && d.getTime() >= fromMs && d.getTime() < toMs;
  const overall = new Acc();
  const bySource = new Map<string, Acc>();
  const bySender = new Map<string, Acc>();
  const accOf = (m: Map<string, Acc>, k: string) => m.get(k) ?? m.set(k, new Acc()).get(k)!;
  const withinDays = reviewWithinDays(def);
  const reviewCounts: Record<ReviewSlaState, number> = { on_time: 0, late: 0, overdue: 0, open: 0 };

  // Every hand-off, in time order, for duplicates: the earlier one is the original.
  const handOffs: { at: number; leadKey: string; cycle: LeadCycle; event: LeadEvent }[] = [];
  for (const state of states) {
    const byId = new Map<string, LeadEvent>();
    for (const h of state.history) if (h.event.type === 'handed_over' && h.effect === 'applied') byId.set(h.event.id, h.event);
    state.cycles.forEach((c, i) => {
      const event = c.handOver ? byId.get(c.handOver.eventId) : undefined;
      if (c.handOver && event) handOffs.push({ at: c.handOver.at.getTime(), leadKey: state.leadKey ?? event.leadKey, cycle: c, event });
      if (c.status !== 'rejected' || !inPeriod(c.rejection?.at)) return;
      const rejectedAt = c.rejection!.at;
      const next = state.cycles[i + 1]?.startedAt;
      const review = reviewsBetween(state.history, rejectedAt, next)[0];
      const due = slaDeadline(rejectedAt, { basis: 'calendar', minutes: withinDays * 24 * 60 }, def.calendar);
      if (review) reviewCounts[review.at <= due ? 'on_time' : 'late']++;
      else reviewCounts[now > due ? 'overdue' : 'open']++;
    });
  }
  handOffs.sort((a, b) => a.at - b.at);

  const firstLeadOf = new Map<string, string>();
  for (const h of handOffs) {
    const keys = contactKeys(h.event.lead);
    const duplicate = keys.some((k) => {
      const first = firstLeadOf.get(k);
      return first !== undefined && first !== h.leadKey;
    });
    for (const k of keys) if (!firstLeadOf.has(k)) firstLeadOf.set(k, h.leadKey);
    if (!inPeriod(new Date(h.at))) continue;
    const handOver = h.cycle.handOver!;
    const evaluation = evaluateDefinition({ ...h.event.lead, score: handOver.score }, {}, def);
    const data = evaluation.results.filter((r) => r.group === 'data');
    const failed = data.filter((r) => r.outcome === 'fail');
    const outcome = failed.length ? 'failed' : data.every((r) => r.outcome === 'pass') ? 'met' : 'unknown';
    const reason = h.cycle.status === 'rejected' ? h.cycle.rejection?.reasonCode : undefined;
    for (const a of [overall, accOf(bySource, handOver.source ?? UNKNOWN_SOURCE), accOf(bySender, handOver.by)]) {
      a.handOffs++;
      if (outcome === 'met') a.dataMet++;
      else if (outcome === 'failed') a.dataFailed++;
      else a.dataUnknown++;
      for (const f of failed) a.failures[f.id] = (a.failures[f.id] ?? 0) + 1;
      if (duplicate) a.duplicates++;
      if (isMarketingReason(reason)) a.rejectedForMarketing[reason]++;
    }
  }

  const decided = reviewCounts.on_time + reviewCounts.late + reviewCounts.overdue;
  const done = (m: Map<string, Acc>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, a]) => [k, a.done()]));
  return {
    overall: overall.done(),
    bySource: done(bySource),
    bySender: done(bySender),
    reviews: { withinDays, counts: reviewCounts, rate: decided ? reviewCounts.on_time / decided : null },
  };
}
