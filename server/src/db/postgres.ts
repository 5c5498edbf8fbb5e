import pg from 'pg';
import type { Database, Queryable } from './types';
import { assertIdentifier } from './pglite';
import { isStalePreparedStatement } from './errors';

/** Past this many distinct statement texts, further ones run unprepared (a bound on each connection's memory). */
const MAX_PREPARED = 256;

/**
 * Names for the statements a connection prepares once and then only binds and executes.
 * PostgreSQL spends more on parsing and planning the server's hot statements than on running
 * them (pg_stat_statements under the load bench, session 9: a pull's plan 0.27 ms against its
 * execution 0.16, the member lookup 0.46 against 0.05, the rate limits 0.14 against 0.06), and
 * an unnamed statement is parsed and planned on every request. A named one is parsed once per
 * connection, and after five executions PostgreSQL keeps a generic plan when it costs no more
 * than the custom ones. Statements without parameters (DDL, scripts) are never named.
 *
 * A prepared statement outlives a migration run by a newer instance: PostgreSQL re-plans it
 * after DDL, but refuses it for good ("cached plan must not change result type", 0A000) when the
 * DDL changed the columns it returns. That text is then run unprepared from then on (in a
 * transaction, after that one transaction has failed).
 */
function createStatementNames(enabled: boolean) {
  const names = new Map<string, string | null>();
  return {
    nameOf(sql: string): string | undefined {
      if (!enabled) return undefined;
      const known = names.get(sql);
      if (known !== undefined) return known ?? undefined;
      if (names.size >= MAX_PREPARED) return undefined;
      const name = `sal_${names.size}`;
      names.set(sql, name);
      return name;
    },
    /** The text's prepared form was refused after a schema change: unprepared from now on. */
    unprepare(sql: string) {
      names.set(sql, null);
    },
  };
}

/**
 * Opens a node-postgres pool on `url`. With `schema`, every connection uses it as its search
 * path (created if missing), which gives the test suite a fresh database per test on one server.
 * Statements with parameters are prepared per connection (`createStatementNames`) unless
 * `prepare` is false (SAL_DB_PREPARE=0: behind a pooler in transaction mode that cannot keep
 * prepared statements, e.g. PgBouncer before 1.21).
 */
export async function openPostgres(url: string, options: { schema?: string; max?: number; prepare?: boolean } = {}): Promise<Database> {
  if (options.schema) assertIdentifier(options.schema);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
  const statements = createStatementNames(options.prepare ?? true);
  const wrap =
    (client: pg.Pool | pg.PoolClient): Queryable['query'] =>
    async (sql, params) => {
      const values = params ?? [];
      const name = values.length > 0 ? statements.nameOf(sql) : undefined;
      if (!name) return { rows: (await client.query(sql, values)).rows as never[] };
      try {
        return { rows: (await client.query({ name, text: sql, values })).rows as never[] };
      } catch (error) {
        if (!isStalePreparedStatement(error)) throw error;
        statements.unprepare(sql);
        // inside a transaction the failed statement has aborted it: that request fails (the client
        // retries, as after any 500) and from then on the statement runs unprepared
        if (!(client instanceof pg.Pool)) throw error;
        return { rows: (await client.query(sql, values)).rows as never[] };
      }
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
