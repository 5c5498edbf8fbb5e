import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SalDatabase } from '../../lib/db/schema';
import { recordLocalEvent } from '../../lib/db/events-repo';
import { PullResponseSchema } from '../../lib/protocol/http';
import { cursorKv, runSyncRound } from '../../lib/sync/engine';
import { createHttpBackendClient } from '../../lib/sync/http-client';
import { seedDemo } from '../../server/src/admin';
import { runServer, type RunningServer } from '../../server/src/node';
import { accepted, contacted, progressUpdated } from '../unit/domain/builders';
import { sharedDatabase } from './helpers';

/**
 * Two server instances on one database, behind a load balancer that sends each request to either
 * of them: the sync model test's invariants (tests/unit/sync/model.test.ts) must hold. Each
 * browser is the extension's real sync round (`runSyncRound`: Dexie outbox on fake-indexeddb,
 * the HTTP client) over loopback HTTP to real `runServer` instances, so pushes on one instance
 * race pulls and pushes on the other for the team's sequence. Faults are the ones a load
 * balancer adds: a request lost, a reply lost after the commit, a request sent to both instances,
 * a request held and delivered later to the other instance, and an instance restarted
 * (gracefully, as a rolling deploy does) while rounds are running.
 *
 * Invariants after the drain: the server holds every recorded event once, with sequences 1..n;
 * every browser holds exactly those events with the server's sequences and has nothing left to
 * send; and every pull page, from either instance, started right after its cursor and was
 * contiguous (a reader never skips a sequence another instance commits later).
 *
 * On PostgreSQL (`DATABASE_URL`, as `.ci/run` does) each instance has its own pool and their
 * queries run at once. On PGlite both wrap the one in-process database: its queries interleave
 * but never run at once, which still checks the HTTP side (routing, restarts, cursors from
 * either instance) but not the database's concurrency.
 */

const BALANCER = 'http://sal.balancer.test';
const TEAM = 'team_demo';
// two browsers of the same rep, another rep, the admin (reps and admins may record decisions)
const TOKENS = ['demo-rep1-token', 'demo-rep1-token', 'demo-rep2-token', 'demo-admin-token'] as const;
const ACTORS = [
  { id: 'user_demo_rep1', name: '佐藤 健' },
  { id: 'user_demo_rep1', name: '佐藤 健' },
  { id: 'user_demo_rep2', name: '鈴木 花子' },
  { id: 'user_demo_admin', name: '管理者' },
] as const;
const LEADS = ['salesforce:00Q5g00000AbCdEEAV', 'salesforce:00Q5g00000FgHiJEAV', 'custom:lead-3'];

type Fault =
  | 'drop_request' // never reaches an instance
  | 'drop_response' // an instance commits, the reply is lost
  | 'both' // the balancer retries on the other instance while the first still works on it
  | 'late_other'; // held in the network, delivered later to the other instance

type Command =
  | { kind: 'record'; client: number; lead: number; type: 'accepted' | 'contacted' | 'progress' }
  | { kind: 'sync'; client: number }
  | { kind: 'sync_all' }
  | { kind: 'fault'; client: number; fault: Fault }
  | { kind: 'deliver_held' }
  | { kind: 'restart_during_sync'; instance: 0 | 1 };

const clientIdx = fc.integer({ min: 0, max: TOKENS.length - 1 });
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('record' as const),
      client: clientIdx,
      lead: fc.integer({ min: 0, max: LEADS.length - 1 }),
      type: fc.constantFrom('accepted' as const, 'contacted' as const, 'progress' as const),
    }),
    weight: 6,
  },
  { arbitrary: fc.record({ kind: fc.constant('sync' as const), client: clientIdx }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'sync_all' as const }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('fault' as const), client: clientIdx, fault: fc.constantFrom<Fault>('drop_request', 'drop_response', 'both', 'late_other') }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'deliver_held' as const }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('restart_during_sync' as const), instance: fc.constantFrom(0 as const, 1 as const) }), weight: 1 },
);

/** A small seeded generator for the balancer's choices, so a failing run replays the same routing. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Net {
  ports: number[];
  random: () => number;
  held: Array<() => Promise<unknown>>;
  /** Pull pages that were not right after their cursor or not contiguous. */
  violations: string[];
}

/** What the balancer and the network do with one browser's requests. */
class Transport {
  faults: Fault[] = [];
  constructor(private readonly net: Net) {}

  private pick(): number {
    return this.net.random() < 0.5 ? 0 : 1;
  }

  private async deliver(instance: number, url: string, init: RequestInit): Promise<Response> {
    const target = new URL(url);
    const response = await fetch(`http://127.0.0.1:${this.net.ports[instance]}${target.pathname}${target.search}`, {
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      ...(init.body ? { body: init.body as string } : {}),
    });
    if (response.ok && (init.method ?? 'GET') === 'GET' && target.pathname === '/v1/events') this.checkPage(target, instance, await response.clone().json());
    return response;
  }

  private checkPage(url: URL, instance: number, json: unknown): void {
    const page = PullResponseSchema.parse(json);
    const since = url.searchParams.get('since') ?? '';
    let expected = since === '' ? 1 : Number(since.split('.').pop()) + 1;
    for (const e of page.events) {
      if (e.seq !== expected) this.net.violations.push(`instance ${instance}: pull since ${since || 'start'} gave seq ${e.seq} where ${expected} was next`);
      expected = e.seq + 1;
    }
  }

  fetch: typeof fetch = async (input, init = {}) => {
    const url = String(input);
    const instance = this.pick();
    switch (this.faults.shift()) {
      case 'drop_request':
        throw new TypeError('fetch failed');
      case 'drop_response':
        await this.deliver(instance, url, init);
        throw new TypeError('fetch failed');
      case 'both': {
        const [first] = await Promise.allSettled([this.deliver(instance, url, init), this.deliver(1 - instance, url, init)]);
        if (first.status === 'rejected') throw first.reason;
        return first.value;
      }
      case 'late_other':
        this.net.held.push(() => this.deliver(1 - instance, url, init).catch(() => undefined));
        throw new TypeError('network timeout');
      default:
        return this.deliver(instance, url, init);
    }
  };
}

class Client {
  readonly db: SalDatabase;
  readonly transport: Transport;
  private tail: Promise<unknown> = Promise.resolve();
  constructor(
    name: string,
    net: Net,
    private readonly token: string,
    private readonly clock: { t: number },
  ) {
    this.db = new SalDatabase(name);
    this.transport = new Transport(net);
  }

  /** One sync round, one at a time per browser (as the Web Lock does); failures are the network's and are retried later. */
  sync(): Promise<unknown> {
    const run = () =>
      runSyncRound(
        this.db,
        createHttpBackendClient(BALANCER, this.token, this.transport.fetch, () => this.clock.t),
        () => this.clock.t,
        { cursor: cursorKv(BALANCER, TEAM) },
      ).catch(() => undefined);
    this.tail = this.tail.then(run, run);
    return this.tail;
  }
}

let runNo = 0;

async function runModel(seed: number, commands: Command[]): Promise<void> {
  const database = await sharedDatabase();
  await seedDemo(database.first);
  const instances: RunningServer[] = [];
  const start = async () => runServer({ db: await database.open(), port: 0, hostname: '127.0.0.1', config: {} });
  for (let i = 0; i < 2; i++) instances.push(await start());
  const net: Net = { ports: instances.map((s) => s.port), random: mulberry32(seed), held: [], violations: [] };
  // the server judges occurredAt against its own clock: the browsers' clock runs a while behind it
  const clock = { t: Date.now() - 3 * 24 * 3600_000 };
  const run = runNo++;
  const clients = TOKENS.map((token, i) => new Client(`two-instances-${process.pid}-${run}-${i}`, net, token, clock));
  const recorded = new Set<string>();
  const syncAll = () => Promise.all(clients.map((c) => c.sync()));

  try {
    for (const cmd of commands) {
      clock.t += 1000;
      switch (cmd.kind) {
        case 'record': {
          const o = { at: new Date(clock.t), leadKey: LEADS[cmd.lead]!, actor: ACTORS[cmd.client]! };
          const event = cmd.type === 'accepted' ? accepted(o) : cmd.type === 'contacted' ? contacted(o) : progressUpdated(o);
          await recordLocalEvent(clients[cmd.client]!.db, event, clock.t);
          recorded.add(event.id);
          break;
        }
        case 'sync':
          await clients[cmd.client]!.sync();
          break;
        case 'sync_all':
          await syncAll();
          break;
        case 'fault':
          clients[cmd.client]!.transport.faults.push(cmd.fault);
          break;
        case 'deliver_held':
          for (const send of net.held.splice(0)) await send();
          break;
        case 'restart_during_sync': {
          // a rolling deploy: the instance drains while rounds run, and a new one takes its place
          const rounds = syncAll();
          await instances[cmd.instance]!.close();
          instances[cmd.instance] = await start();
          net.ports[cmd.instance] = instances[cmd.instance]!.port;
          await rounds;
          break;
        }
      }
    }

    // Drain: the network heals, held requests land, and every browser syncs (time passing beyond
    // any backoff) until a whole pass changes nothing.
    for (const c of clients) c.transport.faults = [];
    for (const send of net.held.splice(0)) await send();
    let quiet = 0;
    let before = '';
    for (let pass = 0; pass < 12 && quiet < 2; pass++) {
      clock.t += 20 * 60_000;
      for (const c of clients) await c.sync();
      const now = (await Promise.all(clients.map(async (c) => `${await c.db.events.count()}/${await c.db.outbox.count()}/${(await c.db.events.toArray()).filter((e) => e.seq !== null).length}`))).join(
        ',',
      );
      quiet = now === before ? quiet + 1 : 0;
      before = now;
    }

    const { rows } = await database.first.query<{ id: string; seq: unknown }>('SELECT id, seq FROM events ORDER BY seq');
    const serverIds = rows.map((r) => r.id);
    expect(new Set(serverIds).size, 'the server holds an event twice').toBe(serverIds.length);
    expect(
      rows.map((r) => Number(r.seq)),
      'sequences are 1..n without gaps',
    ).toEqual(rows.map((_, i) => i + 1));
    expect([...serverIds].sort(), 'the server holds exactly what was recorded').toEqual([...recorded].sort());
    const serverSeq = new Map(rows.map((r) => [r.id, Number(r.seq)]));
    for (const [i, c] of clients.entries()) {
      const held = await c.db.events.toArray();
      expect(held.map((e) => e.id).sort(), `client ${i} holds the server's events`).toEqual([...serverIds].sort());
      for (const e of held) expect(e.seq, `client ${i} event ${e.id} has the server's sequence`).toBe(serverSeq.get(e.id));
      expect(await c.db.outbox.toArray(), `client ${i} has nothing left to send and no dead letter`).toEqual([]);
    }
    expect(net.violations).toEqual([]);
  } finally {
    for (const c of clients) {
      c.db.close();
      await c.db.delete().catch(() => undefined);
    }
    for (const s of instances) await s.close({ timeoutMs: 2000 }).catch(() => undefined);
    await database.close();
  }
}

// fewer on PGlite, where the instances' queries cannot run at once anyway (see above)
const RUNS = Number(process.env.TWO_INSTANCE_RUNS ?? (process.env.DATABASE_URL?.trim() ? 10 : 4));

describe('two server instances on one database, clients spread over both', () => {
  it(
    'nothing lost, nothing twice, every pull in order, through lost and doubled requests and rolling restarts',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer(), fc.array(commandArb, { minLength: 5, maxLength: 30 }), async (seed, commands) => {
          await runModel(seed, commands);
        }),
        { numRuns: RUNS },
      );
    },
    Math.max(180_000, RUNS * 15_000),
  );
});
