import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { judgedAtMs, type FoldableEvent, type JudgedEvent, type LeadEvent } from '../../../lib/domain/events';
import { groupByLead } from '../../../lib/domain/lead-key';
import { fullJitterDelay, parseRetryAfter } from '../../../lib/sync/backoff';
import { ALERT_CHANNELS, type AlertChannel, type AlertDelivery } from '../../../lib/protocol/alerts';
import { toIso, toNumber, type Database, type Queryable } from '../db/types';
import { getSettings } from '../settings-store';
import { alertFacts, dueAlertsForTeam, mayRunClocks, type AlertFacts } from './due';
import { createLeadFolder, foldLead, foldOptionsFor, type FoldOptions, type LeadCycle } from '../../../lib/domain/lifecycle';
import type { SalDefinition } from '../../../lib/domain/definition';
import { digestPayload, payloadFor } from './messages';
import { isDigest, type DigestFacts } from './digest-facts';
import type { PostJson } from './post';
import { getAlertSettings, teamsWithAlerts, type TeamAlertSettings } from './settings-store';
import { IDEMPOTENCY_HEADER, signBody, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature';
import { isReadHealthAlert, readHealthPayload, type ReadHealthAlertFacts } from '../read-health/alert';

// ---------------------------------------------------------------------------------------------
// The watcher: events → alerts owed → outbox rows

/**
 * One watcher pass over one team at `now`: brings the team's folded leads up to date, works out
 * the alerts owed (`dueAlertsForTeam`) and enqueues one outbox
 * row per alert and configured channel. Exactly once: the rows' unique key (team, alert key,
 * channel) drops what an earlier pass, or another server instance's pass running at the same
 * time, already enqueued (`ON CONFLICT DO NOTHING`). Returns how many rows this pass added.
 * The folded leads are kept for the next pass (`openLeads`): it reads only the events after the
 * last one folded and refolds only their leads.
 */
export async function watchTeam(db: Database, settings: TeamAlertSettings, now: Date): Promise<number> {
  const channels = ALERT_CHANNELS.filter((c) => settings.channels[c]);
  if (!settings.enabled || channels.length === 0) return 0;
  const { activeDefinition: definition } = await getSettings(db, settings.teamId);
  const open = await openLeads(db, settings.teamId, definition);
  const due = dueAlertsForTeam(open, definition, settings.rules, settings.enabledAt, now);
  if (due.length === 0) return 0;
  // What every channel already has needs no message: this spares folding those leads in full
  // (the unique key would drop them anyway, and still decides a race with another instance).
  const { rows: present } = await db.query<{ alert_key: string; n: unknown }>(
    'SELECT alert_key, count(*) AS n FROM alert_outbox WHERE team_id = $1 AND alert_key = ANY($2::text[]) AND channel = ANY($3::text[]) GROUP BY alert_key',
    [settings.teamId, due.map((d) => d.key), channels],
  );
  const complete = new Set(present.filter((r) => toNumber(r.n) === channels.length).map((r) => r.alert_key));
  const fresh = due.filter((d) => !complete.has(d.key));
  if (fresh.length === 0) return 0;
  const full = groupByLead(await leadEvents(db, settings.teamId, [...new Set(fresh.map((d) => d.leadKey))]));
  const options = foldOptionsFor(definition);
  const states = new Map([...full].map(([leadKey, list]) => [leadKey, foldLead(list, options)]));
  const facts = fresh.flatMap((d) => {
    const state = states.get(d.leadKey);
    return state ? [alertFacts(d, state, definition)] : [];
  });
  return enqueue(db, settings.teamId, facts, channels, now);
}

/** What a pass leaves for the next one (see `openLeads`). */
interface WatchedTeam {
  /** The database's epoch (migration 003) and the team's highest seq, as of the last pass. */
  epoch: string;
  lastSeq: number;
  /** The undo window the leads were folded under (the only part of the definition the fold reads). */
  undoWindowMinutes: number | undefined;
  /** The leads that may run a clock (`mayRunClocks`): their current cycle, folded from their clock events up to `lastSeq`. */
  open: Map<string, LeadCycle>;
}

/** Per database handle (tests open many databases in one process), per team. */
const watched = new WeakMap<object, Map<string, WatchedTeam>>();

/**
 * The team's leads that may run an SLA clock, with their current cycle (what the clocks read,
 * see `computeClocks`), folded (from their clock events, see `clockEvents`) up to the team's
 * last event. The first pass in a process folds the whole history; the next ones read only the
 * events after the last seq they saw (sequences become visible in commit order without gaps, see
 * `ingestEvents`) and refold only those events' leads from all of their events, so a retraction
 * or a late event is folded exactly as a full pass would. A closed lead is dropped until an event
 * of it arrives. The history is read again in full when it is not the one folded: another epoch
 * (a restore, `server:cli new-epoch`), a last seq behind the one seen (a restore without one), or
 * another undo window.
 */
export async function openLeads(db: Database, teamId: string, definition: SalDefinition): Promise<Map<string, LeadCycle>> {
  const options = foldOptionsFor(definition);
  let teams = watched.get(db);
  if (!teams) watched.set(db, (teams = new Map()));
  const known = teams.get(teamId);
  const reusable = known !== undefined && known.undoWindowMinutes === options.undoWindowMinutes;
  let read = await clockEvents(db, teamId, { afterSeq: reusable ? known.lastSeq : 0 });
  let open: Map<string, LeadCycle>;
  if (reusable && read.epoch === known.epoch && read.lastSeq >= known.lastSeq) {
    open = known.open;
    const touched = [...read.text.leads().keys()];
    if (touched.length > 0) {
      const { text } = await clockEvents(db, teamId, { leadKeys: touched });
      const refolded = text.leads();
      for (const leadKey of touched) {
        const starts = refolded.get(leadKey);
        const cycle = starts ? openCycle(text, leadKey, starts, options) : undefined;
        if (cycle) open.set(leadKey, cycle);
        else open.delete(leadKey);
      }
    }
  } else {
    if (reusable) read = await clockEvents(db, teamId, { afterSeq: 0 });
    open = new Map();
    for (const [leadKey, starts] of read.text.leads()) {
      const cycle = openCycle(read.text, leadKey, starts, options);
      if (cycle) open.set(leadKey, cycle);
    }
  }
  teams.set(teamId, { epoch: read.epoch, lastSeq: read.lastSeq, undoWindowMinutes: options.undoWindowMinutes, open });
  return open;
}

/**
 * One lead's current cycle folded from its lines of `text` (the fold's own `currentCycle`: the
 * history and earlier cycles are never built), or undefined when no clock of it can run.
 * Each lead's events are parsed just before its fold and dropped after it: at 100k events,
 * parsing them all first kept them alive through the folds and cost more in garbage collection
 * than the parsing itself.
 */
function openCycle(text: ClockEventText, leadKey: string, starts: readonly number[], options: FoldOptions): LeadCycle | undefined {
  const events: FoldableEvent[] = new Array(starts.length);
  for (let i = 0; i < starts.length; i++) events[i] = text.event(starts[i]!, leadKey);
  const folder = createLeadFolder(options);
  folder.push(events);
  const cycle = folder.currentCycle();
  return cycle && mayRunClocks(cycle) ? cycle : undefined;
}

/**
 * Some of the team's events in server order as the clocks need them — those after a seq, or all
 * of some leads — with the database's epoch and the team's highest seq, in one statement: id,
 * type, actor id, times and an undo's target, without snapshots or payloads (see
 * `dueAlertsForTeam`). Read as one text aggregated by the database: at 100k events that is
 * several times faster on PGlite than 100k rows, or than parsing each JSON body. Fields are
 * tab-separated and events newline-separated; none of the fields can hold either (lead keys have
 * no whitespace, ids are ULIDs, instants are whole ms since the epoch: `date_part` is float8,
 * exact to the ms for these years and cheaper than `extract`'s numeric, and as an int8 it prints
 * cheaper than as a float8) except the actor id, which travels as its JSON literal (escaped;
 * equal ids give equal literals, and the fold only compares actor ids). No field is NULL
 * (`concat_ws` would drop it and shift the others).
 */
async function clockEvents(db: Queryable, teamId: string, which: { afterSeq: number } | { leadKeys: string[] }): Promise<{ epoch: string; lastSeq: number; text: ClockEventText }> {
  const byLead = 'leadKeys' in which;
  const { rows } = await db.query<{ epoch: string; last_seq: unknown; lines: string | null }>(
    `SELECT (SELECT epoch FROM server_epoch) AS epoch, (SELECT coalesce(max(seq), 0) FROM events WHERE team_id = $1) AS last_seq,
            (SELECT string_agg(concat_ws(E'\t', lead_key, id, type, (date_part('epoch', occurred_at) * 1000)::int8, (date_part('epoch', received_at) * 1000)::int8,
                                         CASE WHEN type = 'retracted' THEN coalesce(body->'payload'->>'targetEventId', '') ELSE '' END, to_json(actor_id)::text), E'\n' ORDER BY seq)
               FROM events WHERE team_id = $1 AND ${byLead ? 'lead_key = ANY($2::text[])' : 'seq > $2'}) AS lines`,
    [teamId, byLead ? which.leadKeys : which.afterSeq],
  );
  const row = rows[0];
  if (!row) throw new Error('server_epoch is empty: is the database migrated?');
  return { epoch: row.epoch, lastSeq: toNumber(row.last_seq), text: clockEventText(row.lines ?? '') };
}

/** The events of `clockEvents`' text, read where they start (each line's offset), never all split at once. */
interface ClockEventText {
  /** Each lead's lines (their offsets), in server order, the leads in the order of their first event. */
  leads(): Map<string, number[]>;
  /** The event whose line starts at `start`, of the lead `leadKey` (the line's first field). */
  event(start: number, leadKey: string): JudgedEvent;
}

/** The payload of every event but an undo: the clocks read no payload (shared, never written). */
const NO_PAYLOAD = Object.freeze({});

/**
 * An event of `clockEvents`' text: its instants kept as the numbers read, judged once with the
 * domain's rule (a `JudgedEvent`, so the fold parses no ISO string); the ISO strings are formatted
 * only if something asks for them (the clocks never do).
 */
class ClockEvent {
  readonly schemaVersion = 1;
  readonly definitionVersion = 1;
  readonly judgedAtMs: number;

  constructor(
    readonly id: string,
    readonly leadKey: string,
    readonly type: LeadEvent['type'],
    readonly actor: { id: string; name: string },
    readonly payload: object,
    private readonly occurredMs: number,
    private readonly receivedMs: number,
  ) {
    this.judgedAtMs = judgedAtMs(occurredMs, receivedMs);
  }

  get occurredAt(): string {
    return new Date(this.occurredMs).toISOString();
  }

  get receivedAt(): string {
    return new Date(this.receivedMs).toISOString();
  }
}

function clockEventText(text: string): ClockEventText {
  // Fields are found with indexOf and instants read digit by digit: splitting each line, or
  // slicing each number out to convert it, allocated several strings per event for nothing.
  const tab = (from: number) => text.indexOf('\t', from);
  const ms = (from: number, to: number): number => {
    let value = 0;
    for (let i = from; i < to; i++) {
      const digit = text.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return Number(text.slice(from, to));
      value = value * 10 + digit;
    }
    return value;
  };
  return {
    leads() {
      const byLead = new Map<string, number[]>();
      for (let start = 0; start < text.length;) {
        const leadKey = text.slice(start, tab(start));
        const list = byLead.get(leadKey);
        if (list) list.push(start);
        else byLead.set(leadKey, [start]);
        const end = text.indexOf('\n', start);
        start = end < 0 ? text.length : end + 1;
      }
      return byLead;
    },
    event(start, leadKey) {
      const idAt = start + leadKey.length + 1;
      const typeAt = tab(idAt) + 1;
      const occurredAt = tab(typeAt) + 1;
      const receivedAt = tab(occurredAt) + 1;
      const targetAt = tab(receivedAt) + 1;
      const actorAt = tab(targetAt) + 1;
      const end = text.indexOf('\n', actorAt);
      const type = text.slice(typeAt, occurredAt - 1) as LeadEvent['type'];
      const event = new ClockEvent(
        text.slice(idAt, typeAt - 1),
        leadKey,
        type,
        { id: text.slice(actorAt, end < 0 ? text.length : end), name: '' },
        type === 'retracted' ? { targetEventId: text.slice(targetAt, actorAt - 1) } : NO_PAYLOAD,
        ms(occurredAt, receivedAt - 1),
        ms(receivedAt, targetAt - 1),
      );
      // a class instance for the union of event shapes: its members are each shape's common ones
      return event as unknown as JudgedEvent;
    },
  };
}

/** Some leads' full events in server order with their receive time (for the messages). */
export async function leadEvents(db: Queryable, teamId: string, leadKeys: readonly string[]): Promise<FoldableEvent[]> {
  const { rows } = await db.query<{ received_at: unknown; body: string }>(
    'SELECT received_at, body::text AS body FROM events WHERE team_id = $1 AND lead_key = ANY($2::text[]) ORDER BY team_id, seq',
    [teamId, leadKeys],
  );
  return rows.map((row) => ({ ...(JSON.parse(row.body) as LeadEvent), receivedAt: toIso(row.received_at) }));
}

/**
 * The random part of the outbox rows' ids: bytes of the system's CSPRNG as `ulid`'s default
 * source uses them (one byte per character, / 256), drawn 4 KiB at a time: the default asks the
 * system for each byte, which took half a second for the 2,300 rows of a first pass over 100k events.
 */
const idRandom = (() => {
  let pool = Buffer.alloc(0);
  let at = 0;
  return () => {
    if (at >= pool.length) {
      pool = randomBytes(4096);
      at = 0;
    }
    return pool[at++]! / 256;
  };
})();

/** Inserts the alerts' rows (one per channel) in one statement; the unique key drops repeats. */
async function enqueue(db: Queryable, teamId: string, due: readonly AlertFacts[], channels: readonly AlertChannel[], now: Date): Promise<number> {
  if (due.length === 0) return 0;
  const rows = due.flatMap((facts) => channels.map((channel) => ({ id: `alert_${ulid(now.getTime(), idRandom)}`, channel, facts })));
  const { rows: added } = await db.query(
    `INSERT INTO alert_outbox (id, team_id, alert_key, channel, lead_key, clock, level, alert, next_attempt_at, created_at)
     SELECT r->>'id', $1, r->'facts'->>'key', r->>'channel', r->'facts'->>'leadKey', r->'facts'->>'clock', r->'facts'->>'level', r->'facts', $2, $2
       FROM jsonb_array_elements($3::jsonb) AS r
     ON CONFLICT (team_id, alert_key, channel) DO NOTHING
     RETURNING id`,
    [teamId, now.toISOString(), JSON.stringify(rows)],
  );
  return added.length;
}

/**
 * One pass over every team with alerts on. Returns the rows added per team, and the error of each
 * team whose pass failed (one team's failure, e.g. a calendar without working time, never holds
 * back the others; it is tried again at the next pass).
 */
export async function watchAll(db: Database, now: Date): Promise<{ added: Map<string, number>; errors: Map<string, unknown> }> {
  const added = new Map<string, number>();
  const errors = new Map<string, unknown>();
  for (const settings of await teamsWithAlerts(db)) {
    try {
      added.set(settings.teamId, await watchTeam(db, settings, now));
    } catch (error) {
      errors.set(settings.teamId, error);
    }
  }
  return { added, errors };
}

// ---------------------------------------------------------------------------------------------
// The sender: outbox rows → channels, with retries

export interface SenderOptions {
  post: PostJson;
  /** Source in [0, 1) for the backoff's jitter (tests fix it). */
  random?: () => number;
  /**
   * How long a claimed row is this instance's before another may resend it (ms, default 10 min).
   * Must exceed a whole batch's sending (`batch` × the poster's timeout, 20 × 10 s by default), or
   * a slow batch's last rows could be claimed and posted by another instance as well.
   */
  leaseMs?: number;
  /** Attempts before a row is given up as failed (default 8: about a day with the default backoff). */
  maxAttempts?: number;
  /** First retry delay and cap (ms; defaults 30 s and 6 h); full jitter, never under 5 s. */
  retryBaseMs?: number;
  retryCapMs?: number;
  /** Rows claimed per call (default 20). */
  batch?: number;
}

interface OutboxRow {
  id: string;
  team_id: string;
  channel: AlertChannel;
  /** An SLA alert's facts, a jump in a CRM's failing reads (`server/src/read-health/alert.ts`), or a morning digest (`digest.ts`). */
  alert: AlertFacts | ReadHealthAlertFacts | DigestFacts;
  attempts: unknown;
  created_at: unknown;
}

const MIN_RETRY_MS = 5_000;

/**
 * Claims the rows due at `now` and posts each to its channel:
 * - claim: one UPDATE over `FOR UPDATE SKIP LOCKED` marks them `sending` with a lease
 *   (`next_attempt_at = now + leaseMs`), so two instances never claim the same row;
 * - 2xx → `sent`; 408, 429, 5xx, network errors and timeouts → `pending` again after a
 *   full-jitter backoff (or `Retry-After` when longer) until `maxAttempts`; other 4xx, a refused
 *   target or a channel no longer configured → `failed` at once (retrying cannot help).
 * Delivery is at least once: an instance that dies after posting and before marking leaves the
 * row `sending`, and it is posted again when its lease runs out. The generic webhook gets the
 * same `Idempotency-Key` (the row id) on every attempt, so its receiver can drop the repeat;
 * Slack and Teams incoming webhooks have no such key, so in that one window a message can show
 * twice (never zero times).
 * Returns the rows handled by status.
 */
export async function deliverDue(db: Database, now: Date, options: SenderOptions): Promise<{ sent: number; retrying: number; failed: number }> {
  const leaseMs = options.leaseMs ?? 10 * 60_000;
  const { rows } = await db.query<OutboxRow>(
    `UPDATE alert_outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = $2
      WHERE id IN (SELECT id FROM alert_outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= $1
                    ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING id, team_id, channel, alert, attempts, created_at`,
    [now.toISOString(), new Date(now.getTime() + leaseMs).toISOString(), options.batch ?? 20],
  );
  const tally = { sent: 0, retrying: 0, failed: 0 };
  const settingsByTeam = new Map<string, Promise<TeamAlertSettings>>();
  for (const row of rows) {
    let settings = settingsByTeam.get(row.team_id);
    if (!settings) settingsByTeam.set(row.team_id, (settings = getAlertSettings(db, row.team_id)));
    const outcome = await sendOne(db, row, await settings, now, options);
    tally[outcome]++;
  }
  return tally;
}

async function sendOne(db: Queryable, row: OutboxRow, settings: TeamAlertSettings, now: Date, options: SenderOptions): Promise<'sent' | 'retrying' | 'failed'> {
  const attempts = toNumber(row.attempts);
  const channel = settings.channels[row.channel];
  if (!channel) return markFailed(row, null, `the ${row.channel} channel is no longer configured`);
  const delivery = { id: row.id, teamId: row.team_id, createdAt: toIso(row.created_at) };
  const language = settings.rules.language;
  const body = JSON.stringify(
    isReadHealthAlert(row.alert)
      ? readHealthPayload(row.channel, row.alert, language, delivery)
      : isDigest(row.alert)
        ? digestPayload(row.channel, row.alert, language, delivery)
        : payloadFor(row.channel, row.alert, language, delivery),
  );
  const headers: Record<string, string> = {};
  if (row.channel === 'webhook' && 'secret' in channel) {
    const t = Math.floor(now.getTime() / 1000);
    headers[TIMESTAMP_HEADER] = String(t);
    headers[SIGNATURE_HEADER] = signBody(channel.secret, t, body);
    headers[IDEMPOTENCY_HEADER] = row.id;
  }
  let status: number | null = null;
  let error: string;
  let retryAfterMs: number | null = null;
  try {
    const answer = await options.post(channel.url, body, headers);
    if (answer.status >= 200 && answer.status < 300) {
      await db.query("UPDATE alert_outbox SET status = 'sent', sent_at = $2, last_status = $3, last_error = NULL WHERE id = $1", [row.id, now.toISOString(), answer.status]);
      return 'sent';
    }
    status = answer.status;
    error = `HTTP ${answer.status}${answer.body ? `: ${answer.body.slice(0, 200)}` : ''}`;
    retryAfterMs = parseRetryAfter(answer.retryAfter, now.getTime());
    const transient = status === 408 || status === 429 || status >= 500;
    if (!transient) return markFailed(row, status, error);
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
    if (caught && typeof caught === 'object' && 'code' in caught && caught.code === 'ERR_SAL_REFUSED_TARGET') return markFailed(row, null, `refused target: ${error}`);
  }
  if (attempts >= (options.maxAttempts ?? 8)) return markFailed(row, status, `${error} (gave up after ${attempts} attempts)`);
  const backoff = Math.max(MIN_RETRY_MS, fullJitterDelay(attempts - 1, options.random ?? Math.random, options.retryBaseMs ?? 30_000, options.retryCapMs ?? 6 * 3_600_000));
  const next = new Date(now.getTime() + Math.max(backoff, retryAfterMs ?? 0));
  await db.query("UPDATE alert_outbox SET status = 'pending', next_attempt_at = $2, last_status = $3, last_error = $4 WHERE id = $1", [row.id, next.toISOString(), status, error]);
  return 'retrying';

  async function markFailed(r: OutboxRow, lastStatus: number | null, message: string): Promise<'failed'> {
    await db.query("UPDATE alert_outbox SET status = 'failed', last_status = $2, last_error = $3 WHERE id = $1", [r.id, lastStatus, message]);
    return 'failed';
  }
}

// ---------------------------------------------------------------------------------------------
// The admin's view

/** The team's most recent SLA alert and digest deliveries, newest first (optionally only one status; read-health alerts are not listed here). */
export async function listDeliveries(db: Queryable, teamId: string, query: { status?: AlertDelivery['status']; limit?: number }): Promise<AlertDelivery[]> {
  const { rows } = await db.query<{
    id: string;
    kind: 'sla' | 'digest';
    channel: AlertChannel;
    lead_key: string;
    lead_name: string | null;
    clock: NonNullable<AlertDelivery['clock']>;
    level: NonNullable<AlertDelivery['level']>;
    status: AlertDelivery['status'];
    attempts: unknown;
    created_at: unknown;
    next_attempt_at: unknown;
    sent_at: unknown;
    last_status: unknown;
    last_error: string | null;
  }>(
    `SELECT id, kind, channel, lead_key, alert->'lead'->>'name' AS lead_name, clock, level, status, attempts, created_at, next_attempt_at, sent_at, last_status, last_error
       FROM alert_outbox WHERE team_id = $1 AND kind IN ('sla', 'digest') AND ($2::text IS NULL OR status = $2)
      ORDER BY created_at DESC, id DESC LIMIT $3`,
    [teamId, query.status ?? null, query.limit ?? 100],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    channel: r.channel,
    leadKey: r.lead_key,
    leadName: r.lead_name,
    // a digest's row carries placeholders in these columns (they are NOT NULL)
    clock: r.kind === 'digest' ? null : r.clock,
    level: r.kind === 'digest' ? null : r.level,
    status: r.status,
    attempts: toNumber(r.attempts),
    createdAt: toIso(r.created_at),
    nextAttemptAt: r.status === 'pending' || r.status === 'sending' ? toIso(r.next_attempt_at) : null,
    sentAt: r.sent_at == null ? null : toIso(r.sent_at),
    lastStatus: r.last_status == null ? null : toNumber(r.last_status),
    lastError: r.last_error,
  }));
}
