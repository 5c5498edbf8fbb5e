import type { LeadEvent, SequencedEvent } from '../domain/events';
import type { SalDatabase } from '../db/schema';
import { storeServerEvents } from '../db/events-repo';
import { readKv, writeKv } from '../db/kv';
import { z } from 'zod';
import type { PushResult } from '../protocol/http';
import { fullJitterDelay } from './backoff';
import { SyncError } from './errors';

export const PUSH_BATCH_MAX = 200;
const PULL_PAGE = 500;
/** Bounds one round so a huge backlog cannot keep the service worker busy forever; the next round continues. */
const MAX_PAGES_PER_ROUND = 200;

/** One pushed event's result, as the protocol states it. */
export type PushItemResult = PushResult;

export type PushOutcome =
  | { kind: 'results'; results: PushItemResult[] }
  /** 413: the batch is too big for the server; split it. */
  | { kind: 'too_large' }
  /** Another 4xx for the whole batch: the server refuses it as it is. */
  | { kind: 'batch_rejected'; status: number; reason: string };

export interface PullPage {
  events: SequencedEvent[];
  nextCursor: string;
  hasMore: boolean;
}

/**
 * The backend as the sync engine sees it. Implementations throw `SyncError` for transport
 * failures (offline, auth, rate limit, server error, malformed reply).
 */
export interface BackendClient {
  readonly url: string;
  push(events: LeadEvent[]): Promise<PushOutcome>;
  pull(since: string | null, limit: number): Promise<PullPage>;
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
  /** 401/403: automatic sync stops until the user saves the backend settings again. */
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
export const SYNC_STATE_KEY = 'syncState';

export function cursorKey(backendUrl: string): string {
  return `cursor:${backendUrl}`;
}

export interface SyncRoundResult {
  pushed: number;
  deadLettered: number;
  pulled: number;
  changedLeads: Set<string>;
}

/**
 * One sync round: push every due outbox entry in batches, then pull the team's events from the
 * cursor. Safe to interrupt at any point (the service worker can be stopped mid-round): an
 * event leaves the outbox only once the server has confirmed it, the cursor advances only after
 * the pulled events are stored, and the server is idempotent by event id.
 * @throws SyncError on transport failures (the caller records it and backs off)
 */
export async function runSyncRound(db: SalDatabase, client: BackendClient, now: () => number): Promise<SyncRoundResult> {
  const result: SyncRoundResult = { pushed: 0, deadLettered: 0, pulled: 0, changedLeads: new Set() };
  await pushOutbox(db, client, now, result);
  await pullEvents(db, client, now, result);
  return result;
}

/**
 * The push half of a round: sends due outbox entries in batches until the outbox is empty or
 * the round's page budget is spent. Exported for the push benchmark.
 */
export async function pushOutbox(db: SalDatabase, client: BackendClient, now: () => number, result: SyncRoundResult): Promise<void> {
  let batchSize = PUSH_BATCH_MAX;
  for (let round = 0; round < MAX_PAGES_PER_ROUND; round++) {
    const due = await db.outbox
      .orderBy('eventId')
      .filter((e) => e.deadLetter === null)
      .limit(batchSize)
      .toArray();
    if (due.length === 0) return;
    const stored = await db.events.bulkGet(due.map((e) => e.eventId));
    const events: LeadEvent[] = [];
    for (const [i, row] of stored.entries()) {
      if (row) events.push(row.event);
      // an outbox entry whose event vanished cannot be sent; drop it rather than loop on it
      else await db.outbox.delete(due[i]!.eventId);
    }
    if (events.length === 0) continue;

    const outcome = await client.push(events);
    if (outcome.kind === 'too_large') {
      if (events.length === 1) {
        await deadLetter(db, events[0]!.id, 413, 'event too large for the server', now());
        result.deadLettered++;
      } else batchSize = Math.max(1, Math.floor(events.length / 2));
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
    // a batch size the server took once is kept for the rest of the round (its limit is stable)
    await applyPushResults(db, outcome.results, now(), result);
  }
}

async function applyPushResults(db: SalDatabase, results: PushItemResult[], at: number, result: SyncRoundResult): Promise<void> {
  await db.transaction('rw', db.events, db.outbox, async () => {
    for (const r of results) {
      if (r.status === 'rejected' || r.status === 'conflict') {
        await db.outbox.update(r.id, { deadLetter: { status: 400, reason: r.reason ?? 'rejected', at } });
        result.deadLettered++;
        continue;
      }
      if (r.seq !== undefined) await db.events.update(r.id, { seq: r.seq });
      await db.outbox.delete(r.id);
      result.pushed++;
    }
  });
}

async function deadLetter(db: SalDatabase, eventId: string, status: number, reason: string, at: number): Promise<void> {
  await db.outbox.update(eventId, { deadLetter: { status, reason, at } });
}

async function pullEvents(db: SalDatabase, client: BackendClient, now: () => number, result: SyncRoundResult): Promise<void> {
  const key = cursorKey(client.url);
  let cursor = await readKv(db, key, z.string().nullable(), null);
  for (let page = 0; page < MAX_PAGES_PER_ROUND; page++) {
    const reply = await client.pull(cursor, PULL_PAGE);
    const changed = await storeServerEvents(db, reply.events, now());
    for (const k of changed) result.changedLeads.add(k);
    result.pulled += reply.events.length;
    // stored first, cursor second: a stop in between re-pulls a page, which is harmless
    cursor = reply.nextCursor;
    await writeKv(db, key, cursor);
    if (!reply.hasMore) return;
  }
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
    authPaused: error.code === 'auth',
  };
}

/** Marks every event recorded in this browser for sending again (after the backend changed). */
export async function requeueLocalEvents(db: SalDatabase, at: number): Promise<number> {
  return db.transaction('rw', db.events, db.outbox, async () => {
    // sequences belong to the previous server; forget them so ordering restarts from the new one
    await db.events.toCollection().modify({ seq: null });
    const local = await db.events.filter((e) => e.origin === 'local').primaryKeys();
    await db.outbox.bulkPut(local.map((eventId) => ({ eventId, attempts: 0, nextAttemptAt: at, lastError: null, deadLetter: null })));
    return local.length;
  });
}
