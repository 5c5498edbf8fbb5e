/**
 * The one database interface the server uses, implemented over PGlite (embedded) and
 * node-postgres. SQL is PostgreSQL with `$n` parameters in both.
 */
export interface Queryable {
  /** Runs one statement. Rows come back with PostgreSQL types parsed (timestamptz → Date, jsonb → value). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/** A transaction handle that can also run a script of several statements without parameters. */
export interface ScriptQueryable extends Queryable {
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction (BEGIN … COMMIT, ROLLBACK when `fn` throws). */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in one transaction whose handle may also run scripts of several statements
   * (`exec`): what migrations need to apply under one advisory lock, all or nothing.
   */
  scriptTransaction<T>(fn: (tx: ScriptQueryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** int8 columns arrive as string (pg), bigint or number (PGlite): one conversion for both. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' || typeof value === 'string') return Number(value);
  throw new TypeError(`not a number: ${String(value)}`);
}

/** timestamptz arrives as a Date from both drivers; tolerate strings for safety. */
export function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return new Date(value).toISOString();
  throw new TypeError(`not a timestamp: ${String(value)}`);
}
