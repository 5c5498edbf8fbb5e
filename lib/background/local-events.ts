import Dexie, { RangeSet, rangesOverlap } from 'dexie';
import { monotonicFactory } from 'ulid';
import type { SalDatabase } from '../db/schema';
import { recordLocalEvent, type KvBasis } from '../db/events-repo';
import { activeDefinition, definitionKv, localActorKv, meKv } from '../db/reads';
import { EVENT_SCHEMA_VERSION, LeadEventSchema, type Actor, type LeadEvent } from '../domain/events';
import type { SalDefinition } from '../domain/definition';
import { canRecord, type Role } from '../domain/roles';
import type { WritebackJob } from '../db/schema';
import { currentMember } from './identity';

// The one way this browser makes and stores an event of its own (a rep's decision in the panel,
// the review meeting's outcome): stamped with the signed-in member, the active definition's
// version and a time-ordered id, checked against the event schema and the member's role as the
// server will check it, then written with its outbox entry in one transaction.

/**
 * ulid's default source draws one byte from `crypto.getRandomValues` per character (16 calls,
 * 16 buffers per id): a measurable part of a decision's path in the worker. The same source,
 * 256 bytes at a time; each value is one byte / 256, as ulid's default gives.
 */
export function bufferedCryptoRandom(crypto: Pick<Crypto, 'getRandomValues'> = globalThis.crypto): () => number {
  const bytes = new Uint8Array(256);
  let next = bytes.length;
  return () => {
    if (next === bytes.length) {
      crypto.getRandomValues(bytes);
      next = 0;
    }
    return bytes[next++]! / 256;
  };
}

/** One id source for every event made here, so ids stay in the order they were made. */
const nextUlid = monotonicFactory(bufferedCryptoRandom());

export type DraftRefusal = { ok: false; error: 'invalid_event'; issues: string[] } | { ok: false; error: 'forbidden_role'; issues: [Role] };

/**
 * The event for `type` and `payload`, or why it would be refused: malformed (`invalid_event`,
 * each issue as `path: message`), or a type the member's role may not record (`forbidden_role`:
 * said now, instead of the decision waiting in the outbox for the server's refusal).
 */
export function draftLocalEvent(input: {
  at: number;
  leadKey: string;
  actor: Actor;
  role: Role | null;
  definition: Pick<SalDefinition, 'version' | 'rolePermissions'>;
  type: LeadEvent['type'];
  payload: unknown;
  /** The lead as the tab shows it when the event is made (decisions in the panel). */
  lead?: Record<string, unknown>;
}): { ok: true; event: LeadEvent } | DraftRefusal {
  const parsed = LeadEventSchema.safeParse({
    schemaVersion: EVENT_SCHEMA_VERSION,
    id: nextUlid(input.at),
    leadKey: input.leadKey,
    actor: input.actor,
    occurredAt: new Date(input.at).toISOString(),
    definitionVersion: input.definition.version,
    ...(input.lead ? { lead: input.lead } : {}),
    type: input.type,
    payload: input.payload,
  });
  if (!parsed.success) return { ok: false, error: 'invalid_event', issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  if (input.role && !canRecord(input.role, parsed.data.type, input.definition.rolePermissions)) return { ok: false, error: 'forbidden_role', issues: [input.role] };
  return { ok: true, event: parsed.data };
}

/** IndexedDB's "no space" failure, as the browser or Dexie reports it (Dexie wraps the DOMException, or aborts with it inside). */
export function isQuotaError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 3; e = (e as { inner?: unknown }).inner, depth++) {
    if ((e as { name?: unknown }).name === 'QuotaExceededError') return true;
  }
  return false;
}

/**
 * Stores the event with its outbox entry (and write-back job). A full disk reads as such
 * (`storage_full`: nothing was stored, the caller's form keeps what the user typed).
 * `basis`: the records the event was made from (`LocalEventContext.basis`), stored only if unchanged.
 * @throws StaleBasisError (lib/db/events-repo.ts) when they changed; any other storage error
 */
export async function storeLocalEvent(db: SalDatabase, event: LeadEvent, at: number, writeback?: WritebackJob, basis?: KvBasis): Promise<{ ok: true } | { ok: false; error: 'storage_full' }> {
  try {
    await recordLocalEvent(db, event, at, writeback, basis);
    return { ok: true };
  } catch (error) {
    if (isQuotaError(error)) return { ok: false, error: 'storage_full' };
    throw error;
  }
}

/** What this browser's events are made with: who decides, the role the team gave them, the team's stored definition (before the enterprise policy), and the records these came from. */
export interface LocalEventContext {
  actor: Actor;
  role: Role | null;
  definition: SalDefinition;
  basis: KvBasis;
}

const BASIS_KEYS = [meKv.key, localActorKv.key, definitionKv.key];

/**
 * The `LocalEventContext`, kept in the service worker's memory, so a rep's click reads nothing
 * before its write (`decision_durable_p95_ms`). Read again after Dexie reports a write to the
 * `kv` table (`storagemutated`, which also carries other extension pages' writes: a sign-in, a
 * definition pulled by sync or saved by the admin page) and after `forget()`. A change that
 * reaches neither (a write made outside Dexie, or one racing the decision) is caught by the
 * write itself: `storeLocalEvent` with `basis` refuses to store an event made from records that
 * are no longer the stored ones (StaleBasisError); the caller forgets the context and makes it again.
 */
export function createLocalEventContext(db: SalDatabase): { get(): Promise<LocalEventContext>; forget(): void } {
  let loading: Promise<LocalEventContext> | null = null;
  // only writes to these records: sync writes its state to `kv` on every round
  const kvPart = `idb://${db.name}/kv/`;
  const basisKeys = new RangeSet().addKeys(BASIS_KEYS);
  Dexie.on('storagemutated', (parts) => {
    if (Object.entries(parts).some(([part, keys]) => part.startsWith(kvPart) && rangesOverlap(keys, basisKeys))) loading = null;
  });
  // One read-only transaction, so the basis is the very records the member and definition were
  // read from, all read at once. A new profile has no local actor yet: `currentMember` creates it
  // (a write, refused in that transaction), then all is read again.
  const read = () =>
    db
      .transaction('r', db.kv, () => Promise.all([currentMember(db), activeDefinition(db), db.kv.bulkGet(BASIS_KEYS)]))
      .then(([{ actor, role }, definition, rows]): LocalEventContext => ({
        actor,
        role,
        definition,
        basis: new Map(BASIS_KEYS.map((key, i) => [key, rows[i] === undefined ? undefined : JSON.stringify(rows[i].value)])),
      }));
  const load = () =>
    read().catch(async (error: unknown) => {
      if ((error as { name?: unknown } | null)?.name !== Dexie.errnames.ReadOnly) throw error;
      await currentMember(db);
      return read();
    });
  return {
    get() {
      const pending = (loading ??= load());
      // a failed read is not kept: the next decision reads again
      pending.catch(() => {
        if (loading === pending) loading = null;
      });
      return pending;
    },
    forget() {
      loading = null;
    },
  };
}
