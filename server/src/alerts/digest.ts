import { TZDate } from '@date-fns/tz';
import { ulid } from 'ulid';
import { isLeadPageOf } from '../../../lib/crm/lead-page-url';
import { isWorkingDay, localDateKey, type BusinessCalendar } from '../../../lib/domain/calendar';
import type { SalDefinition } from '../../../lib/domain/definition';
import { groupByLead } from '../../../lib/domain/lead-key';
import { foldLead, foldOptionsFor, type LeadState } from '../../../lib/domain/lifecycle';
import { computeClocks, type SlaClockKind } from '../../../lib/domain/sla-clocks';
import { compareClocks } from '../../../lib/domain/sla-queue';
import { ALERT_CHANNELS, type AlertDigest, type AlertRules } from '../../../lib/protocol/alerts';
import { toNumber, type Database, type Queryable } from '../db/types';
import { getSettings } from '../settings-store';
import { DIGEST_LISTED, type DigestFacts, type DigestLead, type RepDigest } from './digest-facts';
import { ownerOf } from './due';
import { leadEvents, openLeads } from './outbox';
import { teamsWithAlerts, type TeamAlertSettings } from './settings-store';

/**
 * The morning digest: once a day per channel, at the team's chosen local time on its calendar's
 * working days, one message listing per rep their hand-offs waiting for acceptance, due today and
 * overdue. It travels through the alerts outbox like an SLA alert (`kind: 'digest'`, alert key
 * `digest:<YYYY-MM-DD>`): the outbox's unique key makes it exactly once per day and channel
 * across passes, restarts and server instances, and the sender's retries and delivery log apply.
 * The rule (`digestDueDay`) and the composition (`composeDigest`) are pure; the channel formats
 * are in `messages.ts`.
 */

export const digestKey = (day: string) => `digest:${day}`;

/** The instant of local wall time `hhmm` (`24:00`: the next midnight) on calendar-local `day`, in `timeZone` (DST: a time skipped by the clocks moves forward). */
function localInstant(day: string, hhmm: string, timeZone: string): number {
  return new TZDate(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)), Number(hhmm.slice(0, 2)), Number(hhmm.slice(3, 5)), timeZone).getTime();
}

/**
 * The calendar-local day whose digest is owed at `now`, or null. Owed when `digest` is on,
 * the local day of `now` (in `calendar.timeZone`) is a working day of the calendar (its
 * weekdays, not a Japanese holiday when the calendar keeps them, not a closure), and `now` is at
 * or after `digest.time` that day — until the day's closing time (`workingHours.end`), or local
 * midnight for a digest set at or after closing. So a digest whose moment passed while no server
 * ran (an outage, a deploy) still goes out later that working day — a late list of what is
 * pending beats none — but not in the evening or the next day, when it is stale and the next
 * one is due. Whether it was already sent is the outbox's business (the day is its key).
 * @throws RangeError on an invalid `now` (see `isWorkingDay`).
 */
export function digestDueDay(digest: AlertDigest | undefined, calendar: BusinessCalendar, now: Date): string | null {
  if (!digest?.enabled || !isWorkingDay(now, calendar)) return null;
  const day = localDateKey(now, calendar);
  const from = localInstant(day, digest.time, calendar.timeZone);
  const closing = localInstant(day, calendar.workingHours.end, calendar.timeZone);
  const until = from < closing ? closing : localInstant(day, '24:00', calendar.timeZone);
  return now.getTime() >= from && now.getTime() < until ? day : null;
}

function digestLead(leadKey: string, state: LeadState, clock: { kind: SlaClockKind; deadline: Date }): DigestLead {
  const { name, company, url } = state.lead;
  return { leadKey, name: name || null, company: company || null, url: url && isLeadPageOf(url, leadKey) ? url : null, clock: clock.kind, deadline: clock.deadline.toISOString() };
}

/**
 * The digest of `day` at `now`, from the team's leads' states (folded from their full events).
 * Per rep (`ownerOf`: the accepting rep, else the hand-over's owner): how many of their leads
 * wait for acceptance, and which leads have a running clock overdue or due later on `day`
 * (local to the definition's calendar). Each lead counts once, under its most urgent running
 * clock (`compareClocks`); only the clocks the team's alert rules select (`rules.clocks`) count,
 * as they are the deadlines the team asked its channel to hear about. Pure.
 */
export function composeDigest(day: string, states: ReadonlyMap<string, LeadState>, definition: SalDefinition, rules: Pick<AlertRules, 'clocks'>, now: Date): DigestFacts {
  const byOwner = new Map<string | null, { awaiting: number; due: DigestLead[]; overdue: DigestLead[] }>();
  const repOf = (owner: string | null) => {
    const key = owner || null;
    let rep = byOwner.get(key);
    if (!rep) byOwner.set(key, (rep = { awaiting: 0, due: [], overdue: [] }));
    return rep;
  };
  for (const [leadKey, state] of states) {
    if (state.status === 'pending') repOf(ownerOf(state, 'acceptance')).awaiting++;
    const clock = computeClocks(state, definition, now)
      .filter((c) => c.running && rules.clocks.includes(c.kind))
      .sort(compareClocks)[0];
    if (!clock) continue;
    if (clock.state === 'breached') repOf(ownerOf(state, clock.kind)).overdue.push(digestLead(leadKey, state, clock));
    else if (localDateKey(clock.deadline, definition.calendar) === day) repOf(ownerOf(state, clock.kind)).due.push(digestLead(leadKey, state, clock));
  }
  const byDeadline = (a: DigestLead, b: DigestLead) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0);
  const reps: RepDigest[] = [...byOwner].map(([owner, r]) => ({
    owner,
    awaitingAcceptance: r.awaiting,
    dueToday: { count: r.due.length, leads: r.due.sort(byDeadline).slice(0, DIGEST_LISTED) },
    overdue: { count: r.overdue.length, leads: r.overdue.sort(byDeadline).slice(0, DIGEST_LISTED) },
  }));
  reps.sort(
    (a, b) =>
      Number(b.owner === null) - Number(a.owner === null) ||
      b.overdue.count - a.overdue.count ||
      b.dueToday.count - a.dueToday.count ||
      b.awaitingAcceptance - a.awaitingAcceptance ||
      (a.owner ?? '').localeCompare(b.owner ?? ''),
  );
  return { kind: 'digest', key: digestKey(day), day, timeZone: definition.calendar.timeZone, at: now.toISOString(), reps };
}

/**
 * One team's digest at `now`, if owed (`digestDueDay`) and not yet in the outbox for every
 * configured channel: composes it from the team's open leads and enqueues one row per channel.
 * Exactly once per day and channel: the rows' unique key (team, `digest:<day>`, channel) drops
 * what an earlier pass, a restarted server or another instance already enqueued. Off while the
 * team's alerts are off. Returns the rows added.
 */
export async function digestTeam(db: Database, settings: TeamAlertSettings, now: Date): Promise<number> {
  const channels = ALERT_CHANNELS.filter((c) => settings.channels[c]);
  if (!settings.enabled || channels.length === 0 || !settings.rules.digest?.enabled) return 0;
  const { activeDefinition: definition } = await getSettings(db, settings.teamId);
  const day = digestDueDay(settings.rules.digest, definition.calendar, now);
  if (!day) return 0;
  // the usual case, every pass after the day's digest went out: no fold at all
  const { rows: present } = await db.query<{ n: unknown }>('SELECT count(*) AS n FROM alert_outbox WHERE team_id = $1 AND alert_key = $2 AND channel = ANY($3::text[])', [
    settings.teamId,
    digestKey(day),
    channels,
  ]);
  if (toNumber(present[0]?.n) >= channels.length) return 0;
  // the leads that may run a clock (the watcher's cache), folded again in full for owners and names
  const open = await openLeads(db, settings.teamId, definition);
  const options = foldOptionsFor(definition);
  const full = groupByLead(await leadEvents(db, settings.teamId, [...open.keys()]));
  const states = new Map([...full].map(([leadKey, events]) => [leadKey, foldLead(events, options)]));
  const facts = composeDigest(day, states, definition, settings.rules, now);
  return enqueueDigest(db, settings.teamId, facts, channels, now);
}

async function enqueueDigest(db: Queryable, teamId: string, facts: DigestFacts, channels: readonly string[], now: Date): Promise<number> {
  const rows = channels.map((channel) => ({ id: `alert_${ulid(now.getTime())}`, channel }));
  const { rows: added } = await db.query(
    `INSERT INTO alert_outbox (id, team_id, alert_key, channel, lead_key, clock, level, alert, next_attempt_at, created_at, kind)
     SELECT r->>'id', $1, $2, r->>'channel', '', 'digest', 'warning', $3::jsonb, $4, $4, 'digest'
       FROM jsonb_array_elements($5::jsonb) AS r
     ON CONFLICT (team_id, alert_key, channel) DO NOTHING
     RETURNING id`,
    [teamId, facts.key, JSON.stringify(facts), now.toISOString(), JSON.stringify(rows)],
  );
  return added.length;
}

/** One digest pass over every team with alerts on; one team's failure never holds back the others (tried again next pass). */
export async function digestAll(db: Database, now: Date): Promise<{ added: Map<string, number>; errors: Map<string, unknown> }> {
  const added = new Map<string, number>();
  const errors = new Map<string, unknown>();
  for (const settings of await teamsWithAlerts(db)) {
    try {
      added.set(settings.teamId, await digestTeam(db, settings, now));
    } catch (error) {
      errors.set(settings.teamId, error);
    }
  }
  return { added, errors };
}
