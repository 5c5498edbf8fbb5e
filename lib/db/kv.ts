import type { z } from 'zod';
import type { SalDatabase } from './schema';

/**
 * Reads a key-value record and parses it with its schema: a missing or corrupt value yields the
 * fallback instead of throwing, so a bad record never blocks the extension.
 */
export async function readKv<T extends z.ZodType>(db: SalDatabase, key: string, schema: T, fallback: z.infer<T>): Promise<z.infer<T>> {
  const row = await db.kv.get(key);
  if (!row) return fallback;
  const parsed = schema.safeParse(row.value);
  return parsed.success ? parsed.data : fallback;
}

export async function writeKv(db: SalDatabase, key: string, value: unknown): Promise<void> {
  await db.kv.put({ key, value });
}
