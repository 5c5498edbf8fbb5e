import type { SalDatabase } from '../db/schema';
import { DEFAULT_DEFINITION, SalDefinitionSchema, type SalDefinition } from '../domain/definition';

export const DEFINITION_KV_KEY = 'activeDefinition';

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
