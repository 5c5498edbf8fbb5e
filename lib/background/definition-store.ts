import type { SalDatabase } from '../db/schema';
import { defineKvItem, kvValue } from '../db/kv';
import { DEFAULT_DEFINITION, SalDefinitionSchema, type SalDefinition } from '../domain/definition';

/** The team's definition as the server last gave it; the built-in default until then. */
export const definitionKv = defineKvItem('activeDefinition', SalDefinitionSchema, DEFAULT_DEFINITION);

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
