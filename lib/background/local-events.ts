import { monotonicFactory } from 'ulid';
import type { SalDatabase } from '../db/schema';
import { recordLocalEvent } from '../db/events-repo';
import { EVENT_SCHEMA_VERSION, LeadEventSchema, type Actor, type LeadEvent } from '../domain/events';
import type { SalDefinition } from '../domain/definition';
import { canRecord, type Role } from '../domain/roles';
import type { WritebackJob } from '../db/schema';

// The one way this browser makes and stores an event of its own (a rep's decision in the panel,
// the review meeting's outcome): stamped with the signed-in member, the active definition's
// version and a time-ordered id, checked against the event schema and the member's role as the
// server will check it, then written with its outbox entry in one transaction.

/** One id source for every event made here, so ids stay in the order they were made. */
const nextUlid = monotonicFactory();

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
 * @throws any other storage error
 */
export async function storeLocalEvent(db: SalDatabase, event: LeadEvent, at: number, writeback?: WritebackJob): Promise<{ ok: true } | { ok: false; error: 'storage_full' }> {
  try {
    await recordLocalEvent(db, event, at, writeback);
    return { ok: true };
  } catch (error) {
    if (isQuotaError(error)) return { ok: false, error: 'storage_full' };
    throw error;
  }
}
