import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './types';

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
 * Applies the migrations not yet recorded in `schema_migrations`, in order, each with its
 * record in one script (PostgreSQL runs a multi-statement script as one transaction, so a failed
 * migration leaves nothing half-done). `upTo` stops after that version (tests migrate a fixture
 * of an older schema). Returns the versions applied now.
 */
export async function migrate(db: Database, options: { upTo?: number; dir?: string } = {}): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied = new Set((await db.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)));
  const done: number[] = [];
  for (const m of listMigrations(options.dir)) {
    if (applied.has(m.version)) continue;
    if (options.upTo !== undefined && m.version > options.upTo) break;
    await db.exec(`${m.sql}\n;INSERT INTO schema_migrations (version, name) VALUES (${m.version}, '${m.name}');`);
    done.push(m.version);
  }
  return done;
}
