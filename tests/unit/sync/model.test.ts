import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SalDatabase } from '../../../lib/db/schema';
import { recordLocalEvent } from '../../../lib/db/events-repo';
import { writeKv } from '../../../lib/db/kv';
import { readDataScope } from '../../../lib/db/scopes';
import { backendKv } from '../../../lib/settings/backend';
import { createSyncService, type SyncService } from '../../../lib/background/sync-service';
import { createApp } from '../../../server/src/app';
import { createToken, seedDemo } from '../../../server/src/admin';
import { migrate, pgliteInSchema, type Database } from '../../../server/src/db/index';
import { accepted, contacted, progressUpdated } from '../domain/builders';

/**
 * Model-based test of sync: several browsers (each its own Dexie database and sync service) and
 * one real reference server in process, joined by a transport that fails the way networks,
 * proxies and servers do. A run is a random sequence of commands; after it, faults stop, every
 * client syncs until quiet, and then everyone must hold exactly the server's events, once each,
 * with nothing anyone recorded missing.
 *
 * Besides the network's faults: values the server refuses (a NUL in a string, year 0000), an
 * event the server answers 500 for whenever it is in a batch, proxy 404/502 HTML storms, the
 * backend saved again with a new token, the server's database reset (a new epoch: 410), and
 * switches to another team's server and back. Invariants: nothing recorded is lost (it is on
 * the server it was recorded for, or still waiting for it), nothing reaches another team's
 * server, only refused values are dead-lettered, and every client ends with the server's
 * events and sequences.
 */

/** Two teams' servers: the model's team A (where every client starts and ends) and team B. */
const URLS = ['https://sal.model.test', 'https://sal-b.model.test'] as const;
// the third client is the admin: reps and admins may record decisions, a marketer may not (roles.ts)
const TOKENS = ['demo-rep1-token', 'demo-rep2-token', 'demo-admin-token'] as const;
/** A second token of the same user, for "saved again with a new token". */
const altToken = (i: number) => `${TOKENS[i]}-renewed`;
/** The users behind TOKENS (server/src/admin.ts demo seed): the server takes events in its caller's name only. */
const ACTORS = [
  { id: 'user_demo_rep1', name: '佐藤 健' },
  { id: 'user_demo_rep2', name: '鈴木 花子' },
  { id: 'user_demo_admin', name: '管理者' },
] as const;
const CLIENTS = TOKENS.length;
const LEADS = ['salesforce:00Q5g00000AbCdEEAV', 'salesforce:00Q5g00000FgHiJEAV', 'custom:lead-3'];
const RETRY_AFTER_S = 30;
const START = Date.parse('2026-11-24T00:00:00Z');

type Fault =
  | 'drop_request' // never reaches the server; the client sees a network error
  | 'drop_response' // the server commits, the reply is lost
  | 'duplicate' // a proxy sends the request twice
  | 'late' // held in the network: the client gives up, the server gets it later (reordered)
  | 'replay_later' // delivered now and a stale copy again later
  | 'slow' // delivered after other traffic had a chance to run
  | 'http_500'
  | 'http_429'
  | 'html_404' // a proxy's page during a deploy
  | 'html_502';

/** Values the server refuses for good (`rejected`), and one it chokes on (500 for any batch holding it). */
type Poison = 'nul' | 'year0' | 'choke';

type Command =
  | { kind: 'record'; client: number; lead: number; type: 'accepted' | 'contacted' | 'progress' }
  | { kind: 'sync'; client: number; reason: 'alarm' | 'recorded' | 'user' }
  | { kind: 'sync_two'; a: number; b: number }
  | { kind: 'record_during_sync'; client: number; lead: number }
  | { kind: 'fault'; client: number; fault: Fault }
  | { kind: 'stop_worker'; client: number; afterRequests: number; delivered: boolean }
  | { kind: 'deliver_held' }
  | { kind: 'tick'; ms: number }
  | { kind: 'record_poison'; client: number; lead: number; poison: Poison }
  | { kind: 'storm'; client: number; status: 404 | 502; requests: number }
  | { kind: 'resave_token'; client: number }
  | { kind: 'switch'; client: number; to: 0 | 1 }
  | { kind: 'reset_server' };

interface Net {
  /** The server behind each URL's origin. */
  apps: Map<string, Hono<never>>;
  /** Event ids the server answers 500 for, whichever batch they are in (a value it chokes on). */
  chokes: Set<string>;
  clock: { t: number };
  /** Requests the network holds back and delivers later (late and replayed copies). */
  held: Array<() => Promise<unknown>>;
  /** Broken promises: requests sent while the server had asked to wait (Retry-After). */
  violations: string[];
}

/** One browser's link to the server, with the faults queued for its next requests. */
class Transport {
  faults: Fault[] = [];
  /** The service worker is stopped while this request is in flight (see `stopWorker`). */
  stopAt: { afterRequests: number; delivered: boolean; onStop: () => void } | null = null;
  /** Until then the server asked this client to wait; requests before are a violation unless the user asked. */
  waitUntil = 0;
  userRound = false;
  requests = 0;

  constructor(
    private readonly net: Net,
    private readonly name: string,
  ) {}

  private async deliver(url: string, init: RequestInit): Promise<Response> {
    // the server itself fails on these values, however the request reaches it (late, replayed, twice)
    if (init.method === 'POST' && [...this.net.chokes].some((id) => String(init.body).includes(id))) {
      return new Response('{"error":{"code":"internal","message":"the server chokes on this value"}}', { status: 500, headers: { 'content-type': 'application/json' } });
    }
    const headers = new Headers(init.headers);
    // each delivery gets its own copy: the same request may reach the server twice
    const app = this.net.apps.get(new URL(url).origin)!;
    return app.request(url, { method: init.method ?? 'GET', headers, ...(init.body ? { body: init.body as string } : {}) });
  }

  fetch: typeof fetch = async (input, init = {}) => {
    const url = String(input);
    const now = this.net.clock.t;
    if (now < this.waitUntil && !this.userRound) this.net.violations.push(`${this.name} sent ${init.method ?? 'GET'} ${url} ${this.waitUntil - now} ms before Retry-After allowed`);
    this.requests++;
    if (this.stopAt && this.requests > this.stopAt.afterRequests) {
      const stop = this.stopAt;
      this.stopAt = null;
      if (stop.delivered) await this.deliver(url, init);
      stop.onStop();
      // the worker is gone: this request never answers, and nothing after it runs
      return new Promise<Response>(() => undefined);
    }
    const response = await this.send(url, init, now);
    // a success supersedes an earlier Retry-After: the server is answering again
    if (response.ok) this.waitUntil = 0;
    return response;
  };

  private async send(url: string, init: RequestInit, now: number): Promise<Response> {
    const fault = this.faults.shift();
    switch (fault) {
      case 'drop_request':
        throw new TypeError('Failed to fetch');
      case 'drop_response':
        await this.deliver(url, init);
        throw new TypeError('Failed to fetch');
      case 'duplicate': {
        const [first] = await Promise.all([this.deliver(url, init), this.deliver(url, init)]);
        return first;
      }
      case 'late':
        this.net.held.push(() => this.deliver(url, init));
        throw new TypeError('network timeout');
      case 'replay_later':
        this.net.held.push(() => this.deliver(url, init));
        return this.deliver(url, init);
      case 'slow':
        for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 1));
        return this.deliver(url, init);
      case 'http_500':
        return new Response('{"error":{"code":"internal","message":"injected"}}', { status: 500 });
      case 'html_404':
        return new Response('<html><body><h1>404 Not Found</h1><hr>nginx</body></html>', { status: 404, headers: { 'content-type': 'text/html' } });
      case 'html_502':
        return new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', { status: 502, headers: { 'content-type': 'text/html' } });
      case 'http_429':
        this.waitUntil = now + RETRY_AFTER_S * 1000;
        return new Response('{"error":{"code":"rate_limited","message":"injected"}}', { status: 429, headers: { 'retry-after': String(RETRY_AFTER_S) } });
      default:
        return this.deliver(url, init);
    }
  }
}

/** A browser: its database (which survives the worker) and its sync service (which does not). */
class Client {
  db: SalDatabase;
  service: SyncService;
  readonly transport: Transport;
  /** The backend saved in this browser's settings: which server, and whether the renewed token. */
  server: 0 | 1 = 0;
  renewed = false;
  /** In-memory lock of this worker; a stopped worker's lock dies with it, as Web Locks do. */
  private lockTail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dbName: string,
    net: Net,
    index: number,
  ) {
    this.transport = new Transport(net, `client ${index}`);
    this.db = new SalDatabase(dbName);
    this.service = this.buildService(net);
  }

  buildService(net: Net): SyncService {
    this.lockTail = Promise.resolve();
    return createSyncService({
      db: this.db,
      now: () => net.clock.t,
      random: () => 0.5,
      fetch: this.transport.fetch,
      onLeadsChanged: () => undefined,
      onSynced: () => undefined,
      runExclusive: <T>(fn: () => Promise<T>) => {
        const run = this.lockTail.then(fn, fn);
        this.lockTail = run.catch(() => undefined);
        return run;
      },
    });
  }

  /** The service worker is stopped: memory is gone; a new worker opens the same database. */
  restart(net: Net): void {
    this.db.close();
    this.db = new SalDatabase(this.dbName);
    this.service = this.buildService(net);
  }
}

/** One embedded PostgreSQL per team server: a PGlite connection has one search_path, so two servers cannot share it. */
const pgs: PGlite[] = [];
let runNo = 0;

beforeAll(async () => {
  for (let i = 0; i < URLS.length; i++) pgs.push(await PGlite.create('memory://'));
}, 60_000);
afterAll(async () => {
  for (const pg of pgs) await pg.close();
});

async function freshServer(team: 0 | 1): Promise<{ db: Database; app: Hono<never>; schema: string }> {
  // a schema per run: PGlite starts once per file (seconds), a schema takes milliseconds
  const schema = `sync_model_${process.pid}_${runNo++}`;
  const db = await pgliteInSchema(pgs[team]!, schema);
  await migrate(db);
  await seedDemo(db);
  for (const [i, actor] of ACTORS.entries()) await createToken(db, actor.id, altToken(i));
  const app = createApp({ db, config: { rateLimit: false } }) as unknown as Hono<never>;
  return { db, app, schema };
}

const clientIdx = fc.integer({ min: 0, max: CLIENTS - 1 });
const faultArb = fc.constantFrom<Fault>('drop_request', 'drop_response', 'duplicate', 'late', 'replay_later', 'slow', 'http_500', 'http_429', 'html_404', 'html_502');
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('record' as const),
      client: clientIdx,
      lead: fc.integer({ min: 0, max: LEADS.length - 1 }),
      type: fc.constantFrom('accepted' as const, 'contacted' as const, 'progress' as const),
    }),
    weight: 5,
  },
  { arbitrary: fc.record({ kind: fc.constant('sync' as const), client: clientIdx, reason: fc.constantFrom('alarm' as const, 'recorded' as const, 'user' as const) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('sync_two' as const), a: clientIdx, b: clientIdx }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('record_during_sync' as const), client: clientIdx, lead: fc.integer({ min: 0, max: LEADS.length - 1 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('fault' as const), client: clientIdx, fault: faultArb }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('stop_worker' as const), client: clientIdx, afterRequests: fc.integer({ min: 0, max: 5 }), delivered: fc.boolean() }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'deliver_held' as const }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 60_000 }) }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('record_poison' as const),
      client: clientIdx,
      lead: fc.integer({ min: 0, max: LEADS.length - 1 }),
      poison: fc.constantFrom<Poison>('nul', 'year0', 'choke'),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('storm' as const), client: clientIdx, status: fc.constantFrom(404 as const, 502 as const), requests: fc.integer({ min: 2, max: 12 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('resave_token' as const), client: clientIdx }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('switch' as const), client: clientIdx, to: fc.constantFrom(0 as const, 1 as const) }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'reset_server' as const }), weight: 1 },
);

function makeEvent(type: 'accepted' | 'contacted' | 'progress', leadKey: string, at: number, actor: (typeof ACTORS)[number]) {
  const o = { at: new Date(at), leadKey, actor };
  if (type === 'accepted') return accepted(o);
  if (type === 'contacted') return contacted(o);
  return progressUpdated(o);
}

/** Runs one sync round as the given trigger would; the user's button may ignore Retry-After. */
async function sync(client: Client, reason: 'alarm' | 'recorded' | 'user' | 'drain'): Promise<void> {
  client.transport.userRound = reason === 'user';
  try {
    await client.service.requestSync(reason === 'drain' ? 'alarm' : reason, { force: reason === 'recorded' });
  } finally {
    client.transport.userRound = false;
  }
}

async function runModel(commands: Command[]): Promise<void> {
  const servers = [await freshServer(0), await freshServer(1)];
  /** Servers replaced by a reset, dropped at the end. */
  const retired: Array<Awaited<ReturnType<typeof freshServer>>> = [];
  const net: Net = { apps: new Map(URLS.map((u, i) => [new URL(u).origin, servers[i]!.app])), chokes: new Set(), clock: { t: START }, held: [], violations: [] };
  /** Every event recorded, with the server it was recorded for (the backend saved in that browser then). */
  const recorded = new Map<string, 0 | 1>();
  /** Events with a value the server refuses for good. */
  const refused = new Set<string>();
  const clients = Array.from({ length: CLIENTS }, (_, i) => new Client(`sync-model-${runNo}-${i}`, net, i));
  const saveBackend = (c: Client) => writeKv(c.db, backendKv, { mode: 'server', url: URLS[c.server], token: c.renewed ? altToken(clients.indexOf(c)) : TOKENS[clients.indexOf(c)]! });
  /** What the options page does on save: store, then tell the background (the user's click: Retry-After does not hold it). */
  const save = async (c: Client) => {
    await saveBackend(c);
    c.transport.userRound = true;
    try {
      await c.service.backendChanged();
    } finally {
      c.transport.userRound = false;
    }
  };
  // every browser starts signed in to team A and synced once, so a decision belongs to the team saved when it is made
  for (const c of clients) {
    await saveBackend(c);
    await sync(c, 'user');
  }

  const record = async (c: Client, lead: number, type: 'accepted' | 'contacted' | 'progress', poison?: Poison) => {
    net.clock.t += 1000;
    let event = makeEvent(type, LEADS[lead]!, net.clock.t, ACTORS[clients.indexOf(c)]!);
    // past the schema on purpose: these are what a reader or an old version could still produce
    if (poison === 'nul') event = { ...event, lead: { ...event.lead, company: `株式会社\u0000テスト` } };
    if (poison === 'year0') event = { ...event, occurredAt: '0000-01-01T00:00:00.000Z' };
    if (poison === 'nul' || poison === 'year0') refused.add(event.id);
    if (poison === 'choke') net.chokes.add(event.id);
    await recordLocalEvent(c.db, event, net.clock.t);
    recorded.set(event.id, c.server);
  };

  try {
    for (const cmd of commands) {
      net.clock.t += 500;
      switch (cmd.kind) {
        case 'record':
          await record(clients[cmd.client]!, cmd.lead, cmd.type);
          break;
        case 'record_poison':
          await record(clients[cmd.client]!, cmd.lead, 'accepted', cmd.poison);
          break;
        case 'sync':
          await sync(clients[cmd.client]!, cmd.reason);
          break;
        case 'sync_two':
          // the same client twice is two triggers racing for its lock
          await Promise.all([sync(clients[cmd.a]!, 'recorded'), sync(clients[cmd.b]!, 'alarm')]);
          break;
        case 'record_during_sync': {
          const c = clients[cmd.client]!;
          c.transport.faults.unshift('slow', 'slow', 'slow');
          const round = sync(c, 'user');
          await new Promise((r) => setTimeout(r, 2));
          await record(c, cmd.lead, 'progress');
          await round;
          break;
        }
        case 'fault':
          clients[cmd.client]!.transport.faults.push(cmd.fault);
          break;
        case 'storm':
          clients[cmd.client]!.transport.faults.push(...Array.from({ length: cmd.requests }, () => (cmd.status === 404 ? ('html_404' as const) : ('html_502' as const))));
          break;
        case 'resave_token': {
          const c = clients[cmd.client]!;
          c.renewed = !c.renewed;
          await save(c);
          break;
        }
        case 'switch': {
          const c = clients[cmd.client]!;
          // the other server never asked this browser to wait
          if (c.server !== cmd.to) c.transport.waitUntil = 0;
          c.server = cmd.to;
          await save(c);
          break;
        }
        case 'reset_server': {
          // team A's database is replaced by an empty one (a new epoch): its history is gone
          retired.push(servers[0]!);
          servers[0] = await freshServer(0);
          net.apps.set(new URL(URLS[0]).origin, servers[0].app);
          break;
        }
        case 'stop_worker': {
          const c = clients[cmd.client]!;
          let stopped!: () => void;
          const stop = new Promise<void>((r) => (stopped = r));
          c.transport.stopAt = { afterRequests: c.transport.requests + cmd.afterRequests, delivered: cmd.delivered, onStop: stopped };
          // the round may end before reaching the request where the worker stops: then it stops idle
          await Promise.race([stop, sync(c, 'user')]);
          c.transport.stopAt = null;
          c.transport.faults = [];
          c.restart(net);
          break;
        }
        case 'deliver_held':
          for (const send of net.held.splice(0)) await send();
          break;
        case 'tick':
          net.clock.t += cmd.ms;
          break;
      }
    }

    // Drain: the network heals, held requests land, every browser goes back to team A, time
    // passes beyond any backoff, and every client syncs on its alarm until a whole pass changes nothing.
    for (const c of clients) c.transport.faults = [];
    for (const send of net.held.splice(0)) await send();
    for (const c of clients) {
      if (c.server === 1) {
        c.server = 0;
        c.transport.waitUntil = 0;
        await save(c);
      }
    }
    let quiet = 0;
    for (let pass = 0; pass < 12 && quiet < 2; pass++) {
      net.clock.t += 20 * 60_000;
      const before = await snapshot(clients);
      for (const c of clients) await sync(c, 'drain');
      quiet = (await snapshot(clients)) === before ? quiet + 1 : 0;
    }

    const chokes = net.chokes;
    const idsOn = async (server: (typeof servers)[number]) => (await server.db.query<{ id: string; seq: string }>('SELECT id, seq FROM events ORDER BY seq')).rows;
    const rowsA = await idsOn(servers[0]!);
    const serverIds = rowsA.map((r) => r.id);
    expect(new Set(serverIds).size, 'the server holds an event twice').toBe(serverIds.length);
    const forA = [...recorded].filter(([id, to]) => to === 0 && !refused.has(id) && !chokes.has(id)).map(([id]) => id);
    expect([...serverIds].sort(), "team A's server holds exactly what was recorded for it (refused values aside)").toEqual([...forA].sort());

    // Team B got only what was recorded for it; what it lacks still waits in the browser that recorded it.
    const idsB = (await idsOn(servers[1]!)).map((r) => r.id);
    for (const id of idsB) expect(recorded.get(id), `event ${id} on team B's server was recorded for team A`).toBe(1);
    const waitingForB = new Set<string>();
    for (const c of clients) for (const e of await c.db.shelvedOutbox.toArray()) if (e.deadLetter === null && e.scope.startsWith(URLS[1])) waitingForB.add(e.eventId);
    for (const [id, to] of recorded) {
      if (to !== 1 || refused.has(id) || chokes.has(id)) continue;
      expect(idsB.includes(id) || waitingForB.has(id), `event ${id} recorded for team B is lost`).toBe(true);
    }

    const serverSeq = new Map(rowsA.map((r) => [r.id, Number(r.seq)]));
    for (const [i, c] of clients.entries()) {
      expect(await readDataScope(c.db), `client ${i} is on team A`).toMatchObject({ url: URLS[0], teamId: 'team_demo' });
      const held = (await c.db.events.toArray()).filter((e) => !refused.has(e.id) && !chokes.has(e.id));
      expect(held.map((e) => e.id).sort(), `client ${i} holds the server's events`).toEqual([...serverIds].sort());
      for (const e of held) expect(e.seq, `client ${i} event ${e.id} has the server's sequence`).toBe(serverSeq.get(e.id));
      const outbox = [...(await c.db.outbox.toArray()), ...(await c.db.shelvedOutbox.toArray())];
      for (const e of outbox) {
        if (e.deadLetter !== null) expect(refused.has(e.eventId) || chokes.has(e.eventId), `client ${i} dead-lettered ${e.eventId} for a transient error: ${e.deadLetter.reason}`).toBe(true);
      }
      const pending = (await c.db.outbox.toArray()).filter((e) => e.deadLetter === null).map((e) => e.eventId);
      expect(
        pending.filter((id) => !chokes.has(id)),
        `client ${i} has nothing left to send`,
      ).toEqual([]);
      // a value the server refuses, recorded for team A, is in the dead-letter list with the server's reason
      for (const e of await c.db.outbox.toArray()) if (refused.has(e.eventId)) expect(e.deadLetter?.reason, `client ${i}: ${e.eventId}`).toMatch(/invalid/);
    }
    expect(net.violations).toEqual([]);
  } finally {
    for (const c of clients) {
      c.db.close();
      await c.db.delete().catch(() => undefined);
    }
    for (const server of [...servers, ...retired]) await server.db.exec(`DROP SCHEMA IF EXISTS ${server.schema} CASCADE`).catch(() => undefined);
  }
}

/** What a pass of the drain could change: rows, queue, dead letters, failure counts, shelves. */
async function snapshot(clients: Client[]): Promise<string> {
  const parts = await Promise.all(
    clients.map(async (c) => {
      const outbox = await c.db.outbox.toArray();
      const seqs = (await c.db.events.toArray()).filter((e) => e.seq !== null).length;
      return `${await c.db.events.count()}/${seqs}/${outbox.length}/${outbox.filter((e) => e.deadLetter).length}/${outbox.reduce((n, e) => n + e.attempts, 0)}/${await c.db.shelvedEvents.count()}`;
    }),
  );
  return parts.join(',');
}

const RUNS = Number(process.env.SYNC_MODEL_RUNS ?? 60);

describe('sync model: clients, two teams’ servers, a faulty network, poison values, resets and stopped workers', () => {
  it(
    'after draining, every client holds exactly the server events, once each, nothing lost, nothing leaked, no transient dead letter',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(commandArb, { minLength: 5, maxLength: 40 }), async (commands) => {
          await runModel(commands);
        }),
        { numRuns: RUNS },
      );
      // about a second per run on a shared machine, with room to spare
    },
    Math.max(180_000, RUNS * 5_000),
  );
});
