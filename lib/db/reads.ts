import { z } from 'zod';
import type { SalDatabase, StoredEvent } from './schema';
import { orderForFold } from './events-repo';
import { defineKvItem, kvValue, readKvs } from './kv';
import { DEFAULT_DEFINITION, SalDefinitionSchema, type SalDefinition } from '../domain/definition';
import type { LeadEvent } from '../domain/events';
import type { Me } from '../domain/roles';
import { groupByLead } from '../domain/lead-key';
import { MeResponseSchema } from '../protocol/http';

/**
 * Reads of the extension's database that the service worker and the extension pages (popup, KPI
 * page, trends) both make, and the key-value records they read. Here, outside lib/background, so
 * a page never loads a service-worker module; the worker's own writers import the items from here.
 */

/** The team's definition as the server last gave it; the built-in default until then. */
export const definitionKv = defineKvItem('activeDefinition', SalDefinitionSchema, DEFAULT_DEFINITION);

/**
 * The signed-in user as the backend reported it (`GET /v1/me`). Read back with the role as any
 * string: a record stored by an earlier version may name a role this version no longer knows, and
 * its user is still who decides (`currentMember` then gives no role).
 */
export const StoredMeSchema = MeResponseSchema.extend({ role: z.string() });
/** null until the backend has answered `GET /v1/me` (and in local mode). */
export const meKv = defineKvItem('me', StoredMeSchema.nullable(), null);
/** The local actor, created once per browser profile (see `currentMember` in lib/background/identity.ts). */
export const localActorKv = defineKvItem('localActor', z.object({ id: z.string(), name: z.string() }).nullable(), null);

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
  const row = await db.kv.get(definitionKv.key);
  if (!row) return definitionKv.fallback;
  const json = JSON.stringify(row.value);
  if (parsedCache?.json === json) return parsedCache.definition;
  // a corrupt value yields the default (and is parsed again next time, as it should be rare)
  const parsed = definitionKv.schema.safeParse(row.value);
  if (!parsed.success) return kvValue(definitionKv, undefined);
  parsedCache = { json, definition: parsed.data };
  return parsed.data;
}

/** Groups stored events by lead, each in fold order. */
export function groupEvents(rows: readonly StoredEvent[]): Map<string, LeadEvent[]> {
  return groupByLead(rows, orderForFold);
}

/** Who "my" queue is for: the signed-in user, else the local actor (read only, never created here). */
export async function readMe(db: SalDatabase): Promise<Me> {
  const [me, local] = await readKvs(db, [meKv, localActorKv]);
  if (me) return { id: me.user.id, name: me.user.name };
  return local ? { id: local.id } : {};
}
