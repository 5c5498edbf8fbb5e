import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorBodySchema, PullResponseSchema, PushResponseSchema, ReadyResponseSchema } from '../../lib/protocol/http';
import { seedDemo } from '../../server/src/admin';
import { createApp } from '../../server/src/app';
import { clientAddressFromEnv } from '../../server/src/config';
import { listMigrations, migrate, pendingMigrations, prepareSchema, SchemaBehindError, type Database } from '../../server/src/db/index';
import { newEpoch } from '../../server/src/events-store';
import { runServer } from '../../server/src/node';
import { acceptedEvent, countRows, sharedDatabase } from './helpers';

const REP1 = 'demo-rep1-token';
const latest = Math.max(...listMigrations().map((m) => m.version));
const onPostgres = Boolean(process.env.DATABASE_URL?.trim());

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});
async function database(options: { migrated?: boolean } = {}) {
  const s = await sharedDatabase(options);
  cleanup.push(() => s.close());
  return s;
}

const get = (app: ReturnType<typeof createApp>, path: string, token?: string, headers: Record<string, string> = {}) =>
  app.request(path, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });

describe('/readyz', () => {
  it('is ready on a migrated database and names the schema version; /healthz needs no database', async () => {
    const { first } = await database();
    const res = await get(createApp({ db: first }), '/readyz');
    expect(res.status).toBe(200);
    expect(ReadyResponseSchema.parse(await res.json()).schemaVersion).toBe(latest);
    const down: Database = { ...first, query: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })) };
    expect((await get(createApp({ db: down }), '/healthz')).status).toBe(200);
  });

  it('answers 503 when the schema is behind, the database is unreachable, or the server is shutting down', async () => {
    const { first } = await database({ migrated: false });
    await migrate(first, { upTo: latest - 1 });
    const behind = await get(createApp({ db: first }), '/readyz');
    expect(behind.status).toBe(503);
    expect(behind.headers.get('retry-after')).toBe('5');
    expect(ErrorBodySchema.parse(await behind.json()).error.message).toMatch(new RegExp(`missing migrations ${latest}.*server:cli migrate`));

    await migrate(first);
    const down: Database = { ...first, query: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })) };
    const unreachable = await get(createApp({ db: down }), '/readyz');
    expect(unreachable.status).toBe(503);
    expect(ErrorBodySchema.parse(await unreachable.json()).error.message).toMatch(/database is unavailable/);

    const draining = await get(createApp({ db: first, config: { draining: () => true } }), '/readyz');
    expect(draining.status).toBe(503);
    expect(draining.headers.get('connection')).toBe('close');
    expect(ErrorBodySchema.parse(await draining.json()).error.message).toMatch(/shutting down/);
  });
});

describe('migrations in production', () => {
  it('two instances migrating at once: one applies everything, the other waits and finds nothing to do', async () => {
    const s = await database({ migrated: false });
    const [a, b] = [await s.open(), await s.open()];
    const results = await Promise.all([migrate(a), migrate(b)]);
    expect(results.map((r) => r.length).sort()).toEqual([0, listMigrations().length]);
    expect(await pendingMigrations(s.first)).toEqual([]);
    const { rows } = await s.first.query<{ n: unknown }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(Number(rows[0]?.n)).toBe(listMigrations().length);
  });

  it('a server not allowed to migrate refuses a schema that is behind, naming the command; allowed, it migrates', async () => {
    const { first } = await database({ migrated: false });
    await migrate(first, { upTo: 2 });
    const refused = prepareSchema(first, { migrateOnStart: false });
    await expect(refused).rejects.toBeInstanceOf(SchemaBehindError);
    await expect(refused).rejects.toThrow(/003_trust.*npm run server:cli migrate.*SAL_MIGRATE_ON_START=1/);
    await prepareSchema(first, { migrateOnStart: true });
    expect(await pendingMigrations(first)).toEqual([]);
    await expect(prepareSchema(first, { migrateOnStart: false })).resolves.toBeUndefined();
  });

  it.runIf(onPostgres)(
    'the server process on PostgreSQL exits with the message when the schema is behind, and starts with SAL_MIGRATE_ON_START=1',
    async () => {
      const { first } = await database({ migrated: false });
      const { rows } = await first.query<{ s: string }>('SELECT current_schema() AS s');
      // the spawned server uses the test's schema through the connection's search_path
      const url = new URL(process.env.DATABASE_URL!.trim());
      url.searchParams.set('options', `-c search_path=${rows[0]!.s}`);
      const refused = await runMain({ DATABASE_URL: url.toString() }, null);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/sync server not started: the database schema is behind this server .*npm run server:cli migrate/);
      const started = await runMain({ DATABASE_URL: url.toString(), SAL_MIGRATE_ON_START: '1' }, 'SIGTERM');
      expect(started.stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ \(postgres\)/);
      // SIGTERM wiring: a clean exit (the shutdown itself is tested in process below; a process
      // on the embedded database is left out because starting PGlite in a fresh process takes ~40 s here)
      expect(started.stderr).toMatch(/SIGTERM: shutting down/);
      expect(started.code).toBe(0);
      expect(await pendingMigrations(first)).toEqual([]);
    },
    60_000,
  );
});

/** Runs `npm run server` (server/src/main.ts) with `env`; once it listens, sends `signal` and waits for the exit. */
function runMain(env: Record<string, string>, signal: NodeJS.Signals | null): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const main = fileURLToPath(new URL('../../server/src/main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main], { env: { ...process.env, PORT: '0', SAL_LOG: 'quiet', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (signal && /listening on/.test(stdout)) child.kill(signal);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('rate limits across instances', () => {
  it("two instances on one database share a token's budget and an address's budget (the rate_buckets table)", async () => {
    const s = await database();
    await seedDemo(s.first);
    const t = Date.parse('2026-11-24T00:00:00Z');
    const config = {
      rateLimitStore: 'database' as const,
      rateLimit: { capacity: 4, refillPerSecond: 0.5 },
      unauthenticatedRateLimit: { capacity: 2, refillPerSecond: 0.5 },
      clientAddress: () => '10.0.0.9',
      now: () => new Date(t),
    };
    const [a, b] = [createApp({ db: await s.open(), config }), createApp({ db: await s.open(), config })];
    // requests at the same instant from both instances: exactly the burst gets through
    const statuses = await Promise.all(Array.from({ length: 8 }, (_, i) => Promise.resolve(get(i % 2 ? a : b, '/v1/me', REP1)).then((r) => r.status)));
    expect(statuses.filter((st) => st === 200)).toHaveLength(4);
    expect(statuses.filter((st) => st === 429)).toHaveLength(4);
    // guessing tokens: two on one instance, then the other refuses the address too
    expect((await get(a, '/v1/me', 'guess-1')).status).toBe(401);
    expect((await get(b, '/v1/me', 'guess-2')).status).toBe(401);
    const limited = await get(b, '/v1/me', 'guess-3');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    // a valid token from that address waits on both instances: on `b`, which refused it, and on
    // `a`, which learns it from the shared bucket in the statement that would take the token's
    const valid = await get(a, '/v1/me', 'demo-rep2-token');
    expect(valid.status).toBe(429);
    expect(valid.headers.get('retry-after')).toBe('2');
    expect((await get(b, '/v1/me', 'demo-rep2-token')).status).toBe(429);
    // …and the token's own budget was not spent meanwhile: from another address it has its whole burst
    const elsewhere = createApp({ db: await s.open(), config: { ...config, clientAddress: () => '10.0.0.10' } });
    const rep2 = await Promise.all(Array.from({ length: 5 }, () => Promise.resolve(get(elsewhere, '/v1/me', 'demo-rep2-token')).then((r) => r.status)));
    expect(rep2.filter((st) => st === 200)).toHaveLength(4);
  });

  it('behind a proxy (SAL_TRUST_PROXY=1) limits by the address the proxy saw, never one the client wrote', () => {
    expect(clientAddressFromEnv({})).toBeUndefined();
    const address = clientAddressFromEnv({ SAL_TRUST_PROXY: '1' })!;
    expect(address('203.0.113.7', '10.0.0.1')).toBe('203.0.113.7');
    // a client sending its own X-Forwarded-For: the proxy appends what it saw, and that is used
    expect(address('1.2.3.4, 203.0.113.7', '10.0.0.1')).toBe('203.0.113.7');
    expect(address(undefined, '10.0.0.1')).toBe('10.0.0.1');
  });

  it('uses the shared table by default on PostgreSQL and memory on the embedded database', async () => {
    const s = await database();
    await seedDemo(s.first);
    const app = createApp({ db: s.first, config: { rateLimit: { capacity: 10, refillPerSecond: 1 } } });
    expect((await get(app, '/v1/me', REP1)).status).toBe(200);
    expect(await countRows(s.first, 'SELECT 1 FROM rate_buckets')).toBe(onPostgres ? 1 : 0);
  });
});

describe('graceful shutdown', () => {
  it('finishes a push in flight, refuses new connections meanwhile, then closes the database', async () => {
    const s = await database();
    await seedDemo(s.first);
    const handle = await s.open();
    let entered!: () => void;
    const pushing = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const events: string[] = [];
    // the push's write waits at the gate, so the shutdown starts while it is in flight
    const slow: Database = {
      ...handle,
      async query<T>(sql: string, params?: unknown[]) {
        // the push's write (events-store.ts, `writeFresh`)
        if (!/UPDATE teams SET last_seq/.test(sql)) return handle.query<T>(sql, params);
        entered();
        await gate;
        const stored = await handle.query<T>(sql, params);
        events.push('push stored');
        return stored;
      },
      async close() {
        events.push('db closed');
        await handle.close();
      },
    };
    const running = await runServer({ db: slow, port: 0, hostname: '127.0.0.1', config: { rateLimit: false } });
    const event = acceptedEvent();
    const push = fetch(`http://127.0.0.1:${running.port}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${REP1}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [event] }),
    }).then(async (res) => {
      return { status: res.status, connection: res.headers.get('connection'), body: PushResponseSchema.parse(await res.json()) };
    });
    await pushing;
    const closed = running.close({ timeoutMs: 20_000 }).then((outcome) => {
      events.push(`closed ${outcome}`);
      return outcome;
    });
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(running.port, '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    expect(refused).toBe('ECONNREFUSED');
    expect(events).toEqual([]);
    release();
    const answered = await push;
    expect(answered.status).toBe(200);
    expect(answered.connection).toBe('close');
    expect(answered.body.results[0]).toMatchObject({ id: event.id, status: 'accepted', seq: 1 });
    expect(await closed).toBe('clean');
    // the answer reached the client (above) and the database closed only after the push was stored
    expect(events).toEqual(['push stored', 'db closed', 'closed clean']);
    expect(await countRows(s.first, 'SELECT 1 FROM events')).toBe(1);
  });
});

describe('after restoring a backup', () => {
  it('`new-epoch` sends every client back to the start (410), so events stored after the restore are not skipped', async () => {
    const { first } = await database();
    await seedDemo(first);
    const app = createApp({ db: first, config: { rateLimit: false } });
    const push = (n: number) =>
      app.request('/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${REP1}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: Array.from({ length: n }, () => acceptedEvent()) }),
      });
    await push(2);
    const page = PullResponseSchema.parse(await (await get(app, '/v1/events', REP1)).json());
    await newEpoch(first);
    const after = await get(app, `/v1/events?since=${page.nextCursor}`, REP1);
    expect(after.status).toBe(410);
    expect(ErrorBodySchema.parse(await after.json()).error.code).toBe('cursor_reset');
    expect(PullResponseSchema.parse(await (await get(app, '/v1/events', REP1)).json()).events).toHaveLength(2);
  });
});
