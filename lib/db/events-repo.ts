import type { LeadEvent, SequencedEvent } from '../domain/events';
import { groupByLead } from '../domain/lead-key';
import { isRuleHandoff } from '../domain/handoff-rules';
import { newOutboxEntry, type KvRecord, type OutboxEntry, type SalDatabase, type StoredEvent, type WritebackJob } from './schema';
import type { KvKey } from './kv';

let orderCounter = 0;
function nextLocalOrder(now: number): number {
  // ms timestamp * 1000 + counter keeps local insertion order even within one millisecond
  orderCounter = (orderCounter + 1) % 1000;
  return now * 1000 + orderCounter;
}

/**
 * The key-value records an event was made from (who decides, the team's definition), as the
 * maker last read them: each record's key and its value as JSON (undefined when absent). The
 * service worker keeps them in memory, so a decision reads nothing before its write; see
 * `recordLocalEvent` for how they are held to the stored ones.
 */
export type KvBasis = ReadonlyMap<KvKey, string | undefined>;

/** The stored records no longer are the `KvBasis` the event was made from: nothing was stored; make the event again. */
export class StaleBasisError extends Error {
  override name = 'StaleBasisError';
}

/**
 * Records a decision made in this browser: the event, its outbox entry and, when the team maps
 * the decision to CRM fields, its write-back job, in one Dexie `rw` transaction, so an event is
 * never stored without being queued for the server (and the CRM), nor queued without being
 * stored, and Dexie's change reports (`storagemutated`: the worker's caches and toolbar badge,
 * open extension pages' live queries) see the write like any other. Nothing in the worker may run
 * a live query: Dexie queries it again inside this transaction's `complete` event, before this
 * promise resolves (lib/background/queue-service.ts `onQueueInputsChanged`).
 *
 * This is the one write on the rep's click path (`decision_durable_p95_ms`, goal ≤ 10 ms). All
 * requests are issued at once, so its latency is one commit, not several round trips. With a
 * `basis`, its records are read in the same transaction, issued before the writes and so answered
 * before them (no extra round trip), and the transaction is aborted unless they are unchanged: an
 * event made from a member or a definition that has changed since (signed in again, a definition
 * pulled or saved by another page) is never stored.
 * Resolves when the transaction has committed (Dexie resolves on IndexedDB's `complete`). The
 * transaction's durability is IndexedDB's default (Chromium: "relaxed" since version 121, as in
 * Firefox and Safari: committed to the OS, not flushed to the disk; checked in Chromium 156, where
 * a one-put transaction took the same with the default as with "relaxed", 1.9 vs 2.0 ms median,
 * and 3.4 ms with "strict").
 * @throws StaleBasisError when a record of `basis` changed; the transaction's error (e.g.
 *   QuotaExceededError on a full disk, ConstraintError for an id already held). Nothing is stored then.
 */
export async function recordLocalEvent(db: SalDatabase, event: LeadEvent, now: number, writeback?: WritebackJob, basis?: KvBasis): Promise<void> {
  const stored: StoredEvent = { id: event.id, leadKey: event.leadKey, event, seq: null, origin: 'local', localOrder: nextLocalOrder(now) };
  const queued: OutboxEntry = newOutboxEntry(event.id, now);
  const tables = [db.events, db.outbox, ...(writeback ? [db.writebacks] : []), ...(basis ? [db.kv] : [])];
  await db.transaction('rw', tables, () => {
    const current = basis ? db.kv.bulkGet([...basis.keys()]) : Promise.resolve([]);
    const writes = Promise.all([db.events.add(stored), db.outbox.add(queued), writeback && db.writebacks.add(writeback)]);
    // a throw here aborts the transaction (Dexie), before IndexedDB commits it
    return Promise.all([current, writes]).then(([rows]) => {
      if (basis && !sameBasis(basis, rows)) throw new StaleBasisError('the member or definition changed while the decision was made');
    });
  });
}

function sameBasis(basis: KvBasis, rows: ReadonlyArray<KvRecord | undefined>): boolean {
  let i = 0;
  for (const json of basis.values()) {
    const row = rows[i++];
    if ((row === undefined ? undefined : JSON.stringify(row.value)) !== json) return false;
  }
  return true;
}

/**
 * Stores events pulled from the server. An event already held (our own, pushed earlier) gets its
 * sequence; an unknown one is added. Returns the lead keys that changed.
 */
export async function storeServerEvents(db: SalDatabase, events: readonly SequencedEvent[], now: number): Promise<Set<string>> {
  const changed = new Set<string>();
  if (events.length === 0) return changed;
  await db.transaction('rw', db.events, db.outbox, async () => {
    const existing = await db.events.bulkGet(events.map((e) => e.event.id));
    const puts: StoredEvent[] = [];
    events.forEach((e, i) => {
      const have = existing[i];
      // A rule hand-off made here may have lost the race to another rep's copy of it (same id,
      // their time and snapshot; the server kept theirs): the server's body replaces ours.
      const theirs = have !== undefined && isRuleHandoff(e.event) && have.event.occurredAt !== e.event.occurredAt;
      if (have && !theirs && have.seq === e.seq && have.receivedAt === e.receivedAt) return;
      changed.add(e.event.leadKey);
      puts.push({
        id: e.event.id,
        leadKey: e.event.leadKey,
        event: theirs ? e.event : (have?.event ?? e.event),
        seq: e.seq,
        origin: have?.origin ?? 'server',
        localOrder: have?.localOrder ?? nextLocalOrder(now),
        receivedAt: e.receivedAt,
      });
    });
    await db.events.bulkPut(puts);
    // an event the server has is no longer pending, whichever path told us so
    await db.outbox.bulkDelete(events.map((e) => e.event.id));
  });
  return changed;
}

/**
 * An event as the fold reads it: the event, plus the server's receive time (ISO) when known.
 * The domain judges SLAs and the undo window at `max(occurredAt, receivedAt − MAX_CLOCK_SKEW_MS)`.
 */
export type FoldEvent = LeadEvent & { receivedAt?: string };

function forFold(row: StoredEvent): FoldEvent {
  return row.receivedAt === undefined ? row.event : { ...row.event, receivedAt: row.receivedAt };
}

/**
 * Orders a lead's events for the fold: server sequence first, then local pending ones in their
 * order. Each carries `receivedAt` when the server told us.
 */
export function orderForFold(rows: readonly StoredEvent[]): FoldEvent[] {
  return [...rows]
    .sort((a, b) => {
      if (a.seq !== null && b.seq !== null) return a.seq - b.seq;
      if (a.seq !== null) return -1;
      if (b.seq !== null) return 1;
      return a.localOrder - b.localOrder;
    })
    .map(forFold);
}

/** A lead's events in fold order. */
export async function eventsForLead(db: SalDatabase, leadKey: string): Promise<FoldEvent[]> {
  return orderForFold(await db.events.where('leadKey').equals(leadKey).toArray());
}

/** Events of many leads in fold order, grouped by lead key (keys without events are absent). */
export async function eventsForLeads(db: SalDatabase, leadKeys: readonly string[]): Promise<Map<string, FoldEvent[]>> {
  const rows = await db.events
    .where('leadKey')
    .anyOf([...leadKeys])
    .toArray();
  return groupByLead(rows, orderForFold);
}
