import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database, Queryable } from './types';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
const FILE = /^(\d{3})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The SQL migrations in `server/migrations`, ordered by their number. */
export function listMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .flatMap((file) => {
      const match = FILE.exec(file);
      if (!match) return [];
      return [{ version: Number(match[1]), name: match[2] ?? file, sql: readFileSync(`${dir}/${file}`, 'utf8') }];
    })
    .sort((a, b) => a.version - b.version);
}

/**
 * Transaction-scoped advisory lock taken by `migrate`: a second instance migrating at the same
 * time waits for the first to commit, then finds nothing left to do. Keyed by the schema, so test
 * schemas on one PostgreSQL do not wait for each other.
 */
const LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('sal-bridge:migrate'), hashtext(current_schema()))";

const CREATE_LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/** The versions recorded in `schema_migrations` (none when the table is not there yet). */
export async function appliedMigrations(db: Queryable): Promise<number[]> {
  const { rows: exists } = await db.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (!exists[0]?.t) return [];
  const { rows } = await db.query<{ version: unknown }>('SELECT version FROM schema_migrations ORDER BY version');
  return rows.map((r) => Number(r.version));
}

/**
 * The migrations this code has that the database lacks. Versions the database has and this code
 * does not (a newer instance migrated it) are no obstacle: migrations are additive, so an older
 * instance keeps working on a newer schema while a rolling upgrade replaces it.
 */
export async function pendingMigrations(db: Queryable, dir?: string): Promise<Migration[]> {
  const applied = new Set(await appliedMigrations(db));
  return listMigrations(dir).filter((m) => !applied.has(m.version));
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order, in one transaction
 * under an advisory lock (`LOCK_SQL`): all or nothing, and instances starting together do not
 * race. `upTo` stops after that version (tests migrate a fixture of an older schema). Returns
 * the versions applied now.
 *
 * Migrations must be additive (new tables, new nullable or defaulted columns, new indexes): an
 * instance of the previous version may still be serving on the same database while they run.
 */
export async function migrate(db: Database, options: { upTo?: number; dir?: string } = {}): Promise<number[]> {
  return db.scriptTransaction(async (tx) => {
    await tx.query(LOCK_SQL);
    await tx.exec(CREATE_LEDGER);
    const applied = new Set(await appliedMigrations(tx));
    const done: number[] = [];
    for (const m of listMigrations(options.dir)) {
      if (applied.has(m.version)) continue;
      if (options.upTo !== undefined && m.version > options.upTo) break;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      done.push(m.version);
    }
    return done;
  });
}

/**
 * Whether a process may migrate the schema itself (the server at start, the CLI's other
 * commands): always on the embedded database, which belongs to this one process (so `npm start`
 * stays one command); on PostgreSQL only with `SAL_MIGRATE_ON_START=1` (or `true`), since
 * production schema changes are meant to be an operator's explicit `server:cli migrate`.
 */
export function migratesOnStart(env: NodeJS.ProcessEnv, kind: 'pglite' | 'postgres'): boolean {
  if (kind === 'pglite') return true;
  return /^(1|true|yes)$/i.test(env.SAL_MIGRATE_ON_START?.trim() ?? '');
}

/** The schema is behind this code and the server was not allowed to migrate it. */
export class SchemaBehindError extends Error {}

/**
 * Makes sure the schema is what this code needs before serving: migrates when `migrateOnStart`
 * (the embedded database, or `SAL_MIGRATE_ON_START=1`), else checks and refuses.
 * @throws SchemaBehindError naming the missing migrations and the command that applies them.
 */
export async function prepareSchema(db: Database, options: { migrateOnStart: boolean }): Promise<void> {
  if (options.migrateOnStart) {
    await migrate(db);
    return;
  }
  const pending = await pendingMigrations(db);
  if (pending.length === 0) return;
  const names = pending.map((m) => `${String(m.version).padStart(3, '0')}_${m.name}`).join(', ');
  throw new SchemaBehindError(
    `the database schema is behind this server (missing migrations: ${names}). Run \`npm run server:cli migrate\` with the same DATABASE_URL, or start with SAL_MIGRATE_ON_START=1 to migrate at start.`,
  );
}
