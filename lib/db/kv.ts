import type { z } from 'zod';
import type { KvRecord, SalDatabase } from './schema';

/**
 * Every key of the `kv` table. Each record is declared once, with `defineKvItem`, beside the
 * schema of its value in the module that owns it (`backendKv` in lib/settings/backend.ts, …), and
 * read and written only through that item, so no module spells a key or casts a value.
 * The records' shapes are versioned with the database (lib/db/schema.ts): a change of shape gets
 * a Dexie upgrade that rewrites the stored records, and a test that reads each earlier shape
 * through its item (tests/unit/db/migration.test.ts).
 */
export type KvKey =
  | 'backend'
  | 'syncState'
  | 'me'
  | 'meSource'
  | 'localActor'
  | 'activeDefinition'
  | 'teamSettings'
  | 'prefs'
  | 'dataScope'
  | 'notifiedClocks'
  | 'pushBatchSize'
  /** the team server's adapter descriptions (lib/background/adapter-descriptions.ts) */
  | 'adapterDescriptions'
  /** CRM tokens for write-back (lib/writeback/credentials.ts) */
  | 'crmTokens'
  /** Salesforce OAuth connections for write-back, by org (lib/writeback/salesforce-oauth.ts) */
  | 'salesforceOAuth'
  /** the enterprise policy as Chromium last gave it (lib/settings/policy-definition.ts) */
  | 'lastPolicy'
  /** the pull position per backend and team (lib/sync/engine.ts `cursorKv`) */
  | `cursor:${string}`;

/** One key-value record: its key, the schema its stored value must pass, and what a missing or corrupt record reads as. */
export interface KvItem<T> {
  readonly key: KvKey;
  readonly schema: z.ZodType<T>;
  readonly fallback: T;
}

export function defineKvItem<T>(key: KvKey, schema: z.ZodType<T>, fallback: NoInfer<T>): KvItem<T> {
  return { key, schema, fallback };
}

/**
 * The value of a record already read (e.g. by `db.kv.bulkGet`), parsed with its item's schema: a
 * missing or corrupt value yields the fallback instead of throwing, so a bad record never blocks
 * the extension.
 */
export function kvValue<T>(item: KvItem<T>, row: KvRecord | undefined): T {
  if (!row) return item.fallback;
  const parsed = item.schema.safeParse(row.value);
  return parsed.success ? parsed.data : item.fallback;
}

/** Reads a record through its item (see `kvValue`). */
export async function readKv<T>(db: SalDatabase, item: KvItem<T>): Promise<T> {
  return kvValue(item, await db.kv.get(item.key));
}

/** Reads several records in one request. */
export async function readKvs<const Items extends readonly KvItem<unknown>[]>(db: SalDatabase, items: Items): Promise<{ [I in keyof Items]: Items[I] extends KvItem<infer T> ? T : never }> {
  const rows = await db.kv.bulkGet(items.map((i) => i.key));
  return items.map((item, i) => kvValue(item, rows[i])) as { [I in keyof Items]: Items[I] extends KvItem<infer T> ? T : never };
}

export async function writeKv<T>(db: SalDatabase, item: KvItem<T>, value: T): Promise<void> {
  await db.kv.put({ key: item.key, value });
}

/** Removes records (they read as their fallback afterwards). */
export async function deleteKv(db: SalDatabase, items: ReadonlyArray<KvItem<unknown>>): Promise<void> {
  await db.kv.bulkDelete(items.map((i) => i.key));
}
