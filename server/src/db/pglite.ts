import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable } from './types';

/**
 * Opens the embedded database. `dataDir` is a directory (created if missing) or `memory://`.
 * `schema`, when given, is created and used as the search path: tests share one PGlite per file
 * (starting one takes seconds) and still get a fresh, empty database per test.
 */
export async function openPglite(dataDir: string, options: { schema?: string } = {}): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir);
  return wrapPglite(pg, options.schema, true);
}

/** Wraps an open PGlite (e.g. one shared by a test file) in a fresh schema; `close` drops nothing. */
export async function pgliteInSchema(pg: PGlite, schema: string): Promise<Database> {
  return wrapPglite(pg, schema, false);
}

async function wrapPglite(pg: PGlite, schema: string | undefined, owned: boolean): Promise<Database> {
  if (schema) {
    assertIdentifier(schema);
    await pg.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
  }
  const run: Queryable['query'] = async (sql, params) => {
    const result = await pg.query(sql, params ?? []);
    return { rows: result.rows as never[] };
  };
  return {
    kind: 'pglite',
    query: run,
    async transaction(fn) {
      return pg.transaction(async (tx) =>
        fn({
          async query(sql, params) {
            const result = await tx.query(sql, params ?? []);
            return { rows: result.rows as never[] };
          },
        }),
      );
    },
    async scriptTransaction(fn) {
      return pg.transaction(async (tx) =>
        fn({
          async query(sql, params) {
            const result = await tx.query(sql, params ?? []);
            return { rows: result.rows as never[] };
          },
          async exec(sql) {
            await tx.exec(sql);
          },
        }),
      );
    },
    async exec(sql) {
      await pg.exec(sql);
    },
    async close() {
      if (owned) await pg.close();
    },
  };
}

/** Schema names are interpolated into SQL, so only plain identifiers are allowed. */
export function assertIdentifier(name: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
}
