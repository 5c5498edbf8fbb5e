import { z } from 'zod';
import type { SalDatabase, StoredEvent } from './schema';
import { orderForFold } from './events-repo';
import { readKv } from './kv';
import { DEFAULT_DEFINITION, SalDefinitionSchema, type SalDefinition } from '../domain/definition';
import type { LeadEvent } from '../domain/events';
import type { Me } from '../domain/roles';
import { groupByLead } from '../domain/lead-key';
import { MeResponseSchema } from '../protocol/http';

/**
 * Reads of the extension's database that the service worker and the extension pages (popup, KPI
 * page) both make. Here, outside lib/background, so a page never loads a service-worker module;
 * the worker's own writers import the keys and schemas from here too.
 */

/** kv key of the team's SAL definition (written by sync). */
export const DEFINITION_KV_KEY = 'activeDefinition';
/** kv key of the signed-in user as the backend reported it (written by sync). */
export const ME_KV_KEY = 'me';
/** kv key of the actor a browser makes up for itself in local-only mode (lib/background/identity.ts). */
export const LOCAL_ACTOR_KV_KEY = 'localActor';

/**
 * The signed-in user as the backend reported it (`GET /v1/me`, stored under ME_KV_KEY). Read back
 * with the role as any string: a record stored by an earlier version may name a role this version
 * no longer knows, and its user is still who decides (`currentMember` then gives no role).
 */
export const StoredMeSchema = MeResponseSchema.extend({ role: z.string() });

/**
 * The last definition parsed in this context, keyed by the stored value's JSON. Every decision
 * reads the definition; re-validating the unchanged value with zod each time cost ~1 ms warm and
 * far more on a fresh service worker, while serialising it to compare costs ~0.1 ms. The stored
 * value is still read each time, so a definition written by sync or another page is seen at once.
 * The returned object is shared between callers: treat it as read-only.
 */
let parsedCache: { json: string; definition: SalDefinition } | null = null;

/** The SAL definition in force: the team's from the server when synced, else the built-in default. */
export async function activeDefinition(db: SalDatabase): Promise<SalDefinition> {
  // same contract as readKv: a missing or corrupt value yields the default
  const row = await db.kv.get(DEFINITION_KV_KEY);
  if (!row) return DEFAULT_DEFINITION;
  const json = JSON.stringify(row.value);
  if (parsedCache?.json === json) return parsedCache.definition;
  const parsed = SalDefinitionSchema.safeParse(row.value);
  if (!parsed.success) return DEFAULT_DEFINITION;
  parsedCache = { json, definition: parsed.data };
  return parsed.data;
}

/** Groups stored events by lead, each in fold order. */
export function groupEvents(rows: readonly StoredEvent[]): Map<string, LeadEvent[]> {
  return groupByLead(rows, orderForFold);
}

/** Who "my" queue is for: the signed-in user, else the local actor (read only, never created here). */
export async function readMe(db: SalDatabase): Promise<Me> {
  const me = await readKv(db, ME_KV_KEY, StoredMeSchema.nullable(), null);
  if (me) return { id: me.user.id, name: me.user.name };
  const local = await readKv(db, LOCAL_ACTOR_KV_KEY, z.object({ id: z.string() }).nullable(), null);
  return local ? { id: local.id } : {};
}
