import { isLeadPageOf } from '../../../lib/crm/lead-page-url';
import type { SalDefinition } from '../../../lib/domain/definition';
import type { LeadCycle, LeadState } from '../../../lib/domain/lifecycle';
import { computeClocks, type SlaClock, type SlaClockKind } from '../../../lib/domain/sla-clocks';
import { clockAlertKey, mayAlertNow, warningAt, type AlertLevel } from '../../../lib/domain/sla-notifications';
import type { AlertRules } from '../../../lib/protocol/alerts';

/**
 * Which SLA alerts a team owes at `now`: pure (events, definition and rules in, alerts out), so
 * the rule is tested without a database. The clock rules are the domain's: the fold
 * (`foldLead`), the clocks (`computeClocks`, deadlines by `slaDeadline`), the warning instant
 * (`warningAt`), the business-hours gate (`mayAlertNow`) and the alert key (`clockAlertKey`) are
 * the ones the extension's notifications use.
 */

/** The facts of one alert, stored with its outbox rows and formatted at send time (`messages.ts`). */
export interface AlertFacts {
  /** `<clockAlertKey>|<level>`: one clock run reaching one state (the outbox's unique key). */
  key: string;
  leadKey: string;
  clock: SlaClockKind;
  basis: SlaClock['basis'];
  level: AlertLevel;
  startedAt: string;
  deadline: string;
  /** When the clock entered this state (the warning instant, or the deadline). */
  transitionAt: string;
  lead: { name?: string; company?: string; title?: string };
  /** The lead's own record page on a CRM SAL Bridge knows, else null (never a URL an event merely names). */
  url: string | null;
  /** The rep on the lead: the accepting rep, else the hand-over's owner. */
  owner: string | null;
  /** The calendar's zone, for the due time in the message. */
  timeZone: string;
}

/** The rep on a lead for one of its clocks: the accepting rep, else the hand-over's owner (the one to accept it). */
export function ownerOf(state: LeadState, clock: SlaClockKind): string | null {
  if (clock !== 'acceptance' && state.acceptance) return state.acceptance.actor.name || state.acceptance.actor.id;
  return state.handOver?.owner ?? null;
}

/** One clock run of one lead that reached a state the team's rules announce. */
export interface DueAlert {
  /** `<clockAlertKey>|<level>`: one clock run reaching one state (the outbox's unique key). */
  key: string;
  leadKey: string;
  clock: SlaClock;
  level: AlertLevel;
  /** When the clock entered this state (the warning instant, or the deadline). */
  transitionAt: Date;
}

/** The alerts one lead owes at `now` (see `dueAlertsForTeam`), from its state or its current cycle (the clocks read only that). */
export function dueAlertsForLead(leadKey: string, state: LeadState | LeadCycle, definition: SalDefinition, rules: AlertRules, enabledAt: Date | null, now: Date): DueAlert[] {
  const out: DueAlert[] = [];
  for (const clock of computeClocks(state, definition, now)) {
    if (!clock.running || (clock.state !== 'warning' && clock.state !== 'breached')) continue;
    const level: AlertLevel = clock.state;
    if (!rules.levels.includes(level) || !rules.clocks.includes(clock.kind)) continue;
    const transitionAt = level === 'breached' ? clock.deadline : warningAt(clock, definition);
    if (enabledAt && transitionAt.getTime() < enabledAt.getTime()) continue;
    if (!rules.outsideBusinessHours && !mayAlertNow(clock, transitionAt, definition, now)) continue;
    out.push({ key: `${clockAlertKey(leadKey, clock)}|${level}`, leadKey, clock, level, transitionAt });
  }
  return out;
}

/**
 * The alerts a team owes at `now`, from its leads' states or current cycles (each folded from the
 * lead's events in server order): each running clock in `warning` or `breached` whose clock and state `rules`
 * select, whose transition is not before `enabledAt`, and — for business-time clocks, unless
 * `rules.outsideBusinessHours` — only while the team is at work (`mayAlertNow`: an alert due at
 * night is owed again at the next opening). A clock that went straight to breach owes only the
 * breach. What was already sent is the caller's to drop (the outbox's unique key).
 * The clocks depend only on each event's id, type, actor id, times and undo target, so the
 * caller may fold events without their snapshots and payloads (`outbox.ts` does, to read 100k
 * events fast) and fold the few leads that owe an alert again in full for the message.
 */
export function dueAlertsForTeam(states: ReadonlyMap<string, LeadState | LeadCycle>, definition: SalDefinition, rules: AlertRules, enabledAt: Date | null, now: Date): DueAlert[] {
  const out: DueAlert[] = [];
  for (const [leadKey, state] of states) if (mayRunClocks(state)) out.push(...dueAlertsForLead(leadKey, state, definition, rules, enabledAt, now));
  return out;
}

/**
 * False when no SLA clock of the lead can be running, whatever the time: it is untracked, or its
 * current cycle is closed (won, lost, recycled). Every clock of `computeClocks` stops at the
 * close (acceptance at the first decision or the close, first contact at the first contact or
 * the close, status update at the close), so a closed lead owes no alert until an event reopens
 * it. Lets the watcher skip the deadline arithmetic (business calendars) of most of a team's
 * history, and keep only the other leads between passes.
 */
export function mayRunClocks(state: Pick<LeadState | LeadCycle, 'status' | 'closedAt'>): boolean {
  return state.status !== 'untracked' && state.closedAt === undefined;
}

/** The message facts of a due alert, from the lead's state folded from its full events. */
export function alertFacts(due: DueAlert, state: LeadState, definition: SalDefinition): AlertFacts {
  const { clock, leadKey } = due;
  return {
    key: due.key,
    leadKey,
    clock: clock.kind,
    basis: clock.basis,
    level: due.level,
    startedAt: clock.startedAt.toISOString(),
    deadline: clock.deadline.toISOString(),
    transitionAt: due.transitionAt.toISOString(),
    lead: { name: state.lead.name, company: state.lead.company, title: state.lead.title },
    url: state.lead.url && isLeadPageOf(state.lead.url, leadKey) ? state.lead.url : null,
    owner: ownerOf(state, clock.kind),
    timeZone: definition.calendar.timeZone,
  };
}
