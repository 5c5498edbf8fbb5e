import { DEFAULT_DEFINITION, type SalDefinition } from '../../lib/domain/definition';
import { judgedAt, LOCAL_ACTOR_PREFIX, LeadEventSchema, MAX_CLOCK_SKEW_MS, type LeadEvent } from '../../lib/domain/events';
import { canRecord } from '../../lib/domain/roles';
import type { PushResult } from '../../lib/protocol/http';
import type { Principal } from './auth';
import { canonicalJson } from './canonical';
import { isDataError, isUniqueViolation } from './db/errors';
import { toIso, toNumber, type Database, type Queryable } from './db/types';
import { getSettings } from './settings-store';
import type { PulledEventTexts } from './pulled-event-texts';
import { isRuleHandoff, RULE_ACTOR_ID } from '../../lib/domain/handoff-rules';

/** Explains the first problem zod found, with its path, in one line. */
export function describeIssue(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

function idOf(item: unknown): string {
  if (item && typeof item === 'object' && 'id' in item && typeof item.id === 'string') return item.id.slice(0, 100);
  return '';
}

const quote = (s: string) => JSON.stringify(s.slice(0, 100));

/** A pushed event that passed the checks needing no database, in request order. */
interface Candidate {
  index: number;
  event: LeadEvent;
}

/** What the team's settings say about recording: its active definition and the highest version it knows. */
interface TeamRules {
  definition: SalDefinition;
  maxDefinitionVersion: number;
  /** Definition versions that hold at least one hand-off rule (a rule hand-off must name one). */
  ruleVersions: ReadonlySet<number>;
}

/** Options of `ingestEvents`. */
export interface IngestOptions {
  /** The server's own hand-off intake (CSV, API) is calling: it may record `csv` / `api` / `agent` hand-offs. */
  intake?: boolean;
}

/**
 * The stored form of an event: the server names the actor (the submitting member's display name
 * replaces whatever the client wrote), so pulls never show an invented name.
 */
function normalise(event: LeadEvent, principal: Principal): LeadEvent {
  // a rule hand-off's actor is the CRM rule, named after no member (submitted_by keeps who sent it)
  if (isRuleHandoff(event)) return { ...event, actor: { id: RULE_ACTOR_ID, name: '' } };
  return { ...event, actor: { id: event.actor.id, name: principal.userName } };
}

/**
 * Same event? Compared on the canonical parsed body: the actor's display name is the server's to
 * set, and `occurredAt` is compared as an instant (`+09:00` and `Z` spellings of one time are one
 * event; hand-off ids are made from the instant).
 */
function sameBody(stored: unknown, event: LeadEvent): boolean {
  // A rule hand-off's id is made from (team, lead, cycle) by every rep's browser that reads the
  // lead, each at its own time and with what its page showed: its content cannot be the same
  // across browsers. The id says all there is to say ("this lead was handed over by the rule in
  // this cycle"), so the first one stored stands and a later one of the same lead is a duplicate.
  if (isRuleHandoff(event)) {
    const body = stored as { type?: unknown; payload?: unknown; leadKey?: unknown } | null;
    return body !== null && typeof body.type === 'string' && isRuleHandoff({ type: body.type, payload: body.payload }) && body.leadKey === event.leadKey;
  }
  const body = stored as { actor?: { name?: unknown }; occurredAt?: unknown } | null;
  const instant = (iso: unknown) => (typeof iso === 'string' ? new Date(Date.parse(iso)).toISOString() : iso);
  return canonicalJson({ ...body, occurredAt: instant(body?.occurredAt) }) === canonicalJson({ ...event, actor: { ...event.actor, name: body?.actor?.name }, occurredAt: instant(event.occurredAt) });
}

/** The checks that need nothing but the item, the caller and the clock: a rejection, or the event to store. */
function screen(item: unknown, principal: Principal, rules: TeamRules, receivedAt: Date, options: IngestOptions): { event: LeadEvent } | { rejected: PushResult } {
  const parsed = LeadEventSchema.safeParse(item);
  if (!parsed.success) return { rejected: { id: idOf(item), status: 'rejected', reason: `invalid: ${describeIssue(parsed.error)}` } };
  const event = parsed.data;
  const reject = (reason: string) => ({ rejected: { id: event.id, status: 'rejected' as const, reason } });
  const rule = isRuleHandoff(event);
  if (event.type === 'handed_over') {
    const kind = event.payload.sourceKind;
    // csv / api / agent hand-offs are made by the intake from what it received, never pushed
    if (!options.intake && (kind === 'csv' || kind === 'api' || kind === 'agent')) return reject(`invalid: ${kind} hand-offs are recorded by POST /v1/handoffs, not pushed`);
    // A rule hand-off is recorded by whichever member's browser read the lead first, whatever
    // their role: the rule (a version of the team's definition that has one) is what hands over.
    if (rule && (event.actor.id !== RULE_ACTOR_ID || !rules.ruleVersions.has(event.definitionVersion))) {
      return reject(`invalid: a crm-rule hand-off names the actor ${quote(RULE_ACTOR_ID)} and a definition version with a hand-off rule`);
    }
  }
  // a token records in its own user's name only (or a local-only actor's, bound to it in the database step)
  if (!rule && event.actor.id !== principal.userId && !event.actor.id.startsWith(LOCAL_ACTOR_PREFIX)) {
    return reject(`actor_mismatch: actor.id ${quote(event.actor.id)} is not the signed-in user`);
  }
  if (!rule && !canRecord(principal.role, event.type, rules.definition.rolePermissions)) {
    return reject(`forbidden_role: a ${principal.role} may not record ${event.type}`);
  }
  if (Date.parse(event.occurredAt) > receivedAt.getTime() + MAX_CLOCK_SKEW_MS) {
    return reject(`occurred_in_future: occurredAt ${event.occurredAt} is more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes after the server's time ${receivedAt.toISOString()}`);
  }
  if (event.definitionVersion > rules.maxDefinitionVersion) {
    return reject(`invalid: definitionVersion ${event.definitionVersion} is not a definition of this team (highest ${rules.maxDefinitionVersion})`);
  }
  return { event: normalise(event, principal) };
}

/**
 * Validates each pushed item on its own and stores the valid ones for the caller's team. Results
 * are in input order, one per item; one bad item never holds back the others:
 * - `rejected` with a reason code: `invalid:` (schema, unknown definition version, retract target
 *   unknown, a value the database refuses), `actor_mismatch:` (another user's id, or a local-only
 *   actor bound to another member), `forbidden_role:` (see `canRecord`), `occurred_in_future:`
 *   (occurredAt later than receivedAt + MAX_CLOCK_SKEW_MS), `not_own_event:` / `undo_window_passed:`
 *   (a `retracted` event whose target another member recorded, or judged after the undo window);
 * - `duplicate`: the id is stored with the same body (seq and receivedAt of the stored event);
 * - `conflict`: the id is stored (or earlier in the batch) with a different body;
 * - `accepted`: stored now, with its seq and receivedAt.
 * All events of one call share `receivedAt`. The batch is written in one statement that holds the
 * team's row lock until it commits (sequences become visible in commit order, without gaps; see
 * `storeCandidates`); if the database still refuses a value there, the events are written one by
 * one so only the offending one is rejected.
 * @throws the database's error when it is unavailable (the route answers 503).
 */
export async function ingestEvents(db: Database, principal: Principal, items: readonly unknown[], receivedAt: Date, options: IngestOptions = {}): Promise<PushResult[]> {
  const results: PushResult[] = new Array(items.length);
  const settings = await getSettings(db, principal.teamId);
  const rules: TeamRules = {
    definition: settings.activeDefinition,
    maxDefinitionVersion: Math.max(DEFAULT_DEFINITION.version, ...settings.definitions.map((d) => d.version)),
    ruleVersions: new Set(settings.definitions.filter((d) => Object.keys(d.handoffRules ?? {}).length > 0).map((d) => d.version)),
  };
  const candidates: Candidate[] = [];
  const firstById = new Map<string, Candidate>();
  const repeats: { index: number; first: Candidate }[] = [];
  items.forEach((item, index) => {
    const screened = screen(item, principal, rules, receivedAt, options);
    if ('rejected' in screened) {
      results[index] = screened.rejected;
      return;
    }
    const { event } = screened;
    const first = firstById.get(event.id);
    if (first) {
      if (sameBody(first.event, event)) repeats.push({ index, first });
      else results[index] = { id: event.id, status: 'conflict', reason: `conflict: event ${event.id} appears earlier in this batch with a different body` };
      return;
    }
    const candidate = { index, event };
    firstById.set(event.id, candidate);
    candidates.push(candidate);
  });

  if (candidates.length > 0) {
    let stored: Map<Candidate, PushResult>;
    try {
      stored = await storeCandidates(db, principal, rules, candidates, receivedAt);
    } catch (error) {
      if (!isDataError(error)) throw error;
      // The schema let through something the database refuses: find which by writing one at a time.
      stored = new Map();
      for (const candidate of candidates) {
        try {
          const one = await storeCandidates(db, principal, rules, [candidate], receivedAt);
          for (const [c, r] of one) stored.set(c, r);
        } catch (inner) {
          if (!isDataError(inner)) throw inner;
          const message = inner instanceof Error ? inner.message : String(inner);
          stored.set(candidate, { id: candidate.event.id, status: 'rejected', reason: `invalid: the database refused a value (${message})` });
        }
      }
    }
    for (const [candidate, result] of stored) results[candidate.index] = result;
    const last = Math.max(0, ...[...stored.values()].map((r) => (r.status === 'accepted' ? (r.seq ?? 0) : 0)));
    await refreshPlannerStatistics(db, last - stored.size, last);
  }
  // a repeat inside the batch gets its first occurrence's outcome (a stored event is then a duplicate)
  for (const { index, first } of repeats) {
    const outcome = results[first.index];
    if (!outcome) continue;
    results[index] = outcome.status === 'accepted' ? { ...outcome, status: 'duplicate' } : { ...outcome };
  }
  return results;
}

interface StoredRow {
  id: string;
  seq: unknown;
  received_at: unknown;
  submitted_by: string;
  body: unknown;
}

/** What the database holds that a batch is judged against: stored events by id (the batch's ids and its retract targets), local actors' members. */
interface Known {
  events: Map<string, StoredRow>;
  owners: Map<string, string>;
}

/** Reads, in one statement, what `judge` needs to know about `candidates`. */
async function readKnown(db: Queryable, teamId: string, candidates: readonly Candidate[]): Promise<Known> {
  const retractTargets = candidates.flatMap((c) => (c.event.type === 'retracted' ? [c.event.payload.targetEventId] : []));
  const ids = [...candidates.map((c) => c.event.id), ...retractTargets];
  const localIds = [...new Set(candidates.map((c) => c.event.actor.id).filter((id) => id.startsWith(LOCAL_ACTOR_PREFIX)))];
  const { rows } = await db.query<StoredRow & { owner: string | null }>(
    `SELECT id, seq, received_at, submitted_by, body, NULL::text AS owner FROM events WHERE team_id = $1 AND id = ANY($2::text[])
     UNION ALL
     SELECT actor_id, NULL, NULL, NULL, NULL, user_id FROM local_actors WHERE team_id = $1 AND actor_id = ANY($3::text[])`,
    [teamId, ids, localIds],
  );
  const known: Known = { events: new Map(), owners: new Map() };
  for (const row of rows) {
    if (row.owner !== null) known.owners.set(row.id, row.owner);
    else known.events.set(row.id, row);
  }
  return known;
}

/** A batch judged against what is stored: the answers, the events to write (in order) and the local actors they bind to the caller. */
interface Judged {
  out: Map<Candidate, PushResult>;
  fresh: Candidate[];
  newBindings: string[];
}

/**
 * The answer for each candidate given `known`: `duplicate` / `conflict` for a stored id, the
 * rejections of local actors and retracts, and the rest to be written (answered `accepted` once
 * the write has given them their sequences).
 */
function judge(principal: Principal, rules: TeamRules, candidates: readonly Candidate[], known: Known, receivedIso: string): Judged {
  const out = new Map<Candidate, PushResult>();
  const undoWindowMs = rules.definition.undoWindowMinutes * 60_000;
  const fresh: Candidate[] = [];
  const freshById = new Map<string, LeadEvent>();
  const newBindings = new Set<string>();
  for (const candidate of candidates) {
    const { event } = candidate;
    const reject = (reason: string) => out.set(candidate, { id: event.id, status: 'rejected', reason });
    const stored = known.events.get(event.id);
    if (stored) {
      out.set(
        candidate,
        sameBody(stored.body, event)
          ? { id: event.id, status: 'duplicate', seq: toNumber(stored.seq), receivedAt: toIso(stored.received_at) }
          : { id: event.id, status: 'conflict', reason: `conflict: event ${event.id} is stored with a different body` },
      );
      continue;
    }
    const owner = known.owners.get(event.actor.id);
    if (owner !== undefined && owner !== principal.userId) {
      reject(`actor_mismatch: local actor ${quote(event.actor.id)} belongs to another member`);
      continue;
    }
    if (event.type === 'retracted') {
      const targetId = event.payload.targetEventId;
      const earlier = freshById.get(targetId);
      const row = known.events.get(targetId);
      const target = earlier
        ? { submittedBy: principal.userId, actorId: earlier.actor.id, occurredAt: earlier.occurredAt, receivedAt: receivedIso }
        : row
          ? { submittedBy: row.submitted_by, actorId: (row.body as LeadEvent).actor.id, occurredAt: (row.body as LeadEvent).occurredAt, receivedAt: toIso(row.received_at) }
          : undefined;
      if (!target) {
        reject(`invalid: the retracted event ${targetId} is not recorded on this server`);
        continue;
      }
      // a rule hand-off is nobody's own event, though some member's browser submitted it
      if (target.submittedBy !== principal.userId || target.actorId === RULE_ACTOR_ID) {
        reject(`not_own_event: event ${targetId} was recorded by another member`);
        continue;
      }
      const elapsed = judgedAt(event.occurredAt, receivedIso) - judgedAt(target.occurredAt, target.receivedAt);
      if (elapsed > undoWindowMs) {
        reject(`undo_window_passed: ${Math.round(elapsed / 60_000)} minutes after the event, the undo window is ${rules.definition.undoWindowMinutes}`);
        continue;
      }
    }
    fresh.push(candidate);
    freshById.set(event.id, event);
    if (event.actor.id.startsWith(LOCAL_ACTOR_PREFIX) && owner === undefined) newBindings.add(event.actor.id);
  }
  return { out, fresh, newBindings: [...newBindings] };
}

/**
 * Writes `fresh` with the team's next sequences, and binds `newBindings` to the caller, in one
 * statement run as its own transaction. Its `UPDATE teams … RETURNING` takes the team row lock
 * before any row is inserted (the inserts read its result) and the commit releases it: a team's
 * writes are serialized, so sequences commit in order and without gaps (a reader paging by seq
 * never skips one that commits later), while the lock is held for this one statement only, not
 * across round trips to the server. A write that waited for the lock sees the other's committed
 * rows, so an id or local actor stored meanwhile fails the unique check (23505) and nothing is
 * written. Returns the sequence before the first of `fresh`.
 */
async function writeFresh(db: Queryable, principal: Principal, fresh: readonly LeadEvent[], newBindings: readonly string[], receivedIso: string): Promise<number> {
  const { rows } = await db.query<{ last_seq: unknown }>(
    `WITH bumped AS (UPDATE teams SET last_seq = last_seq + $5::bigint WHERE id = $1 RETURNING last_seq),
          stored AS (
            INSERT INTO events (team_id, seq, id, lead_key, type, actor_id, occurred_at, received_at, body, submitted_by)
            SELECT $1, b.last_seq - $5::bigint + e.ord, e.v->>'id', e.v->>'leadKey', e.v->>'type', e.v->'actor'->>'id',
                   (e.v->>'occurredAt')::timestamptz, $2::timestamptz, e.v, $3
              FROM bumped b, jsonb_array_elements($4::jsonb) WITH ORDINALITY AS e(v, ord)),
          bound AS (
            INSERT INTO local_actors (team_id, actor_id, user_id, bound_at)
            SELECT $1, a, $3, $2::timestamptz FROM bumped, unnest($6::text[]) AS a)
     SELECT last_seq FROM bumped`,
    [principal.teamId, receivedIso, principal.userId, JSON.stringify(fresh), fresh.length, newBindings],
  );
  const row = rows[0];
  if (!row) throw new Error(`team ${principal.teamId} does not exist`);
  return toNumber(row.last_seq) - fresh.length;
}

/**
 * The database step for `candidates`: read what is stored about them, judge them, write the
 * fresh ones (`writeFresh`). The reads take no lock: what they find stays true (stored events
 * and bindings are never changed or removed), and what they miss because another push committed
 * it in between makes the write fail its unique check, so the step starts over and finds it then
 * (a duplicate or conflict, a local actor bound to another member). A retract whose target
 * commits in between is judged as if it had come first (target unknown), as under a lock it
 * could have. Each new start finds at least one more id or binding, so the attempts are bounded.
 * Returns a result per candidate.
 */
async function storeCandidates(db: Queryable, principal: Principal, rules: TeamRules, candidates: readonly Candidate[], receivedAt: Date): Promise<Map<Candidate, PushResult>> {
  const receivedIso = receivedAt.toISOString();
  for (let attempt = 0; ; attempt++) {
    const known = await readKnown(db, principal.teamId, candidates);
    const { out, fresh, newBindings } = judge(principal, rules, candidates, known, receivedIso);
    if (fresh.length === 0) return out;
    let base: number;
    try {
      base = await writeFresh(
        db,
        principal,
        fresh.map((c) => c.event),
        newBindings,
        receivedIso,
      );
    } catch (error) {
      // another push stored one of these ids or bound one of these actors first: judge again
      // (each candidate brings one id and at most one local actor to find)
      if (isUniqueViolation(error) && attempt < candidates.length * 2) continue;
      throw error;
    }
    fresh.forEach((candidate, i) => out.set(candidate, { id: candidate.event.id, status: 'accepted', seq: base + i + 1, receivedAt: receivedIso }));
    return out;
  }
}

const ANALYZE_EVERY = 5000;

/**
 * PGlite runs no autovacuum, so without fresh statistics the planner believes the events table is
 * tiny and sorts a team's whole remaining history for every pull page (200 ms a page at 100,000
 * events instead of 15). Re-analyze whenever a team's sequence crosses a multiple of 5,000.
 * PostgreSQL's autovacuum does this on its own.
 */
async function refreshPlannerStatistics(db: Database, fromSeq: number, toSeq: number): Promise<void> {
  if (db.kind !== 'pglite') return;
  if (Math.floor(toSeq / ANALYZE_EVERY) > Math.floor(fromSeq / ANALYZE_EVERY)) await db.query('ANALYZE events');
}

// ---------------------------------------------------------------------------------------------
// Pull cursors

/**
 * A pull position: `<epoch>.<seq>`, the database's epoch (see migration 003) and the last seq the
 * client received. Opaque to clients.
 */
export function encodeCursor(epoch: string, seq: number): string {
  return `${epoch}.${seq}`;
}

/**
 * What a cursor says: `start` (absent or empty), a position (`epoch` null for a bare number
 * issued before epochs existed), or null when it is not a cursor this server's format.
 */
export function decodeCursor(cursor: string | undefined): { epoch: string | null; seq: number } | null {
  if (cursor === undefined || cursor === '') return { epoch: null, seq: 0 };
  const match = /^(?:([0-9a-f]{32})\.)?(\d{1,15})$/.exec(cursor);
  if (!match) return null;
  return { epoch: match[1] ?? null, seq: Number(match[2]) };
}

/**
 * Gives the database a new epoch: every cursor issued before is answered 410 `cursor_reset`, so
 * every client forgets its cursor and sequences, pulls from the start and pushes its own events
 * again. For after a restore from a backup (`server:cli new-epoch`): without it, a client whose
 * cursor is past the restored history would skip the events stored there after the restore.
 * Returns the new epoch.
 */
export async function newEpoch(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ epoch: string }>("UPDATE server_epoch SET epoch = replace(gen_random_uuid()::text, '-', ''), created_at = now() RETURNING epoch");
  const row = rows[0];
  if (!row) throw new Error('server_epoch is empty: is the database migrated?');
  return row.epoch;
}

/**
 * Whether a decoded cursor still names a position in this team's history: issued by this
 * database (same epoch) and not past the team's last seq (a database restored from a backup is
 * behind the clients). A bare-number cursor from before epochs is taken as this epoch's when it
 * is not past the last seq, so clients of an upgraded server keep their position.
 */
export function cursorValid(cursor: { epoch: string | null; seq: number }, context: { epoch: string; lastSeq: number }): boolean {
  if (cursor.epoch !== null && cursor.epoch !== context.epoch) return false;
  return cursor.seq <= context.lastSeq;
}

/** A pull's answer: the page as response JSON, or `reset` when the cursor no longer names a position (410). */
export type PullPage = { json: string } | { reset: true };

/**
 * One page of the team's events after `cursor`, in seq order, at most `limit` of them, serialized
 * straight to the response JSON; or `reset` when the cursor fails `cursorValid` (another epoch, or
 * past the team's last seq). One statement reads the epoch, the team's last seq and the page, and
 * builds the page's elements in the database: the stored body is already a validated event, spliced
 * in as text, and a pull of 500 events comes back as one text value instead of 500 rows each
 * decoded by the driver (pulls are the hot path: every rep's sync round makes one). `receivedAt`
 * is written as `Date.toISOString` would write it (UTC, milliseconds, `Z`; the server's receive
 * times are millisecond instants of this era, so the formats agree). The page is not read when
 * the cursor names another epoch (it would be thrown away).
 * With `kept` (one per server instance), an element this instance already had the database write
 * comes back as its bare seq and is taken from `kept`, which keeps the ones written now. The
 * elements are joined by a newline, which no element holds (`jsonb` text escapes control
 * characters in strings, and writes none between tokens).
 */
export async function pullPage(db: Queryable, teamId: string, cursor: { epoch: string | null; seq: number }, limit: number, kept?: PulledEventTexts): Promise<PullPage> {
  const reuse = kept?.window(teamId, cursor.seq, cursor.seq + limit) ?? { epoch: null, highest: 0, runs: [], texts: new Map<number, string>() };
  const { rows } = await db.query<{ epoch: string; last_seq: unknown; n: unknown; page_last: unknown; events: string | null }>(
    `WITH ctx AS (SELECT (SELECT epoch FROM server_epoch) AS epoch, last_seq FROM teams WHERE id = $1),
          page AS (SELECT seq, received_at, body FROM events
                    WHERE team_id = $1 AND seq > $2 AND ($4::text IS NULL OR $4::text = (SELECT epoch FROM ctx))
                    ORDER BY team_id, seq LIMIT $3::int + 1),
          shown AS (SELECT * FROM page ORDER BY seq LIMIT $3::int),
          reused AS (SELECT r.from_seq, r.to_seq FROM unnest($6::bigint[], $7::bigint[]) AS r(from_seq, to_seq) WHERE $5::text = (SELECT epoch FROM ctx) AND (SELECT last_seq FROM ctx) >= $8::bigint)
     SELECT ctx.epoch, ctx.last_seq, (SELECT count(*) FROM page) AS n, (SELECT max(seq) FROM shown) AS page_last,
            (SELECT string_agg(
                      CASE WHEN EXISTS (SELECT 1 FROM reused WHERE shown.seq BETWEEN reused.from_seq AND reused.to_seq) THEN seq::text
                           ELSE '{"seq":' || seq || ',"receivedAt":"' || to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '","event":' || body::text || '}' END,
                      E'\n' ORDER BY seq)
               FROM shown) AS events
       FROM ctx`,
    [teamId, cursor.seq, limit, cursor.epoch, reuse.epoch, reuse.runs.map((r) => r[0]), reuse.runs.map((r) => r[1]), reuse.highest],
  );
  const row = rows[0];
  if (!row) throw new Error(`team ${teamId} does not exist`);
  if (!cursorValid(cursor, { epoch: row.epoch, lastSeq: toNumber(row.last_seq) })) return { reset: true };
  const hasMore = toNumber(row.n) > limit;
  const nextCursor = encodeCursor(row.epoch, row.page_last == null ? cursor.seq : toNumber(row.page_last));
  const elements = row.events === null ? [] : row.events.split('\n');
  const written: Array<[number, string]> = [];
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i]!;
    if (element.startsWith('{')) {
      written.push([Number(/^\{"seq":(\d+),/.exec(element)![1]), element]);
      continue;
    }
    const text = reuse.texts.get(Number(element));
    if (text === undefined) throw new Error(`pull: seq ${element} came back as kept but is not`);
    elements[i] = text;
  }
  if (kept && written.length > 0) kept.keep(teamId, row.epoch, toNumber(row.last_seq), written);
  return { json: `{"events":[${elements.join(',')}],"nextCursor":${JSON.stringify(nextCursor)},"hasMore":${hasMore}}` };
}
