import { localCivilMs } from './calendar';
import { computeClocks, slaDeadline, slaElapsedMinutes, type SlaClockKind } from './sla-clocks';
import { DEFAULT_DEFINITION, type SalDefinition } from './definition';
import { judgedAt, type FoldableEvent } from './events';
import { groupByLead } from './lead-key';
import { foldLead, type LeadCycle } from './lifecycle';

/**
 * KPIs for the lead review meeting and for managers (the article's quantity · quality ·
 * operation figures), overall and per rep / per source.
 *
 * The cohort rule, one for every period figure: **a period counts the leads handed over in it
 * (sales-originated SALs: created in it) and follows each of them to its status at `now`**. So
 * the acceptance breakdown, the SALs, their first contacts, SQLs and wins, the rejection reasons
 * and the times are all about the same leads, and add up: MQLs = accepted + rejected + contested
 * + undecided; SALs = accepted + sales-originated; rejection reasons = rejected. A September
 * hand-over accepted in October counts in September. The price: a closed period's figures still
 * move while its leads are decided and worked, which the report says (`settlement`).
 * The one exception is the overdue backlog: the leads past an SLA deadline at `now`, whatever
 * the period.
 *
 * Every figure is attributed to a lead *cycle* (one hand-over → decision → outcome run; a lead
 * handed over again later is a second cycle, dated by its own hand-over), and each cycle is
 * counted in exactly one rep group and one source group, so per-group counts add up to the
 * overall ones. Events judged after `now` are left out (`judgedAt`: an event the server received
 * later than `now` + `MAX_CLOCK_SKEW_MS` counts from its receive time, minus the skew, however
 * early it claims to have occurred), so a report for a past `now` is the page as it was then: an
 * event recorded offline before `now` and synced later cannot change it. Only events this browser
 * holds unsynced (no `receivedAt` yet) count provisionally at their `occurredAt`.
 */

export type AcceptanceHealth = 'too_lenient' | 'healthy' | 'misaligned';

/** Default minimum of decided leads (accepted + rejected) before the health band is judged. */
export const MIN_DECIDED_FOR_BAND = 10;

export interface KpiOptions {
  /** Period start (inclusive): leads handed over at or after it. */
  from: Date;
  /** Period end (exclusive). */
  to: Date;
  /**
   * The instant the figures are taken at: statuses as of `now`, events judged after it
   * (`judgedAt`) left out, the overdue backlog at `now`; default `to`.
   */
  now?: Date;
  /** Calendar, clocks and undo window; default `DEFAULT_DEFINITION`. */
  definition?: SalDefinition;
  /**
   * Health band on the acceptance rate (0..1): judged only from `minDecided` decided leads
   * (default `MIN_DECIDED_FOR_BAND`), per group too.
   */
  health?: { tooLenientAtOrAbove?: number; misalignedBelow?: number; minDecided?: number };
}

export interface RateFigure {
  /** Cycles in the denominator. */
  of: number;
  count: number;
  /** count / of, null when `of` is 0. */
  rate: number | null;
}

export interface KpiGroup {
  /** MQLs: cycles handed over by marketing in the period (the cohort, sales-originated excluded). */
  mqlCount: number;
  /** SALs of the cohort: its MQLs accepted (not contested) + sales-originated SALs created in the period. */
  salCount: number;
  salesOriginatedCount: number;
  /** SALs per calendar-local ISO week of their hand-over or creation (key: the Monday, YYYY-MM-DD), ascending. */
  salCountByWeek: Array<{ weekStart: string; count: number }>;
  /** SALs per calendar-local month of their hand-over or creation (YYYY-MM), ascending. */
  salCountByMonth: Array<{ month: string; count: number }>;
  /**
   * The MQLs by their decision at `now`; `handedOver = accepted + rejected + contested + undecided`.
   * `rate = accepted / decided`, `decided = accepted + rejected` (contested and undecided leads
   * are left out of the denominator: nobody has settled them yet). `band` is null while fewer
   * than `minDecided` leads are decided (`tooFewToJudge`).
   */
  acceptance: {
    handedOver: number;
    accepted: number;
    rejected: number;
    contested: number;
    undecided: number;
    decided: number;
    rate: number | null;
    band: AcceptanceHealth | null;
    tooFewToJudge: boolean;
    minDecided: number;
  };
  /**
   * The cohort's SALs by their first contact against the SLA deadline at `now`:
   * `sals = withinSla + late + open + closedWithoutContact`; `rate = withinSla / (withinSla + late)`.
   * `open`: not contacted, deadline ahead; `closedWithoutContact`: closed before any contact and
   * before the deadline (no obligation left).
   */
  firstContact: { sals: number; withinSla: number; late: number; open: number; closedWithoutContact: number; rate: number | null };
  /** Of the cohort's SALs, those qualified (SQL) by `now`. */
  salToSql: RateFigure;
  /** Of the cohort's SALs, those won by `now`. */
  salToClose: RateFigure;
  /** The cohort's rejected MQLs (`= acceptance.rejected`) by their standing reason. */
  rejections: {
    total: number;
    byReason: Record<string, number>;
    /** Per calendar-local month of the hand-over (YYYY-MM), ascending. */
    trendByMonth: Array<{ month: string; total: number; byReason: Record<string, number> }>;
  };
  /**
   * Medians in minutes (calendar and business time), null when there is no sample, over the
   * cohort's SALs. Time to accept: hand-over → first acceptance (`acceptedAt`), for SALs that were
   * handed over (sales-originated ones have no hand-over). Time to first contact: from when the
   * lead became an SAL (`salSince`, the first-contact clock's start: after a contest, its
   * resolution) to the first contact, sales-originated SALs included.
   */
  timeToAccept: { samples: number; medianMinutes: number | null; medianBusinessMinutes: number | null };
  timeToFirstContact: { samples: number; medianMinutes: number | null; medianBusinessMinutes: number | null };
  /** NOT the period's: leads (any hand-over date) with an SLA clock running past its deadline at `now`. */
  overdueBacklog: { total: number; byClock: Record<SlaClockKind, number> };
  /**
   * What may still change the period's figures: MQLs waiting for a decision (`undecided` here leaves
   * out those recycled undecided) or contested, SALs not yet closed (won, lost, recycled).
   */
  stillOpen: { undecided: number; contested: number; openSals: number };
  /** Judged time of the latest event (≤ `now`) that changed one of the cohort's leads; undefined when there is none. */
  lastChangedAt: Date | undefined;
}

/**
 * Whether a period's figures can still move: `in_progress` (the period has not ended: leads are
 * still being handed over), `settling` (ended, but decisions or SAL outcomes of its leads are
 * still to come), `settled` (ended, every lead decided and every SAL closed; only a reopen or a
 * late-synced event could change it).
 */
export type PeriodSettlement = 'in_progress' | 'settling' | 'settled';

export interface KpiReport {
  period: { from: Date; to: Date; now: Date };
  settlement: PeriodSettlement;
  /** The latest event (≤ `now`) that changed one of the period's leads (overall `lastChangedAt`). */
  lastChangedAt: Date | undefined;
  definitionVersion: number;
  overall: KpiGroup;
  /** Keyed by the deciding rep's actor id (the acceptance's, else the rejection's), else the hand-over owner, else `(unassigned)`. */
  byRep: Record<string, KpiGroup>;
  /** Keyed by the hand-over source, `sales:<signal>` for sales-originated SALs, else `(unknown)`. */
  bySource: Record<string, KpiGroup>;
  /**
   * Keyed by how the hand-off arrived (`HandoffSourceKind`: crm-rule, csv, api, panel, agent),
   * `sales` for sales-originated SALs, `(unspecified)` for hand-offs recorded before the kind was:
   * is an agent's hand-off accepted as often as marketing's?
   */
  bySourceKind: Record<string, KpiGroup>;
  /** Display names seen for rep keys (actor names). */
  repNames: Record<string, string>;
}

export const UNASSIGNED = '(unassigned)';
export const UNKNOWN_SOURCE = '(unknown)';
/** `bySourceKind`'s key for hand-offs that carry no source kind (recorded before it existed). */
export const UNSPECIFIED_SOURCE_KIND = '(unspecified)';
/** `bySourceKind`'s key for sales-originated SALs (no hand-off). */
export const SALES_ORIGINATED_KIND = 'sales';

const DAY_MS = 86_400_000;

/** Accumulator per group; turned into a KpiGroup at the end. */
class Acc {
  mql = 0;
  sal = 0;
  salesOriginated = 0;
  weeks = new Map<number, number>();
  months = new Map<string, number>();
  accAccepted = 0;
  accRejected = 0;
  accContested = 0;
  accUndecided = 0;
  fcWithin = 0;
  fcLate = 0;
  fcOpen = 0;
  fcClosed = 0;
  sql = 0;
  won = 0;
  openSals = 0;
  /** Undecided MQLs still waiting for a decision (not recycled undecided). */
  pending = 0;
  rejByReason = new Map<string, number>();
  rejByMonth = new Map<string, Map<string, number>>();
  toAccept: number[] = [];
  toAcceptBiz: number[] = [];
  toContact: number[] = [];
  toContactBiz: number[] = [];
  overdue = 0;
  overdueBy: Record<SlaClockKind, number> = { acceptance: 0, first_contact: 0, status_update: 0 };
  lastChanged = -Infinity;
}

const inc = <K>(m: Map<K, number>, k: K, by = 1) => m.set(k, (m.get(k) ?? 0) + by);

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = xs.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const rate = (count: number, of: number): number | null => (of === 0 ? null : count / of);

/** Latest instant recorded on a cycle (ms): when its figures last changed, short of retractions. */
function cycleLastChange(c: LeadCycle): number {
  let t = c.startedAt.getTime();
  const consider = (d: Date | undefined) => {
    if (d && d.getTime() > t) t = d.getTime();
  };
  consider(c.handOver?.at);
  consider(c.pendingSince);
  for (const d of c.decisions) consider(d.at);
  consider(c.lastContactAt);
  consider(c.lastProgressAt);
  consider(c.qualifiedAt);
  consider(c.closedAt);
  return t;
}

/** How a cohort MQL stands at `now`: a contested lead is not an SAL until one side gives way. */
type Decided = 'accepted' | 'rejected' | 'contested' | 'undecided';
function decisionOf(c: LeadCycle): Decided {
  return c.status === 'contested' ? 'contested' : c.acceptedAt ? 'accepted' : c.rejectedAt ? 'rejected' : 'undecided';
}

/**
 * Computes the KPIs of the events' leads for a period under the cohort rule above (leads handed
 * over in `[from, to)`, followed to `now`; the overdue backlog at `now`). Weeks and months are
 * local to the definition's calendar zone. `events` may mix leads; each lead's events must be in
 * fold order (server sequence, then local pending) — the relative order of different leads does
 * not matter; they may carry the server's `receivedAt` (`FoldableEvent`). Events judged after
 * `now` (`judgedAt`) are ignored. Pure: `now` defaults to
 * `options.to`, never the system clock. Linear in the number of events (one fold per lead).
 */
export function computeKpis(events: readonly FoldableEvent[], options: KpiOptions): KpiReport {
  const def = options.definition ?? DEFAULT_DEFINITION;
  const cal = def.calendar;
  const fromMs = options.from.getTime();
  const toMs = options.to.getTime();
  const now = options.now ?? options.to;
  const nowMs = now.getTime();
  const tooLenient = options.health?.tooLenientAtOrAbove ?? 1;
  const misaligned = options.health?.misalignedBelow ?? 0.1;
  const minDecided = options.health?.minDecided ?? MIN_DECIDED_FOR_BAND;
  const inPeriod = (d: Date | undefined): d is Date => d !== undefined && d.getTime() >= fromMs && d.getTime() < toMs;

  const foldOptions = { undoWindowMinutes: def.undoWindowMinutes };
  const byLead = groupByLead(events);
  /** The lead as of `now`: what happened later is not known yet (keeps a past report reproducible). */
  const foldAsOfNow = (leadEvents: FoldableEvent[]) => {
    const state = foldLead(leadEvents, foldOptions);
    // Parsing every event's time is the costly part; a lead whose latest effective event (judged,
    // like the filter) is not after `now` needs none: an ignored event changes nothing.
    if (state.lastEventAt === undefined || state.lastEventAt.getTime() <= nowMs) return state;
    return foldLead(
      leadEvents.filter((e) => judgedAt(e.occurredAt, e.receivedAt) <= nowMs),
      foldOptions,
    );
  };

  const overall = new Acc();
  const reps = new Map<string, Acc>();
  const sources = new Map<string, Acc>();
  const sourceKinds = new Map<string, Acc>();
  const repNames: Record<string, string> = {};
  const groupOf = (map: Map<string, Acc>, key: string) => {
    let a = map.get(key);
    if (!a) map.set(key, (a = new Acc()));
    return a;
  };
  const fcRule = def.clocks.first_contact;

  for (const leadEvents of byLead.values()) {
    const state = foldAsOfNow(leadEvents);
    const last = state.cycles.length - 1;
    state.cycles.forEach((c, i) => {
      const cohortAt = c.handOver?.at ?? (c.salesOriginated ? c.startedAt : undefined);
      const inCohort = inPeriod(cohortAt);
      // Only the current cycle can have a running clock: the backlog is the lead's situation now.
      const breached = i === last ? computeClocks(c, def, now).filter((k) => k.running && k.state === 'breached') : [];
      if (!inCohort && breached.length === 0) return;
      const decider = c.acceptance ?? c.rejection;
      const repKey = decider?.actor.id ?? c.handOver?.owner ?? UNASSIGNED;
      if (decider?.actor.name) repNames[repKey] = decider.actor.name;
      const sourceKey = c.handOver?.source ?? (c.salesOriginated ? `sales:${c.signal ?? 'other'}` : UNKNOWN_SOURCE);
      const kindKey = c.salesOriginated ? SALES_ORIGINATED_KIND : (c.handOver?.sourceKind ?? UNSPECIFIED_SOURCE_KIND);
      const targets = [overall, groupOf(reps, repKey), groupOf(sources, sourceKey), groupOf(sourceKinds, kindKey)];
      const add = (f: (a: Acc) => void) => targets.forEach(f);

      if (inCohort) {
        // The lead's latest event counts for its current cycle only (it may be a retraction).
        const changedAt = i === last ? Math.max(cycleLastChange(c), state.lastEventAt?.getTime() ?? -Infinity) : cycleLastChange(c);
        cohort(c, cohortAt, changedAt, add);
      }
      if (breached.length) {
        add((a) => {
          a.overdue++;
          for (const k of breached) a.overdueBy[k.kind]++;
        });
      }
    });
  }

  /** Counts one cycle of the period's cohort: handed over (or created as an SAL) at `cohortAt`. */
  function cohort(c: LeadCycle, cohortAt: Date, changedAt: number, add: (f: (a: Acc) => void) => void) {
    const civil = localCivilMs(cohortAt.getTime(), cal);
    const weekday = (new Date(civil).getUTCDay() + 6) % 7; // Monday = 0
    const week = civil - weekday * DAY_MS;
    const month = new Date(civil).toISOString().slice(0, 7);
    // A sales-originated SAL is not an MQL; it counts as an SAL unless another rep contested it.
    const decided = decisionOf(c);
    add((a) => {
      if (changedAt > a.lastChanged) a.lastChanged = changedAt;
      if (c.salesOriginated) return;
      a.mql++;
      if (decided === 'accepted') a.accAccepted++;
      else if (decided === 'rejected') a.accRejected++;
      else if (decided === 'contested') a.accContested++;
      else {
        a.accUndecided++;
        if (c.status === 'pending') a.pending++;
      }
    });
    if (decided === 'rejected') {
      const reason = c.rejection?.reasonCode ?? 'other';
      add((a) => {
        inc(a.rejByReason, reason);
        let m = a.rejByMonth.get(month);
        if (!m) a.rejByMonth.set(month, (m = new Map()));
        inc(m, reason);
      });
    }
    const acceptedAt = c.acceptedAt;
    const salSince = c.salSince;
    if (decided !== 'accepted' || !acceptedAt || !salSince) return;

    // As the first-contact clock judges it (same start, same deadline), at `now`: a close before
    // any contact and before the deadline leaves nothing to meet.
    const deadline = slaDeadline(salSince, fcRule, cal).getTime();
    const contactAt = c.firstContactAt?.getTime();
    const stopAt = Math.min(nowMs, c.closedAt?.getTime() ?? Infinity);
    const fc: 'fcWithin' | 'fcLate' | 'fcOpen' | 'fcClosed' =
      contactAt !== undefined ? (contactAt <= deadline ? 'fcWithin' : 'fcLate') : stopAt > deadline ? 'fcLate' : c.closedAt ? 'fcClosed' : 'fcOpen';
    const handOverAt = c.handOver?.at;
    const toAccept = handOverAt ? slaElapsedMinutes(handOverAt, acceptedAt, 'calendar', cal) : undefined;
    const toAcceptBiz = handOverAt ? slaElapsedMinutes(handOverAt, acceptedAt, 'business', cal) : undefined;
    const toContact = c.firstContactAt ? slaElapsedMinutes(salSince, c.firstContactAt, 'calendar', cal) : undefined;
    const toContactBiz = c.firstContactAt ? slaElapsedMinutes(salSince, c.firstContactAt, 'business', cal) : undefined;
    const closed = c.closedAt !== undefined;
    add((a) => {
      a.sal++;
      if (c.salesOriginated) a.salesOriginated++;
      inc(a.weeks, week);
      inc(a.months, month);
      a[fc]++;
      if (c.qualifiedAt) a.sql++;
      if (c.status === 'won') a.won++;
      if (!closed) a.openSals++;
      if (toAccept !== undefined) {
        a.toAccept.push(toAccept);
        a.toAcceptBiz.push(toAcceptBiz!);
      }
      if (toContact !== undefined) {
        a.toContact.push(toContact);
        a.toContactBiz.push(toContactBiz!);
      }
    });
  }

  const finish = (a: Acc): KpiGroup => {
    const decided = a.accAccepted + a.accRejected;
    const accRate = rate(a.accAccepted, decided);
    const tooFewToJudge = decided < minDecided;
    return {
      mqlCount: a.mql,
      salCount: a.sal,
      salesOriginatedCount: a.salesOriginated,
      salCountByWeek: [...a.weeks].sort((x, y) => x[0] - y[0]).map(([w, count]) => ({ weekStart: new Date(w).toISOString().slice(0, 10), count })),
      salCountByMonth: [...a.months].sort((x, y) => (x[0] < y[0] ? -1 : 1)).map(([month, count]) => ({ month, count })),
      acceptance: {
        handedOver: a.mql,
        accepted: a.accAccepted,
        rejected: a.accRejected,
        contested: a.accContested,
        undecided: a.accUndecided,
        decided,
        rate: accRate,
        band: accRate === null || tooFewToJudge ? null : accRate >= tooLenient ? 'too_lenient' : accRate < misaligned ? 'misaligned' : 'healthy',
        tooFewToJudge,
        minDecided,
      },
      firstContact: {
        sals: a.sal,
        withinSla: a.fcWithin,
        late: a.fcLate,
        open: a.fcOpen,
        closedWithoutContact: a.fcClosed,
        rate: rate(a.fcWithin, a.fcWithin + a.fcLate),
      },
      salToSql: { of: a.sal, count: a.sql, rate: rate(a.sql, a.sal) },
      salToClose: { of: a.sal, count: a.won, rate: rate(a.won, a.sal) },
      rejections: {
        total: a.accRejected,
        byReason: Object.fromEntries(a.rejByReason),
        trendByMonth: [...a.rejByMonth].sort((x, y) => (x[0] < y[0] ? -1 : 1)).map(([month, m]) => ({ month, total: [...m.values()].reduce((s, n) => s + n, 0), byReason: Object.fromEntries(m) })),
      },
      timeToAccept: {
        samples: a.toAccept.length,
        medianMinutes: median(a.toAccept),
        medianBusinessMinutes: median(a.toAcceptBiz),
      },
      timeToFirstContact: {
        samples: a.toContact.length,
        medianMinutes: median(a.toContact),
        medianBusinessMinutes: median(a.toContactBiz),
      },
      overdueBacklog: { total: a.overdue, byClock: { ...a.overdueBy } },
      stillOpen: { undecided: a.pending, contested: a.accContested, openSals: a.openSals },
      lastChangedAt: a.lastChanged === -Infinity ? undefined : new Date(a.lastChanged),
    };
  };

  const mapGroups = (m: Map<string, Acc>) => Object.fromEntries([...m].map(([k, a]) => [k, finish(a)]));
  const o = finish(overall);
  const settlement: PeriodSettlement = toMs > nowMs ? 'in_progress' : o.stillOpen.undecided + o.stillOpen.contested + o.stillOpen.openSals > 0 ? 'settling' : 'settled';
  return {
    period: { from: options.from, to: options.to, now },
    settlement,
    lastChangedAt: o.lastChangedAt,
    definitionVersion: def.version,
    overall: o,
    byRep: mapGroups(reps),
    bySource: mapGroups(sources),
    bySourceKind: mapGroups(sourceKinds),
    repNames,
  };
}
