import pg from 'pg';
import type { Database, Queryable } from './types';
import { assertIdentifier } from './pglite';

/**
 * Opens a node-postgres pool on `url`. With `schema`, every connection uses it as its search
 * path (created if missing), which gives the test suite a fresh database per test on one server.
 */
export async function openPostgres(url: string, options: { schema?: string; max?: number } = {}): Promise<Database> {
  if (options.schema) assertIdentifier(options.schema);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
  const wrap =
    (client: pg.Pool | pg.PoolClient): Queryable['query'] =>
    async (sql, params) => {
      const result = await client.query(sql, params ?? []);
      return { rows: result.rows as never[] };
    };
  const inTransaction = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const value = await fn(client);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
  return {
    kind: 'postgres',
    query: wrap(pool),
    transaction: (fn) => inTransaction((client) => fn({ query: wrap(client) })),
    // a query without parameters goes as a simple query, which may hold several statements
    scriptTransaction: (fn) =>
      inTransaction((client) =>
        fn({
          query: wrap(client),
          async exec(sql) {
            await client.query(sql);
          },
        }),
      ),
    async exec(sql) {
      await pool.query(sql);
    },
    async close() {
      await pool.end();
    },
  };
}
