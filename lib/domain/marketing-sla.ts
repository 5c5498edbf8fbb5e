import { evaluateDefinition, reviewWithinDays, type LeadField, type SalDefinition } from './definition';
import type { FoldableEvent, LeadEvent } from './events';
import { UNKNOWN_SOURCE } from './kpis';
import type { HistoryEntry, LeadCycle, LeadState } from './lifecycle';
import { firstReviewBetween, foldLeads } from './review';
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

  /** Counts one hand-off: its data outcome, the checks it failed, whether it duplicates another lead, its marketing reject reason. */
  add(outcome: 'met' | 'failed' | 'unknown', failed: readonly string[] | undefined, duplicate: boolean, rejectedFor: MarketingRejectReason | undefined): void {
    this.handOffs++;
    if (outcome === 'met') this.dataMet++;
    else if (outcome === 'failed') this.dataFailed++;
    else this.dataUnknown++;
    if (failed) for (const id of failed) this.failures[id] = (this.failures[id] ?? 0) + 1;
    if (duplicate) this.duplicates++;
    if (rejectedFor) this.rejectedForMarketing[rejectedFor]++;
  }

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

/** The contact identities duplicates are found by: the email lower-cased, the phone's digits (from 10). */
const emailKey = (lead: LeadEvent['lead']): string | undefined => lead?.email?.trim().toLowerCase() || undefined;
function phoneKey(lead: LeadEvent['lead']): string | undefined {
  const digits = lead?.phone?.replace(/\D/g, '');
  return digits && digits.length >= 10 ? digits : undefined;
}

/**
 * What a hand-off's data requirements are judged on: the fields marketing sent and its score.
 * Spelled out rather than spread (a spread copies the snapshot slowly, once per hand-off); typed
 * so that a new `LeadField` cannot be forgotten here.
 */
function sentData(lead: LeadEvent['lead'], score: number | undefined): Record<LeadField, string | undefined> & { score?: number } {
  return { name: lead?.name, company: lead?.company, title: lead?.title, email: lead?.email, phone: lead?.phone, leadSource: lead?.leadSource, score };
}

/** A hand-off that started a cycle, with the data marketing sent with it. */
interface HandOff {
  at: number;
  leadKey: string;
  cycle: LeadCycle;
  lead: LeadEvent['lead'];
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
  const { definition: def } = options;
  // instants as numbers: comparing Dates converts both on every test, and this runs over every lead of the page
  const fromMs = options.from.getTime();
  const toMs = options.to.getTime();
  const nowMs = options.now.getTime();
  const overall = new Acc();
  const bySource = new Map<string, Acc>();
  const bySender = new Map<string, Acc>();
  const accOf = (m: Map<string, Acc>, k: string) => m.get(k) ?? m.set(k, new Acc()).get(k)!;
  const withinDays = reviewWithinDays(def);
  const reviewSpan = { basis: 'calendar', minutes: withinDays * 24 * 60 } as const;
  const reviewCounts: Record<ReviewSlaState, number> = { on_time: 0, late: 0, overdue: 0, open: 0 };
  // A hand-off is judged on its data requirements only; leaving out the quality checklist (which
  // sales answers later) spares evaluating and allocating its results for every hand-off.
  const dataOnly: SalDefinition = { ...def, criteria: [] };

  // Every hand-off, in time order, for duplicates: the earlier one is the original.
  const handOffs: HandOff[] = [];
  for (const state of states) {
    const cycles = state.cycles;
    for (let i = 0; i < cycles.length; i++) {
      const c = cycles[i]!;
      if (c.handOver) {
        const event = handOverEvent(state.history, c.handOver.eventId);
        if (event) handOffs.push({ at: c.handOver.at.getTime(), leadKey: state.leadKey ?? event.leadKey, cycle: c, lead: event.lead });
      }
      const rejectedAt = c.status === 'rejected' ? c.rejection?.at : undefined;
      if (!rejectedAt || rejectedAt.getTime() < fromMs || rejectedAt.getTime() >= toMs) continue;
      const review = firstReviewBetween(state.history, rejectedAt, cycles[i + 1]?.startedAt);
      const due = slaDeadline(rejectedAt, reviewSpan, def.calendar).getTime();
      if (review) reviewCounts[review.at.getTime() <= due ? 'on_time' : 'late']++;
      else reviewCounts[nowMs > due ? 'overdue' : 'open']++;
    }
  }
  // stable: hand-offs at the same instant keep the leads' order
  handOffs.sort((a, b) => a.at - b.at);

  const firstLeadOfEmail = new Map<string, string>();
  const firstLeadOfPhone = new Map<string, string>();
  for (const h of handOffs) {
    const email = emailKey(h.lead);
    const phone = phoneKey(h.lead);
    const byEmail = email === undefined ? undefined : firstLeadOfEmail.get(email);
    const byPhone = phone === undefined ? undefined : firstLeadOfPhone.get(phone);
    const duplicate = (byEmail !== undefined && byEmail !== h.leadKey) || (byPhone !== undefined && byPhone !== h.leadKey);
    if (email !== undefined && byEmail === undefined) firstLeadOfEmail.set(email, h.leadKey);
    if (phone !== undefined && byPhone === undefined) firstLeadOfPhone.set(phone, h.leadKey);
    if (h.at < fromMs || h.at >= toMs) continue;
    const handOver = h.cycle.handOver!;
    let failed: string[] | undefined;
    let unknown = false;
    for (const r of evaluateDefinition(sentData(h.lead, handOver.score), {}, dataOnly).results) {
      if (r.group !== 'data') continue;
      if (r.outcome === 'fail') (failed ??= []).push(r.id);
      else if (r.outcome !== 'pass') unknown = true;
    }
    const outcome = failed ? 'failed' : unknown ? 'unknown' : 'met';
    const reason = h.cycle.status === 'rejected' ? h.cycle.rejection?.reasonCode : undefined;
    const marketingReason = isMarketingReason(reason) ? reason : undefined;
    // three calls, not a loop over a fresh array: that array and its iterator were a tenth of this function's garbage
    overall.add(outcome, failed, duplicate, marketingReason);
    accOf(bySource, handOver.source ?? UNKNOWN_SOURCE).add(outcome, failed, duplicate, marketingReason);
    accOf(bySender, handOver.by).add(outcome, failed, duplicate, marketingReason);
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

/** The applied hand-over event with this id in a lead's history (the one that started or re-sent a cycle). */
function handOverEvent(history: readonly HistoryEntry[], eventId: string): LeadEvent | undefined {
  for (const h of history) if (h.event.id === eventId && h.event.type === 'handed_over' && h.effect === 'applied') return h.event;
  return undefined;
}
