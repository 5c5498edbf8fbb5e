import { PGlite } from '@electric-sql/pglite';
import { afterEach } from 'vitest';
import { ulid } from 'ulid';
import type { LeadEvent } from '../../lib/domain/events';
import { createApp, type ServerConfig } from '../../server/src/app';
import { seedDemo } from '../../server/src/admin';
import { migrate, openPostgres, pgliteInSchema, type Database } from '../../server/src/db/index';

let shared: Promise<PGlite> | null = null;
let counter = 0;

/**
 * A fresh, empty database for one test: a new schema on PostgreSQL when DATABASE_URL is set,
 * else a new schema in this file's in-memory PGlite (starting PGlite takes seconds, a schema
 * milliseconds). Migrated unless `migrated: false`.
 */
export async function freshDb(options: { migrated?: boolean } = {}): Promise<Database> {
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const url = process.env.DATABASE_URL?.trim();
  let db: Database;
  if (url) {
    const pg = await openPostgres(url, { schema, max: 4 });
    db = {
      ...pg,
      async close() {
        await pg.exec(`DROP SCHEMA ${schema} CASCADE`);
        await pg.close();
      },
    };
  } else {
    shared ??= PGlite.create('memory://');
    db = await pgliteInSchema(await shared, schema);
  }
  if (options.migrated !== false) await migrate(db);
  return db;
}

/**
 * One fresh database opened by several server instances: `open()` gives another handle on it, as
 * another process would open it (its own pool on PostgreSQL). On PGlite every handle wraps this
 * file's one in-process database in the same schema: PGlite is a single connection, so the
 * instances' queries interleave (a transaction holds it whole) but never run at once; on
 * PostgreSQL they run at once. `first` is migrated unless `migrated: false`; `close()` closes
 * every handle and drops the schema.
 */
export async function sharedDatabase(options: { migrated?: boolean } = {}) {
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const url = process.env.DATABASE_URL?.trim();
  const handles: Database[] = [];
  const open = async (): Promise<Database> => {
    let db: Database;
    if (url) db = await openPostgres(url, { schema, max: 4 });
    else {
      shared ??= PGlite.create('memory://');
      db = await pgliteInSchema(await shared, schema);
    }
    handles.push(db);
    return db;
  };
  const first = await open();
  if (options.migrated !== false) await migrate(first);
  return {
    first,
    open,
    async close() {
      await first.exec(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
      await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
    },
  };
}

/** A migrated database with the demo team, and an app on it (quiet, generous rate limit unless set). */
export async function demoServer(config: ServerConfig = {}) {
  const db = await freshDb();
  await seedDemo(db);
  const app = createApp({ db, config: { rateLimit: false, ...config } });
  const call = (token: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array) ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      // strings and bytes (e.g. a Shift_JIS file) go as they are, anything else as JSON
      ...(body !== undefined ? { body: typeof body === 'string' ? body : body instanceof Uint8Array ? new Blob([body as Uint8Array<ArrayBuffer>]) : JSON.stringify(body) } : {}),
    });
  return { db, app, call };
}

/**
 * Databases that live for one test: call once at the top of a test file. `server` opens a demo
 * server (`demoServer`, with `defaults` under the test's own config) and `track` any other
 * database; each is closed after the test that opened it.
 */
export function closingAfterEach(defaults: ServerConfig = {}) {
  let open: Database[] = [];
  afterEach(async () => {
    await Promise.all(open.map((db) => db.close()));
    open = [];
  });
  const track = <T extends Database>(db: T): T => {
    open.push(db);
    return db;
  };
  return {
    track,
    async server(config: ServerConfig = {}) {
      const s = await demoServer({ ...defaults, ...config });
      track(s.db);
      return s;
    },
  };
}

/** A valid `accepted` event (what the rep panel sends), with overrides. */
export function acceptedEvent(overrides: Partial<LeadEvent> & Record<string, unknown> = {}): LeadEvent {
  return {
    schemaVersion: 1,
    id: ulid(),
    leadKey: 'salesforce:00Q5g00000AbCdEEAV',
    actor: { id: 'user_demo_rep1', name: '佐藤 健' },
    occurredAt: '2026-11-24T09:00:00.000+09:00',
    definitionVersion: 1,
    type: 'accepted',
    payload: { checklist: {}, temperature: 'hot' },
    ...overrides,
  } as LeadEvent;
}

export async function countRows(db: Database, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: unknown }>(`SELECT count(*)::int AS n FROM (${sql}) AS q`, params);
  return Number(rows[0]?.n ?? 0);
}

/** A valid `handed_over` event by the demo marketer (what a marketer's browser or the intake sends), with overrides. */
export function handedOverEvent(overrides: Partial<LeadEvent> & Record<string, unknown> = {}): LeadEvent {
  return acceptedEvent({
    actor: { id: 'user_demo_marketer', name: '田中 美咲' },
    type: 'handed_over',
    payload: { by: '田中 美咲' },
    ...overrides,
  } as never);
}
