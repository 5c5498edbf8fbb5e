import { resolve } from 'node:path';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';
import type { Database } from './types';

export type { Database, Queryable, ScriptQueryable } from './types';
export { openPglite, pgliteInSchema } from './pglite';
export { openPostgres } from './postgres';
export { migrate, listMigrations, pendingMigrations, appliedMigrations, prepareSchema, migratesOnStart, SchemaBehindError } from './migrate';

/** Default embedded data directory (relative to the working directory). */
export const DEFAULT_DATA_DIR = './.data/pglite';

/**
 * Opens the database the environment names: PostgreSQL when `DATABASE_URL` is set (non-empty),
 * else the embedded PGlite in `SAL_DATA_DIR` (default `./.data/pglite`; `memory://` works too).
 * `SAL_DB_PREPARE=0` keeps PostgreSQL statements unprepared (behind a pooler in transaction mode).
 */
export async function openDatabaseFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<Database> {
  const url = env.DATABASE_URL?.trim();
  if (url) return openPostgres(url, { prepare: env.SAL_DB_PREPARE?.trim() !== '0' });
  const dir = env.SAL_DATA_DIR?.trim() || DEFAULT_DATA_DIR;
  return openPglite(dir.startsWith('memory://') ? dir : resolve(dir));
}
