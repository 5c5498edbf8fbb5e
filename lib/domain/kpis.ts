import { businessMinutesBetween, localCivilMs, addBusinessTime } from './calendar';
import { computeClocks, type SlaClockKind } from './clocks';
import { DEFAULT_DEFINITION, type SalDefinition } from './definition';
import type { LeadEvent } from './events';
import { foldLead, type LeadCycle } from './lifecycle';

/**
 * KPIs for the lead review meeting and for managers (the article's quantity · quality ·
 * operation figures), overall and per rep / per source.
 *
 * Cohorts: every figure is attributed to a lead *cycle* (one hand-over → decision → outcome
 * run), and each cycle is counted in exactly one rep group and one source group, so per-group
 * counts add up to the overall ones.
 * - MQL figures (acceptance rate): cycles handed over inside the period.
 * - SAL figures (SAL count, first contact, SAL → SQL, SAL → close, times): cycles accepted inside
 *   the period (sales-originated SALs included); their later outcomes count whenever they happen.
 * - Rejections: standing rejections made inside the period.
 * - Overdue backlog: the situation at `now`, regardless of the period.
 */

export type AcceptanceHealth = 'too_lenient' | 'healthy' | 'misaligned';

export interface KpiOptions {
  /** Period start (inclusive). */
  from: Date;
  /** Period end (exclusive). */
  to: Date;
  /** Instant for the overdue backlog and for "not yet due" first contacts; default `to`. */
  now?: Date;
  /** Calendar, clocks and undo window; default `DEFAULT_DEFINITION`. */
  definition?: SalDefinition;
  /** Health band thresholds on the acceptance rate (0..1). */
  health?: { tooLenientAtOrAbove?: number; misalignedBelow?: number };
}

export interface RateFigure {
  /** Cycles in the denominator. */
  of: number;
  count: number;
  /** count / of, null when `of` is 0. */
  rate: number | null;
}

export interface KpiGroup {
  /** MQLs handed over in the period. */
  mqlCount: number;
  /** Leads accepted in the period (SALs), sales-originated included. */
  salCount: number;
  salesOriginatedCount: number;
  /** SALs per calendar-local ISO week (key: the Monday, YYYY-MM-DD), ascending. */
  salCountByWeek: Array<{ weekStart: string; count: number }>;
  /** SALs per calendar-local month (YYYY-MM), ascending. */
  salCountByMonth: Array<{ month: string; count: number }>;
  /** MQLs of the period by their current decision; rate = accepted / (accepted + rejected). */
  acceptance: {
    handedOver: number;
    accepted: number;
    rejected: number;
    contested: number;
    undecided: number;
    rate: number | null;
    band: AcceptanceHealth | null;
  };
  /** SALs of the period: first contact within the SLA among those whose outcome is known. */
  firstContact: { sals: number; withinSla: number; late: number; open: number; rate: number | null };
  salToSql: RateFigure;
  salToClose: RateFigure;
  rejections: {
    total: number;
    byReason: Record<string, number>;
    /** Per calendar-local month (YYYY-MM), ascending. */
    trendByMonth: Array<{ month: string; total: number; byReason: Record<string, number> }>;
  };
  /** Medians in minutes (calendar time and business time), null when there is no sample. */
  timeToAccept: { samples: number; medianMinutes: number | null; medianBusinessMinutes: number | null };
  timeToFirstContact: { samples: number; medianMinutes: number | null; medianBusinessMinutes: number | null };
  /** Leads with an SLA clock running past its deadline at `now`. */
  overdueBacklog: { total: number; byClock: Record<SlaClockKind, number> };
}

export interface KpiReport {
  period: { from: Date; to: Date; now: Date };
  definitionVersion: number;
  overall: KpiGroup;
  /** Keyed by the deciding rep's actor id, else the hand-over owner, else `(unassigned)`. */
  byRep: Record<string, KpiGroup>;
  /** Keyed by the hand-over source, `sales:<signal>` for sales-originated SALs, else `(unknown)`. */
  bySource: Record<string, KpiGroup>;
  /** Display names seen for rep keys (actor names). */
  repNames: Record<string, string>;
}

export const UNASSIGNED = '(unassigned)';
export const UNKNOWN_SOURCE = '(unknown)';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

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
  sql = 0;
  won = 0;
  rejTotal = 0;
  rejByReason = new Map<string, number>();
  rejByMonth = new Map<string, Map<string, number>>();
  toAccept: number[] = [];
  toAcceptBiz: number[] = [];
  toContact: number[] = [];
  toContactBiz: number[] = [];
  overdue = 0;
  overdueBy: Record<SlaClockKind, number> = { acceptance: 0, first_contact: 0, status_update: 0 };
}

const inc = <K>(m: Map<K, number>, k: K, by = 1) => m.set(k, (m.get(k) ?? 0) + by);

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = xs.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const rate = (count: number, of: number): number | null => (of === 0 ? null : count / of);

/**
 * Computes the KPIs of the events' leads for a period. `events` may mix leads; each lead's
 * events must be in fold order (server sequence, then local pending) — the relative order of
 * different leads does not matter. Pure: `now` defaults to `options.to`, never the system clock.
 */
export function computeKpis(events: readonly LeadEvent[], options: KpiOptions): KpiReport {
  const def = options.definition ?? DEFAULT_DEFINITION;
  const cal = def.calendar;
  const fromMs = options.from.getTime();
  const toMs = options.to.getTime();
  const now = options.now ?? options.to;
  const tooLenient = options.health?.tooLenientAtOrAbove ?? 1;
  const misaligned = options.health?.misalignedBelow ?? 0.1;
  const inPeriod = (d: Date | undefined): d is Date => d !== undefined && d.getTime() >= fromMs && d.getTime() < toMs;

  const byLead = new Map<string, LeadEvent[]>();
  for (const e of events) {
    const list = byLead.get(e.leadKey);
    if (list) list.push(e);
    else byLead.set(e.leadKey, [e]);
  }

  const overall = new Acc();
  const reps = new Map<string, Acc>();
  const sources = new Map<string, Acc>();
  const repNames: Record<string, string> = {};
  const groupOf = (map: Map<string, Acc>, key: string) => {
    let a = map.get(key);
    if (!a) map.set(key, (a = new Acc()));
    return a;
  };
  const monthKey = (d: Date) => new Date(localCivilMs(d.getTime(), cal)).toISOString().slice(0, 7);
  const fcRule = def.clocks.first_contact;
  const foldOptions = { undoWindowMinutes: def.undoWindowMinutes };

  for (const leadEvents of byLead.values()) {
    const state = foldLead(leadEvents, foldOptions);
    const last = state.cycles.length - 1;
    state.cycles.forEach((c, i) => {
      const decider = c.acceptance ?? c.rejection;
      const repKey = decider?.actor.id ?? c.handOver?.owner ?? UNASSIGNED;
      if (decider?.actor.name) repNames[repKey] = decider.actor.name;
      const sourceKey = c.handOver?.source ?? (c.salesOriginated ? `sales:${c.signal ?? 'other'}` : UNKNOWN_SOURCE);
      const targets = [overall, groupOf(reps, repKey), groupOf(sources, sourceKey)];
      const add = (f: (a: Acc) => void) => targets.forEach(f);

      if (c.handOver && inPeriod(c.handOver.at)) {
        const outcome: 'accAccepted' | 'accRejected' | 'accContested' | 'accUndecided' =
          c.status === 'contested' ? 'accContested' : c.acceptedAt ? 'accAccepted' : c.rejectedAt ? 'accRejected' : 'accUndecided';
        add((a) => {
          a.mql++;
          a[outcome]++;
        });
      }

      if (inPeriod(c.acceptedAt)) sal(c, c.acceptedAt, add);

      if (c.rejection && c.status !== 'contested' && !c.acceptedAt && inPeriod(c.rejectedAt)) {
        const reason = c.rejection.reasonCode ?? 'other';
        const month = monthKey(c.rejectedAt);
        add((a) => {
          a.rejTotal++;
          inc(a.rejByReason, reason);
          let m = a.rejByMonth.get(month);
          if (!m) a.rejByMonth.set(month, (m = new Map()));
          inc(m, reason);
        });
      }

      if (i === last) {
        const breached = computeClocks(c, def, now).filter((k) => k.running && k.state === 'breached');
        if (breached.length) {
          add((a) => {
            a.overdue++;
            for (const k of breached) a.overdueBy[k.kind]++;
          });
        }
      }
    });
  }

  function sal(c: LeadCycle, acceptedAt: Date, add: (f: (a: Acc) => void) => void) {
    const civil = localCivilMs(acceptedAt.getTime(), cal);
    const weekday = (new Date(civil).getUTCDay() + 6) % 7; // Monday = 0
    const week = civil - weekday * DAY_MS;
    const month = new Date(civil).toISOString().slice(0, 7);
    const deadline = fcRule.basis === 'business' ? addBusinessTime(acceptedAt, fcRule.minutes, cal).getTime() : acceptedAt.getTime() + fcRule.minutes * MINUTE_MS;
    const contactAt = c.firstContactAt?.getTime();
    const stopAt = Math.min(now.getTime(), c.closedAt?.getTime() ?? Infinity);
    const fc: 'fcWithin' | 'fcLate' | 'fcOpen' = contactAt !== undefined ? (contactAt <= deadline ? 'fcWithin' : 'fcLate') : stopAt > deadline ? 'fcLate' : 'fcOpen';
    const handOverAt = c.handOver?.at;
    const toAccept = handOverAt ? (acceptedAt.getTime() - handOverAt.getTime()) / MINUTE_MS : undefined;
    const toAcceptBiz = handOverAt ? businessMinutesBetween(handOverAt, acceptedAt, cal) : undefined;
    const toContact = c.firstContactAt ? (c.firstContactAt.getTime() - acceptedAt.getTime()) / MINUTE_MS : undefined;
    const toContactBiz = c.firstContactAt ? businessMinutesBetween(acceptedAt, c.firstContactAt, cal) : undefined;
    add((a) => {
      a.sal++;
      if (c.salesOriginated) a.salesOriginated++;
      inc(a.weeks, week);
      inc(a.months, month);
      a[fc]++;
      if (c.qualifiedAt) a.sql++;
      if (c.status === 'won') a.won++;
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
        rate: accRate,
        band: accRate === null ? null : accRate >= tooLenient ? 'too_lenient' : accRate < misaligned ? 'misaligned' : 'healthy',
      },
      firstContact: {
        sals: a.sal,
        withinSla: a.fcWithin,
        late: a.fcLate,
        open: a.fcOpen,
        rate: rate(a.fcWithin, a.fcWithin + a.fcLate),
      },
      salToSql: { of: a.sal, count: a.sql, rate: rate(a.sql, a.sal) },
      salToClose: { of: a.sal, count: a.won, rate: rate(a.won, a.sal) },
      rejections: {
        total: a.rejTotal,
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
    };
  };

  const mapGroups = (m: Map<string, Acc>) => Object.fromEntries([...m].map(([k, a]) => [k, finish(a)]));
  return {
    period: { from: options.from, to: options.to, now },
    definitionVersion: def.version,
    overall: finish(overall),
    byRep: mapGroups(reps),
    bySource: mapGroups(sources),
    repNames,
  };
}
