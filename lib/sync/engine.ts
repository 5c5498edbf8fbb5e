import type { LeadEvent } from '../domain/events';
import { newOutboxEntry, type SalDatabase, type StoredEvent } from '../db/schema';
import { storeServerEvents } from '../db/events-repo';
import { defineKvItem, deleteKv, readKv, writeKv, type KvItem } from '../db/kv';
import { z } from 'zod';
import { DEFAULT_PULL_LIMIT, MAX_PUSH_BATCH, type PullResponse, type PushResult } from '../protocol/http';
import { fullJitterDelay } from './backoff';
import { SyncError } from './errors';

/** Bounds one round so a huge backlog cannot keep the service worker busy forever; the next round continues. */
const MAX_PAGES_PER_ROUND = 200;

/** One pushed event's result, as the protocol states it. */
export type PushItemResult = PushResult;

export type PushOutcome =
  | { kind: 'results'; results: PushItemResult[] }
  /** 413: the batch is too big for the server; split it. */
  | { kind: 'too_large' }
  /** A structured 400/422 for the whole batch: the server refuses it as it is. */
  | { kind: 'batch_rejected'; status: number; reason: string };

/** One page of `GET /v1/events`, as the protocol states it. */
export type PullPage = PullResponse;

/** A page, or the server's 410 `cursor_reset`: our cursor belongs to another epoch of its database. */
export type PullOutcome = ({ kind: 'page' } & PullPage) | { kind: 'cursor_reset' };

/**
 * The backend as the sync engine sees it. Implementations throw `SyncError` for transport
 * failures (offline, auth, rate limit, server error, malformed reply, a proxy's page).
 */
export interface BackendClient {
  readonly url: string;
  push(events: LeadEvent[]): Promise<PushOutcome>;
  pull(since: string | null, limit: number): Promise<PullOutcome>;
}

export const SyncStateSchema = z.object({
  lastAttemptAt: z.number().nullable(),
  lastSuccessAt: z.number().nullable(),
  lastError: z.object({ code: z.string(), message: z.string(), at: z.number() }).nullable(),
  consecutiveFailures: z.number().int().min(0),
  /** No automatic round before this instant (backoff or Retry-After). */
  nextRetryAt: z.number().nullable(),
  /** The server's Retry-After: not even a write or a reconnect triggers a round before this instant. */
  retryAfterUntil: z.number().nullable().default(null),
  /** 401/403 (`auth`, `signed_out`): automatic sync stops until the user signs in or saves the backend settings again. */
  authPaused: z.boolean(),
});
export type SyncState = z.infer<typeof SyncStateSchema>;
export const INITIAL_SYNC_STATE: SyncState = {
  lastAttemptAt: null,
  lastSuccessAt: null,
  lastError: null,
  consecutiveFailures: 0,
  nextRetryAt: null,
  retryAfterUntil: null,
  authPaused: false,
};
export const syncStateKv = defineKvItem('syncState', SyncStateSchema, INITIAL_SYNC_STATE);

/**
 * Where the pull position is kept: per backend and team (a team's cursor means nothing to
 * another team on the same server, and is kept while the browser syncs elsewhere).
 */
export function cursorKv(backendUrl: string, teamId?: string): KvItem<string | null> {
  return defineKvItem(teamId === undefined ? `cursor:${backendUrl}` : `cursor:${backendUrl}#${teamId}`, z.string().nullable(), null);
}

/** The push batch size that last worked after 5xx splits; kept so a restarted worker does not start over at 200. */
export const pushBatchKv = defineKvItem('pushBatchSize', z.number().int().min(1).max(MAX_PUSH_BATCH), MAX_PUSH_BATCH);
/**
 * Rounds in which an event sent alone got a 5xx while other events were accepted, before it is
 * parked as a dead letter. Bounded so it cannot be retried forever; more than one so a passing
 * fault does not park a decision.
 */
export const MAX_ISOLATED_FAILURES = 5;
/** How long an event that alone got a 5xx waits, doubled per failure: the others go first meanwhile. */
const ISOLATED_RETRY_BASE_MS = 30_000;
const ISOLATED_RETRY_CAP_MS = 15 * 60_000;

export interface SyncRoundResult {
  pushed: number;
  deadLettered: number;
  pulled: number;
  changedLeads: Set<string>;
  /** Why the push stopped, when it failed in a way that still let the pull run (the round then backs off). */
  pushError: SyncError | null;
  /** The server said our cursor was from another epoch; this browser re-pulled and re-queued its events. */
  cursorReset: boolean;
}

export function emptyRoundResult(): SyncRoundResult {
  return { pushed: 0, deadLettered: 0, pulled: 0, changedLeads: new Set(), pushError: null, cursorReset: false };
}

/**
 * One sync round: push every due outbox entry in batches, then pull the team's events from the
 * cursor. A push that fails on the server's side (5xx, a proxy's page, a dropped connection)
 * does not stop the pull: the rep keeps receiving the team's events while one of theirs is
 * stuck. Only 401/403 and 429/503 stop the round before the pull (the server does not know us,
 * or asked us to wait). Safe to interrupt at any point (the service worker can be stopped
 * mid-round): an event leaves the outbox only once the server has confirmed it, the cursor
 * advances only after the pulled events are stored, and the server is idempotent by event id.
 * @param options.cursor where the pull position is kept (default: per backend URL)
 * @throws SyncError when the pull fails, or the push failed with auth or rate limiting
 */
export async function runSyncRound(db: SalDatabase, client: BackendClient, now: () => number, options: { cursor?: KvItem<string | null> } = {}): Promise<SyncRoundResult> {
  const result = emptyRoundResult();
  await pushStoppingOnlyFor(db, client, now, result);
  await pullEvents(db, client, now, result, options.cursor ?? cursorKv(client.url));
  // after a reset the server may have lost some of this browser's events: send them now
  if (result.cursorReset && result.pushError === null) await pushStoppingOnlyFor(db, client, now, result);
  return result;
}

async function pushStoppingOnlyFor(db: SalDatabase, client: BackendClient, now: () => number, result: SyncRoundResult): Promise<void> {
  try {
    await pushOutbox(db, client, now, result);
  } catch (error) {
    if (!(error instanceof SyncError) || error.code === 'auth' || error.code === 'signed_out' || error.code === 'rate_limited') throw error;
    result.pushError = error;
  }
}

/** A 5xx from behind the proxy, the kind a value the server chokes on causes (503 is a wait, handled as rate limiting). */
function isServerFailure(error: unknown): error is SyncError {
  return error instanceof SyncError && error.code === 'server_error' && error.status !== null && error.status >= 500;
}

/**
 * The push half of a round: sends due outbox entries in batches until the outbox is empty or
 * the round's page budget is spent. A batch that gets a 5xx is halved at once (the size is
 * remembered across rounds and grows back as batches succeed), so one event the server chokes
 * on ends up alone; alone, it waits (doubling) while the others are sent, and after
 * MAX_ISOLATED_FAILURES rounds in which others were accepted it is parked as a dead letter.
 * Exported for the push benchmark.
 * @throws SyncError on transport failures other than an isolated 5xx
 */
export async function pushOutbox(db: SalDatabase, client: BackendClient, now: () => number, result: SyncRoundResult): Promise<void> {
  let batchSize = await readKv(db, pushBatchKv);
  // what a 413 taught this round: the server's size limit, which does not grow back
  let sizeCap = MAX_PUSH_BATCH;
  const isolated: Array<{ id: string; error: SyncError }> = [];
  let accepting = false;
  try {
    for (let round = 0; round < MAX_PAGES_PER_ROUND; round++) {
      const at = now();
      const due = await db.outbox
        .orderBy('eventId')
        .filter((e) => e.deadLetter === null && e.nextAttemptAt <= at)
        .limit(Math.min(batchSize, sizeCap))
        .toArray();
      if (due.length === 0) break;
      const stored = await db.events.bulkGet(due.map((e) => e.eventId));
      const events: LeadEvent[] = [];
      for (const [i, row] of stored.entries()) {
        if (row) events.push(row.event);
        // an outbox entry whose event vanished cannot be sent; drop it rather than loop on it
        else await db.outbox.delete(due[i]!.eventId);
      }
      if (events.length === 0) continue;

      let outcome: PushOutcome;
      try {
        outcome = await client.push(events);
      } catch (error) {
        if (!isServerFailure(error)) throw error;
        if (events.length > 1) {
          batchSize = Math.max(1, Math.floor(events.length / 2));
          await writeKv(db, pushBatchKv, batchSize);
          continue;
        }
        const entry = due.find((e) => e.eventId === events[0]!.id)!;
        // alone and failing: it steps aside (its own doubling wait) so the others go first
        await db.outbox.update(entry.eventId, { nextAttemptAt: at + Math.min(ISOLATED_RETRY_CAP_MS, ISOLATED_RETRY_BASE_MS * 2 ** entry.attempts) });
        isolated.push({ id: entry.eventId, error });
        // two events failing alone look like a failing server rather than two bad events: stop
        if (isolated.length >= 2) throw error;
        continue;
      }
      if (outcome.kind === 'too_large') {
        if (events.length === 1) {
          await deadLetter(db, events[0]!.id, 413, 'event too large for the server', now());
          result.deadLettered++;
        } else sizeCap = Math.max(1, Math.floor(events.length / 2));
        continue;
      }
      if (outcome.kind === 'batch_rejected') {
        // The server refused the batch as a whole; isolate the culprit by halving.
        if (events.length === 1) {
          await deadLetter(db, events[0]!.id, outcome.status, outcome.reason, now());
          result.deadLettered++;
        } else batchSize = Math.max(1, Math.floor(events.length / 2));
        continue;
      }
      accepting = true;
      await applyPushResults(db, outcome.results, now(), result);
      // a split was for one bad event, not the server's limit: grow back as batches go through
      if (batchSize < MAX_PUSH_BATCH && events.length === batchSize) {
        batchSize = Math.min(MAX_PUSH_BATCH, batchSize * 2);
        await writeKv(db, pushBatchKv, batchSize);
      }
    }
    // the others went; the round still reports the failure (and backs off) while one is stuck
    if (isolated.length > 0) throw isolated[0]!.error;
  } finally {
    // An isolated failure counts against the event only when the server took other events in the
    // same round: then it is this event, not an outage, and after a bound it is parked.
    if (accepting && isolated.length > 0) await countIsolatedFailures(db, isolated, now(), result);
  }
}

async function countIsolatedFailures(db: SalDatabase, isolated: ReadonlyArray<{ id: string; error: SyncError }>, at: number, result: SyncRoundResult): Promise<void> {
  for (const { id, error } of isolated) {
    const entry = await db.outbox.get(id);
    if (!entry || entry.deadLetter) continue;
    const attempts = entry.attempts + 1;
    if (attempts >= MAX_ISOLATED_FAILURES) {
      const reason = `server_error: HTTP ${error.status} for this event alone in ${attempts} rounds while the server accepted others; parked so it does not hold them back`;
      await db.outbox.update(id, { attempts, deadLetter: { status: error.status ?? 500, reason, at } });
      result.deadLettered++;
    } else await db.outbox.update(id, { attempts });
  }
}

async function applyPushResults(db: SalDatabase, results: PushItemResult[], at: number, result: SyncRoundResult): Promise<void> {
  await db.transaction('rw', db.events, db.outbox, async () => {
    for (const r of results) {
      // the server's final, structured word on this event: keep it visible, never resend it automatically
      if (r.status === 'rejected' || r.status === 'conflict') {
        if (await db.outbox.get(r.id)) await db.outbox.update(r.id, { deadLetter: { status: r.status === 'conflict' ? 409 : 400, reason: r.reason ?? r.status, at } });
        result.deadLettered++;
        continue;
      }
      const changes: Partial<StoredEvent> = {};
      if (r.seq !== undefined) changes.seq = r.seq;
      if (r.receivedAt !== undefined) changes.receivedAt = r.receivedAt;
      if (Object.keys(changes).length > 0) await db.events.update(r.id, changes);
      await db.outbox.delete(r.id);
      result.pushed++;
    }
  });
}

async function deadLetter(db: SalDatabase, eventId: string, status: number, reason: string, at: number): Promise<void> {
  await db.outbox.update(eventId, { deadLetter: { status, reason, at } });
}

async function pullEvents(db: SalDatabase, client: BackendClient, now: () => number, result: SyncRoundResult, position: KvItem<string | null>): Promise<void> {
  let cursor = await readKv(db, position);
  for (let page = 0; page < MAX_PAGES_PER_ROUND; page++) {
    const reply = await client.pull(cursor, DEFAULT_PULL_LIMIT);
    if (reply.kind === 'cursor_reset') {
      // once per round: a server that keeps answering 410 to a pull from the start is broken
      if (result.cursorReset) throw new SyncError('server_error', 'HTTP 410: cursor_reset again for a pull from the start');
      result.cursorReset = true;
      await forgetServerState(db, position, now());
      cursor = null;
      continue;
    }
    const changed = await storeServerEvents(db, reply.events, now());
    for (const k of changed) result.changedLeads.add(k);
    result.pulled += reply.events.length;
    // stored first, cursor second: a stop in between re-pulls a page, which is harmless
    cursor = reply.nextCursor;
    await writeKv(db, position, cursor);
    if (!reply.hasMore) return;
  }
}

/**
 * The server's database is another one than the one our cursor and sequences came from (reset,
 * replaced, restored): forget both, so the next pull re-sequences everything from the start,
 * and queue every event recorded in this browser again (the server is idempotent by id, so
 * those it still has come back as duplicates). Dead letters stay as they are.
 */
export async function forgetServerState(db: SalDatabase, cursor: KvItem<string | null>, at: number): Promise<void> {
  await db.transaction('rw', db.events, db.outbox, db.kv, async () => {
    await db.events.toCollection().modify({ seq: null });
    await deleteKv(db, [cursor]);
    const local = await db.events.filter((e) => e.origin === 'local').primaryKeys();
    const queued = new Set(await db.outbox.bulkGet(local).then((rows) => rows.flatMap((r) => (r ? [r.eventId] : []))));
    await db.outbox.bulkAdd(local.filter((id) => !queued.has(id)).map((eventId) => newOutboxEntry(eventId, at)));
  });
}

/** Whether the server ended this browser's session or token (401 `signed_out`): the rep must sign in again. */
export function isSignedOut(state: SyncState): boolean {
  return state.authPaused && state.lastError?.code === 'signed_out';
}

/** Records the outcome of a round in the sync state (for backoff and for the popup/options). */
export function nextSyncState(prev: SyncState, outcome: { ok: true } | { ok: false; error: SyncError }, at: number, random: () => number): SyncState {
  if (outcome.ok) return { ...prev, lastAttemptAt: at, lastSuccessAt: at, lastError: null, consecutiveFailures: 0, nextRetryAt: null, retryAfterUntil: null, authPaused: false };
  const { error } = outcome;
  const failures = prev.consecutiveFailures + 1;
  const delay = error.retryAfterMs ?? fullJitterDelay(failures - 1, random);
  // A failure of another kind (e.g. offline during a "sync now") does not cancel the wait the
  // server asked for earlier; only a success or a new Retry-After replaces it.
  const earlierWait = prev.retryAfterUntil !== null && prev.retryAfterUntil > at ? prev.retryAfterUntil : null;
  const retryAfterUntil = error.retryAfterMs === null ? earlierWait : at + error.retryAfterMs;
  return {
    ...prev,
    lastAttemptAt: at,
    lastError: { code: error.code, message: error.message, at },
    consecutiveFailures: failures,
    nextRetryAt: Math.max(at + delay, retryAfterUntil ?? 0),
    retryAfterUntil,
    authPaused: error.code === 'auth' || error.code === 'signed_out',
  };
}
