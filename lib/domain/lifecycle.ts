import {
  eventJudgedAt,
  type Actor,
  type HandoffRationale,
  type HandoffSourceKind,
  type ContactChannel,
  type FoldableEvent,
  type LeadEvent,
  type LeadEventType,
  type LeadSnapshot,
  type SalesSignal,
  type Temperature,
} from './events';
import type { SalDefinition } from './definition';

/**
 * The lifecycle fold: a lead's events → its state. Pure and deterministic for a given order; the
 * caller passes the server-sequenced events first, then its local pending ones in their order.
 * Invalid transitions never throw: the event is kept in `history` as `ignored` and reported in
 * `issues`, so a bad event from one client cannot break every other client's view.
 *
 * Every time in the state (clocks, the undo window) is the event's judged time (`judgedAt`):
 * `occurredAt`, moved forward to `receivedAt - MAX_CLOCK_SKEW_MS` when the server received the
 * event later than that, so a backdated decision cannot meet an SLA it missed. Events the server
 * has not acknowledged yet carry no `receivedAt` and are judged provisionally at `occurredAt`.
 *
 * A lead can go round several cycles (handed over → rejected → handed over again later, or
 * recycled to nurture and re-qualified by marketing). The top-level fields of `LeadState`
 * describe the current cycle; `cycles` keeps every cycle for KPIs.
 */

// The transitions (which event is allowed in which status, and what it leads to) are the table
// in `lead-transitions.ts`; this file is the fold that applies them and keeps the books.
import { statusAfter, TRANSITIONS, type CycleStatus, type LeadStatus } from './lead-transitions';
// (re-exported: the rest of the code reads the lifecycle's vocabulary from here)
export { CLOSED_STATUSES, LEAD_STATUSES, statusAfter, TRANSITIONS, type CycleStatus, type LeadStatus, type Transition, type TransitionResult } from './lead-transitions';

/** One rep's standing accept / reject decision in the current cycle. */
export interface Decision {
  kind: 'accepted' | 'rejected';
  eventId: string;
  actor: Actor;
  /** When this decision was (last) recorded. */
  at: Date;
  /** When this actor first took this side without interruption (re-accepting keeps it). */
  since: Date;
  definitionVersion: number;
  temperature?: Temperature;
  comment?: string;
  /** Rejections only. */
  reasonCode?: string;
  /** Acceptances (and sales-originated SALs): the checklist answers. */
  checklist?: Record<string, boolean | null>;
}

export type IssueCode =
  'invalid_transition' | 'duplicate_event' | 'lead_key_mismatch' | 'retract_unknown_target' | 'retract_not_own_event' | 'retract_not_latest' | 'retract_already_retracted' | 'retract_window_expired';

export interface LeadIssue {
  eventId: string;
  eventType: LeadEventType;
  code: IssueCode;
  /** Status the lead was in when the event arrived. */
  from: LeadStatus;
  message: string;
}

/**
 * - `applied`: the event changed the state.
 * - `ignored`: invalid here (see `issue`), no effect: not on the status, the cycles, their times,
 *   the snapshot (`lead`) nor `lastEventAt`. Its id still counts as seen (a second delivery is a
 *   `duplicate_event`), and the first event of a fold names the lead (`leadKey`), whatever its effect.
 * - `retracted`: withdrawn by a later `retracted` event (`retractedBy`), no effect.
 * - `retraction`: a valid undo (its target is marked `retracted`).
 */
export type HistoryEffect = 'applied' | 'ignored' | 'retracted' | 'retraction';

export interface HistoryEntry {
  event: LeadEvent;
  at: Date;
  effect: HistoryEffect;
  issue?: IssueCode;
  retractedBy?: string;
  /** Status after this event (for timelines). */
  statusAfter: LeadStatus;
}

export interface HandOver {
  eventId: string;
  actor: Actor;
  at: Date;
  by: string;
  owner?: string;
  source?: string;
  campaign?: string;
  score?: number;
  note?: string;
  /** How the hand-off that started the cycle arrived (absent on hand-offs recorded before it existed). */
  sourceKind?: HandoffSourceKind;
  /** The sender's rationale; a re-send's replaces the earlier one. */
  rationale?: HandoffRationale;
}

export interface LeadCycle {
  /** 0-based position among the lead's cycles. */
  index: number;
  status: CycleStatus;
  startedAt: Date;
  salesOriginated: boolean;
  /** Sales-originated SALs: the signal that made sales create it. */
  signal?: SalesSignal;
  handOver?: HandOver;
  /** Start of the acceptance clock: the hand-over, or the latest reopen. */
  pendingSince?: Date;
  /** First accept / reject decision after `pendingSince` (stops the acceptance clock); a sales-originated SAL's creation. */
  firstDecisionAt?: Date;
  /** Standing decisions, one per actor, oldest first by each actor's latest decision (a rep who decides again moves last). */
  decisions: Decision[];
  /** The earliest standing acceptance (earliest `since`); after a contest it is still the first one. */
  acceptance?: Decision;
  /** The most recent standing rejection. */
  rejection?: Decision;
  /** `since` of the earliest standing acceptance (`acceptance.since`): when sales first took the lead. */
  acceptedAt?: Date;
  /** `since` of the earliest standing rejection (may be another rep's than `rejection`). */
  rejectedAt?: Date;
  /**
   * When the lead last became an SAL: the acceptance (or sales-originated SAL) that made it one,
   * or — after a contest — the decision that resolved the contest into an acceptance (later than
   * `acceptedAt` then). Undefined while it is not an SAL (pending, rejected, contested, or closed
   * undecided); kept once it is contacted, qualified or closed. The first-contact and status
   * clocks start here: nobody can log a contact on a contested lead.
   */
  salSince?: Date;
  firstContactAt?: Date;
  firstContactChannel?: ContactChannel;
  lastContactAt?: Date;
  contactCount: number;
  /** Latest progress report (progress update, contact or qualification) — restarts the status clock. */
  lastProgressAt?: Date;
  qualifiedAt?: Date;
  closedAt?: Date;
  /** Reason given when recycled or lost. */
  closeReason?: string;
  amount?: number;
}

export interface LeadState extends Omit<LeadCycle, 'index' | 'status' | 'startedAt' | 'salesOriginated' | 'decisions' | 'contactCount'> {
  leadKey: string | undefined;
  status: LeadStatus;
  salesOriginated: boolean;
  decisions: Decision[];
  contactCount: number;
  /** Latest snapshot of the lead, merged field by field over the events the fold applied (never from an ignored one). */
  lead: LeadSnapshot;
  history: HistoryEntry[];
  issues: LeadIssue[];
  cycles: LeadCycle[];
  /**
   * Judged time (`judgedAt`) of the latest event that took effect: applied, or a valid
   * retraction. Ignored events (invalid, duplicate, refused undo) and retracted ones do not count.
   */
  lastEventAt?: Date;
}

export interface FoldOptions {
  /** Undo window for `retracted` (default 10 minutes, the definition's default). */
  undoWindowMinutes?: number;
}

/** Fold options taken from a definition (its undo window). */
export function foldOptionsFor(definition: SalDefinition): FoldOptions {
  return { undoWindowMinutes: definition.undoWindowMinutes };
}

const DEFAULT_UNDO_MINUTES = 10;

interface MutDecision extends Omit<Decision, 'at' | 'since'> {
  at: number;
  since: number;
}

/** Mutable cycle; a class with every field initialised so all cycles share one shape (fast). */
class MutCycle {
  status: CycleStatus = 'pending';
  signal: SalesSignal | undefined = undefined;
  handOver: (Omit<HandOver, 'at'> & { at: number }) | undefined = undefined;
  pendingSince: number | undefined = undefined;
  firstDecisionAt: number | undefined = undefined;
  decisions = new Map<string, MutDecision>();
  acceptedAt: number | undefined = undefined;
  rejectedAt: number | undefined = undefined;
  salSince: number | undefined = undefined;
  firstContactAt: number | undefined = undefined;
  firstContactChannel: ContactChannel | undefined = undefined;
  lastContactAt: number | undefined = undefined;
  contactCount = 0;
  lastProgressAt: number | undefined = undefined;
  qualifiedAt: number | undefined = undefined;
  closedAt: number | undefined = undefined;
  closeReason: string | undefined = undefined;
  amount: number | undefined = undefined;

  constructor(
    readonly startedAt: number,
    readonly salesOriginated: boolean,
  ) {}
}

type RetractOutcome = { ok: true; target: string } | { ok: false; code: IssueCode; message: string };

interface MutEntry {
  event: LeadEvent;
  at: number;
  effect: HistoryEffect;
  issue?: IssueCode;
  statusAfter: LeadStatus;
}

/** Mutable single pass over events; rebuilt from scratch after a valid retraction. */
class Pass {
  leadKey: string | undefined;
  cycles: MutCycle[] = [];
  entries: MutEntry[] = [];
  issues: LeadIssue[] = [];
  seen = new Set<string>();
  lead: LeadSnapshot = {};
  lastEventAt: number | undefined;

  constructor(
    readonly retracted: ReadonlySet<string>,
    readonly outcomes: ReadonlyMap<string, RetractOutcome>,
  ) {}

  get current(): MutCycle | undefined {
    return this.cycles[this.cycles.length - 1];
  }

  get status(): LeadStatus {
    return this.current?.status ?? 'untracked';
  }

  apply(e: FoldableEvent): void {
    const at = eventJudgedAt(e);
    const from = this.status;
    if (this.seen.has(e.id)) {
      // The same event delivered twice (sync retry): keep the first, note the second.
      this.reject(e, at, from, 'duplicate_event', 'event already applied');
      return;
    }
    this.seen.add(e.id);
    if (this.leadKey === undefined) this.leadKey = e.leadKey;
    else if (e.leadKey !== this.leadKey) {
      this.reject(e, at, from, 'lead_key_mismatch', `event is for ${e.leadKey}`);
      return;
    }
    if (this.retracted.has(e.id)) {
      this.entries.push({ event: e, at, effect: 'retracted', statusAfter: from });
      return;
    }
    if (e.type === 'retracted') {
      const o = this.outcomes.get(e.id);
      if (o && o.ok) this.accept(e, at, 'retraction', from);
      else this.reject(e, at, from, o?.code ?? 'retract_unknown_target', o && !o.ok ? o.message : 'not checked');
      return;
    }
    const problem = this.transition(e, at, from);
    if (problem) this.reject(e, at, from, 'invalid_transition', problem);
    else this.accept(e, at, 'applied', this.status);
  }

  /** Records an event the lifecycle took; only such events may change the lead's snapshot and `lastEventAt`. */
  private accept(e: LeadEvent, at: number, effect: 'applied' | 'retraction', statusAfter: LeadStatus): void {
    if (this.lastEventAt === undefined || at > this.lastEventAt) this.lastEventAt = at;
    if (e.lead) this.lead = { ...this.lead, ...definedOnly(e.lead) };
    this.entries.push({ event: e, at, effect, statusAfter });
  }

  private reject(e: LeadEvent, at: number, from: LeadStatus, code: IssueCode, message: string): void {
    this.entries.push({ event: e, at, effect: 'ignored', issue: code, statusAfter: from });
    this.issues.push({ eventId: e.id, eventType: e.type, code, from, message });
  }

  /**
   * Applies a state-changing event: refused unless `TRANSITIONS` allows it from `from` (returns the
   * reason), else recorded on the cycle and given the table's resulting status.
   */
  private transition(e: LeadEvent, at: number, from: LeadStatus): string | undefined {
    const row = TRANSITIONS[e.type];
    if (!row.from.includes(from)) return row.refused(from);
    record(this.cycles, e, at, from);
    const to = statusAfter(row.to, from);
    if (to) this.current!.status = to;
    return undefined;
  }

  /** Whether `e` (a `retracted` event) may undo its target, judged on the events so far. */
  checkRetraction(e: LeadEventOfRetracted & { receivedAt?: string }, undoWindowMs: number): RetractOutcome {
    const targetId = e.payload.targetEventId;
    const target = this.entries.find((x) => x.event.id === targetId);
    if (!target) return { ok: false, code: 'retract_unknown_target', message: `no event ${targetId} before the undo` };
    if (target.effect === 'retracted') return { ok: false, code: 'retract_already_retracted', message: 'already retracted' };
    if (target.event.actor.id !== e.actor.id) return { ok: false, code: 'retract_not_own_event', message: 'only the actor of an event can retract it' };
    let latest: MutEntry | undefined;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const x = this.entries[i]!;
      if (x.effect === 'applied' && x.event.actor.id === e.actor.id) {
        latest = x;
        break;
      }
    }
    if (latest !== target) return { ok: false, code: 'retract_not_latest', message: 'only the actor’s latest effective event can be retracted' };
    if (eventJudgedAt(e) - target.at > undoWindowMs) return { ok: false, code: 'retract_window_expired', message: 'the undo window has passed' };
    return { ok: true, target: targetId };
  }
}

type LeadEventOfRetracted = Extract<LeadEvent, { type: 'retracted' }>;

function definedOnly(s: LeadSnapshot): LeadSnapshot {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s)) if (v !== undefined) out[k] = v;
  return out as LeadSnapshot;
}

/**
 * What an allowed event records on the lead's cycles (a new cycle, a decision, times, the
 * hand-over's details). The status itself comes from `TRANSITIONS`, except where the standing
 * decisions settle it (`refreshDecisionStatus`).
 */
function record(cycles: MutCycle[], e: LeadEvent, at: number, from: LeadStatus): void {
  // The current cycle; absent only for an untracked lead, where the event starts the first one.
  const c = cycles[cycles.length - 1]!;
  switch (e.type) {
    case 'handed_over': {
      const handOver = {
        eventId: e.id,
        actor: e.actor,
        at,
        by: e.payload.by,
        owner: e.payload.owner,
        source: e.payload.source,
        campaign: e.payload.campaign,
        score: e.payload.score,
        note: e.payload.note,
        sourceKind: e.payload.sourceKind,
        rationale: e.payload.rationale,
      };
      if (from !== 'pending') {
        const cycle = new MutCycle(at, false);
        cycle.handOver = handOver;
        cycle.pendingSince = at;
        cycles.push(cycle);
        return;
      }
      // Re-sent while nobody has decided (e.g. reassigned): update the details, but keep the
      // acceptance clock running from the first hand-over so a re-send cannot reset the SLA.
      const prev = c.handOver;
      c.handOver = prev
        ? {
            ...prev,
            owner: handOver.owner ?? prev.owner,
            source: handOver.source ?? prev.source,
            campaign: handOver.campaign ?? prev.campaign,
            score: handOver.score ?? prev.score,
            note: handOver.note ?? prev.note,
            // the cycle stays counted under the source that started it (KPIs split by it)
            sourceKind: prev.sourceKind ?? handOver.sourceKind,
            rationale: handOver.rationale ?? prev.rationale,
          }
        : handOver;
      return;
    }
    case 'sales_originated': {
      const cycle = new MutCycle(at, true);
      cycle.signal = e.payload.signal;
      cycle.firstDecisionAt = at;
      cycles.push(cycle);
      setDecision(cycle, at, {
        kind: 'accepted',
        eventId: e.id,
        actor: e.actor,
        at,
        since: at,
        definitionVersion: e.definitionVersion,
        temperature: e.payload.temperature,
        comment: e.payload.comment,
        reasonCode: undefined,
        checklist: {},
      });
      return;
    }
    case 'accepted':
    case 'rejected': {
      const prev = c.decisions.get(e.actor.id);
      const decision: MutDecision =
        e.type === 'accepted'
          ? {
              kind: 'accepted',
              eventId: e.id,
              actor: e.actor,
              at,
              since: prev?.kind === 'accepted' ? prev.since : at,
              definitionVersion: e.definitionVersion,
              temperature: e.payload.temperature,
              comment: e.payload.comment,
              reasonCode: undefined,
              checklist: e.payload.checklist,
            }
          : {
              kind: 'rejected',
              eventId: e.id,
              actor: e.actor,
              at,
              since: prev?.kind === 'rejected' ? prev.since : at,
              definitionVersion: e.definitionVersion,
              temperature: e.payload.temperature,
              comment: e.payload.comment,
              reasonCode: e.payload.reasonCode,
              checklist: undefined,
            };
      c.firstDecisionAt ??= at;
      setDecision(c, at, decision);
      return;
    }
    case 'reopened':
      c.decisions.clear();
      c.pendingSince = at;
      c.firstDecisionAt = undefined;
      refreshDecisionStatus(c, at);
      return;
    case 'contacted':
      if (c.firstContactAt === undefined) {
        c.firstContactAt = at;
        c.firstContactChannel = e.payload.channel;
      }
      c.lastContactAt = at;
      c.contactCount++;
      c.lastProgressAt = at;
      return;
    case 'progress_updated':
      c.lastProgressAt = at;
      return;
    case 'qualified':
      c.qualifiedAt = at;
      c.lastProgressAt = at;
      return;
    case 'won':
      c.amount = e.payload.amount;
      close(c, at, undefined);
      return;
    case 'recycled':
    case 'lost':
      close(c, at, e.payload.reason);
      return;
    case 'reviewed':
      // Kept in the history only (lib/domain/review.ts reads it there); nothing on the cycle changes.
      return;
    case 'retracted':
      // Never reaches here: the fold judges an undo by its target and replays without it.
      return;
  }
}

function close(c: MutCycle, at: number, reason: string | undefined): void {
  c.closedAt = at;
  c.closeReason = reason;
}

function setDecision(c: MutCycle, at: number, d: MutDecision): void {
  // Re-inserting keeps one decision per actor; delete first so the order follows the latest call.
  c.decisions.delete(d.actor.id);
  c.decisions.set(d.actor.id, d);
  refreshDecisionStatus(c, at);
}

/** Recomputes the cycle's decision status after a decision (or a reopen) judged at `at`. */
function refreshDecisionStatus(c: MutCycle, at: number): void {
  const wasSal = c.status === 'accepted';
  let accepts = 0;
  let rejects = 0;
  let acceptedAt: number | undefined;
  let rejectedAt: number | undefined;
  for (const d of c.decisions.values()) {
    if (d.kind === 'accepted') {
      accepts++;
      if (acceptedAt === undefined || d.since < acceptedAt) acceptedAt = d.since;
    } else {
      rejects++;
      if (rejectedAt === undefined || d.since < rejectedAt) rejectedAt = d.since;
    }
  }
  c.acceptedAt = acceptedAt;
  c.rejectedAt = rejectedAt;
  c.status = accepts && rejects ? 'contested' : accepts ? 'accepted' : rejects ? 'rejected' : 'pending';
  // Becoming an SAL (from pending, rejected or contested) starts it now; staying one keeps it.
  if (c.status !== 'accepted') c.salSince = undefined;
  else if (!wasSal) c.salSince = at;
}

const toDate = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

function exportDecision(d: MutDecision): Decision {
  return {
    kind: d.kind,
    eventId: d.eventId,
    actor: d.actor,
    at: new Date(d.at),
    since: new Date(d.since),
    definitionVersion: d.definitionVersion,
    temperature: d.temperature,
    comment: d.comment,
    reasonCode: d.reasonCode,
    checklist: d.checklist,
  };
}

function exportCycle(c: MutCycle, index: number): LeadCycle {
  const decisions = [...c.decisions.values()].map(exportDecision);
  let acceptance: Decision | undefined;
  let rejection: Decision | undefined;
  for (const d of decisions) {
    if (d.kind === 'accepted' && (!acceptance || d.since < acceptance.since)) acceptance = d;
    if (d.kind === 'rejected' && (!rejection || d.at >= rejection.at)) rejection = d;
  }
  return {
    index,
    status: c.status,
    startedAt: new Date(c.startedAt),
    salesOriginated: c.salesOriginated,
    signal: c.signal,
    handOver: c.handOver ? exportHandOver(c.handOver) : undefined,
    pendingSince: toDate(c.pendingSince),
    firstDecisionAt: toDate(c.firstDecisionAt),
    decisions,
    acceptance,
    rejection,
    acceptedAt: toDate(c.acceptedAt),
    rejectedAt: toDate(c.rejectedAt),
    salSince: toDate(c.salSince),
    firstContactAt: toDate(c.firstContactAt),
    firstContactChannel: c.firstContactChannel,
    lastContactAt: toDate(c.lastContactAt),
    contactCount: c.contactCount,
    lastProgressAt: toDate(c.lastProgressAt),
    qualifiedAt: toDate(c.qualifiedAt),
    closedAt: toDate(c.closedAt),
    closeReason: c.closeReason,
    amount: c.amount,
  };
}

/**
 * An incremental fold: push events batch by batch (server events, then local pending ones) and
 * read the state at any point. `push(a); push(b)` gives exactly the state of `foldLead([...a, ...b])`.
 */
export interface LeadFolder {
  /** Events with the server's `receivedAt` where known (see `FoldableEvent`). */
  push(events: readonly FoldableEvent[]): void;
  state(): LeadState;
  /**
   * The current cycle, exactly `state().cycles.at(-1)` (undefined while the lead is untracked),
   * without exporting the history and the earlier cycles: what the SLA clocks read
   * (`computeClocks` takes a cycle), for callers that fold many leads only for their clocks.
   */
  currentCycle(): LeadCycle | undefined;
}

export function createLeadFolder(options: FoldOptions = {}): LeadFolder {
  const undoWindowMs = (options.undoWindowMinutes ?? DEFAULT_UNDO_MINUTES) * 60_000;
  const all: FoldableEvent[] = [];
  const outcomes = new Map<string, RetractOutcome>();
  const retracted = new Set<string>();
  let pass = new Pass(retracted, outcomes);
  return {
    push(events) {
      for (const e of events) {
        all.push(e);
        if (e.type === 'retracted' && !outcomes.has(e.id) && !pass.seen.has(e.id)) {
          const outcome = pass.checkRetraction(e, undoWindowMs);
          outcomes.set(e.id, outcome);
          if (outcome.ok) {
            // Replay everything with the target withdrawn: later events by others may have
            // depended on it (e.g. a contact logged on an acceptance that is now undone).
            retracted.add(outcome.target);
            pass = new Pass(retracted, outcomes);
            for (const x of all) pass.apply(x);
            continue;
          }
        }
        pass.apply(e);
      }
    },
    state() {
      return exportState(pass, outcomes);
    },
    currentCycle() {
      const last = pass.cycles.length - 1;
      return last < 0 ? undefined : exportCycle(pass.cycles[last]!, last);
    },
  };
}

function exportState(pass: Pass, outcomes: ReadonlyMap<string, RetractOutcome>): LeadState {
  let retractedBy: Map<string, string> | undefined;
  for (const [id, o] of outcomes) if (o.ok) (retractedBy ??= new Map()).set(o.target, id);
  const history: HistoryEntry[] = new Array(pass.entries.length);
  for (let i = 0; i < pass.entries.length; i++) {
    const x = pass.entries[i]!;
    history[i] = {
      event: x.event,
      at: new Date(x.at),
      effect: x.effect,
      issue: x.issue,
      retractedBy: x.effect === 'retracted' ? retractedBy?.get(x.event.id) : undefined,
      statusAfter: x.statusAfter,
    };
  }
  const cycles = pass.cycles.map(exportCycle);
  const c = cycles[cycles.length - 1];
  // Spelled out (no spread) so every state has the same shape: cheap to build, fast to read.
  return {
    leadKey: pass.leadKey,
    status: c ? c.status : 'untracked',
    salesOriginated: c ? c.salesOriginated : false,
    signal: c?.signal,
    handOver: c?.handOver,
    pendingSince: c?.pendingSince,
    firstDecisionAt: c?.firstDecisionAt,
    decisions: c ? c.decisions : [],
    acceptance: c?.acceptance,
    rejection: c?.rejection,
    acceptedAt: c?.acceptedAt,
    rejectedAt: c?.rejectedAt,
    salSince: c?.salSince,
    firstContactAt: c?.firstContactAt,
    firstContactChannel: c?.firstContactChannel,
    lastContactAt: c?.lastContactAt,
    contactCount: c ? c.contactCount : 0,
    lastProgressAt: c?.lastProgressAt,
    qualifiedAt: c?.qualifiedAt,
    closedAt: c?.closedAt,
    closeReason: c?.closeReason,
    amount: c?.amount,
    lead: pass.lead,
    history,
    issues: pass.issues.slice(),
    cycles,
    lastEventAt: toDate(pass.lastEventAt),
  };
}

/**
 * Folds a lead's events into its state. Deterministic for the given order (server-sequenced
 * events first, then local pending ones). Never throws on invalid events: see `issues`. Events
 * may carry the server's `receivedAt` (`FoldableEvent`); times are then judged by `judgedAt`, or
 * taken from the event when its reader judged it already (`JudgedEvent`).
 */
export function foldLead(events: readonly FoldableEvent[], options: FoldOptions = {}): LeadState {
  const folder = createLeadFolder(options);
  folder.push(events);
  return folder.state();
}

export type CanRetract = { ok: true; eventId: string } | { ok: false; reason: 'nothing_to_retract' | 'window_expired' };

/**
 * Whether `actorId` can undo their latest effective event at `now`, under the definition's undo
 * window. Returns the event id to put in `retracted.payload.targetEventId`.
 */
export function canRetract(state: LeadState, actorId: string, now: Date, definition: Pick<SalDefinition, 'undoWindowMinutes'>): CanRetract {
  for (let i = state.history.length - 1; i >= 0; i--) {
    const h = state.history[i]!;
    if (h.effect !== 'applied' || h.event.actor.id !== actorId) continue;
    if (now.getTime() - h.at.getTime() > definition.undoWindowMinutes * 60_000) return { ok: false, reason: 'window_expired' };
    return { ok: true, eventId: h.event.id };
  }
  return { ok: false, reason: 'nothing_to_retract' };
}

function exportHandOver(h: Omit<HandOver, 'at'> & { at: number }): HandOver {
  return {
    eventId: h.eventId,
    actor: h.actor,
    at: new Date(h.at),
    by: h.by,
    owner: h.owner,
    source: h.source,
    campaign: h.campaign,
    score: h.score,
    note: h.note,
    sourceKind: h.sourceKind,
    rationale: h.rationale,
  };
}
