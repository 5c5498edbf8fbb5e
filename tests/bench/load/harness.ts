/**
 * Load harness for the sync server (used by `tests/bench/load.bench.ts`; its correctness is
 * checked by `tests/server/load-harness.test.ts`). Reps are simulated, not browsers: each rep's
 * sync round is what the extension's round sends when it has nothing to push (`GET /v1/settings`,
 * then `GET /v1/events?since=<its cursor>`), and decisions arrive in bursts of pushes
 * (`POST /v1/events`, 1..3 decisions each) from random reps. Driven by autocannon:
 * - sync: a fixed rate of `reps × 2 / syncIntervalS` requests a second (every rep once per
 *   interval, round robin), latencies corrected for coordinated omission by autocannon;
 * - bursts: every `burstEveryS`, `burstPushes` pushes as fast as `burstConnections` connections
 *   allow.
 * A rep's cursor is the team's position `syncIntervalS` ago (what a rep syncing on that interval
 * holds), so every pull carries the decisions of the last interval, as in production.
 */
import autocannon from 'autocannon';
import { ulid } from 'ulid';
import type { LeadEvent } from '../../../lib/domain/events';
import { PullResponseSchema, PushResponseSchema } from '../../../lib/protocol/http';
import { hashToken } from '../../../server/src/auth';
import type { Database } from '../../../server/src/db/index';

export const LOAD_TEAM = 'team_load';

export interface Rep {
  userId: string;
  token: string;
}

/** The load team's reps (deterministic ids and tokens, so several processes agree on them). */
export function loadReps(count: number): Rep[] {
  return Array.from({ length: count }, (_, i) => ({ userId: `user_load_${i}`, token: `load-rep-${i}-token` }));
}

/** The load team, its reps and their tokens, in one statement each; idempotent. */
export async function seedLoadTeam(db: Database, reps: readonly Rep[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query("INSERT INTO teams (id, name) VALUES ($1, 'Load 株式会社') ON CONFLICT (id) DO NOTHING", [LOAD_TEAM]);
    await tx.query("INSERT INTO users (id, team_id, name, role) SELECT u, $1, 'rep ' || u, 'rep' FROM unnest($2::text[]) AS u ON CONFLICT (id) DO NOTHING", [LOAD_TEAM, reps.map((r) => r.userId)]);
    await tx.query('INSERT INTO tokens (hash, user_id) SELECT h, u FROM unnest($1::text[], $2::text[]) AS t(h, u) ON CONFLICT (hash) DO NOTHING', [
      reps.map((r) => hashToken(r.token)),
      reps.map((r) => r.userId),
    ]);
  });
}

/** `n` decisions by `rep` on the load team's leads, occurring now. */
export function decisions(rep: Rep, n: number, nowMs: number): LeadEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    schemaVersion: 1,
    id: ulid(nowMs),
    leadKey: `custom:load-lead-${Math.floor(Math.random() * 5000)}`,
    actor: { id: rep.userId, name: rep.userId },
    occurredAt: new Date(nowMs - i).toISOString(),
    definitionVersion: 1,
    type: 'accepted',
    payload: { checklist: {}, temperature: 'warm' },
  })) as LeadEvent[];
}

/** Pushes `total` history decisions in batches of 200 (setup, not measured). */
export async function pushHistory(url: string, reps: readonly Rep[], total: number): Promise<void> {
  for (let done = 0; done < total; done += 200) {
    const rep = reps[(done / 200) % reps.length]!;
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${rep.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: decisions(rep, Math.min(200, total - done), Date.now() - 3600_000) }),
    });
    if (res.status !== 200) throw new Error(`history push: HTTP ${res.status}`);
    await res.arrayBuffer();
  }
}

export interface LoadOptions {
  /** The server instances; requests are spread over them (a load balancer's round robin). */
  urls: readonly string[];
  reps: readonly Rep[];
  durationS: number;
  syncIntervalS: number;
  burstEveryS: number;
  burstPushes: number;
  burstConnections: number;
  /** Connections of the sync mix (enough that the fixed rate is never waiting on one). */
  syncConnections: number;
}

export interface MixFigures {
  requests: number;
  /** Requests answered with a status other than 200 (429 included). */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LoadResult {
  sync: MixFigures;
  push: MixFigures;
  /** Decisions the server answered `accepted` for. */
  accepted: number;
  /** Pull pages whose events did not start right after their cursor or were not contiguous. */
  outOfOrder: number;
  durationS: number;
}

/** Where the team's sequence stood over time, so a rep's cursor can be "as of one interval ago". */
class TeamPosition {
  private log: Array<{ at: number; seq: number }> = [];
  constructor(
    readonly epoch: string,
    seq: number,
  ) {
    this.log.push({ at: 0, seq });
  }
  advance(seq: number, at: number): void {
    const last = this.log[this.log.length - 1]!;
    if (seq > last.seq) this.log.push({ at, seq });
  }
  /** The highest seq known before `at`. */
  asOf(at: number): number {
    let seq = this.log[0]!.seq;
    for (const entry of this.log) {
      if (entry.at > at) break;
      seq = entry.seq;
    }
    return seq;
  }
}

/** The team's epoch and last seq, read through the API (pages of 1000). */
export async function teamPosition(url: string, rep: Rep): Promise<{ epoch: string; seq: number }> {
  let since = '';
  for (;;) {
    const res = await fetch(`${url}/v1/events?limit=1000${since ? `&since=${since}` : ''}`, { headers: { authorization: `Bearer ${rep.token}` } });
    const page = PullResponseSchema.parse(await res.json());
    since = page.nextCursor;
    if (!page.hasMore) break;
  }
  const [epoch, seq] = since.split('.');
  return { epoch: epoch!, seq: Number(seq) };
}

/** What one connection's round carries from its first request to its second (autocannon resets it per round). */
interface RoundContext {
  rep?: Rep;
  since?: number;
}

/**
 * autocannon spreads connections over several URLs (`lib/run.js`: `urls[i % urls.length]`), a
 * load balancer's round robin; its type declarations only know one URL.
 */
const spread = (urls: readonly string[]) => [...urls] as unknown as string;

function figures(result: autocannon.Result): MixFigures {
  return {
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
  };
}

/** Runs the load for `durationS` seconds and reports each mix; bounded in time and in count. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { reps, urls } = options;
  const start = await teamPosition(urls[0]!, reps[0]!);
  const position = new TeamPosition(start.epoch, start.seq);
  const began = Date.now();
  let outOfOrder = 0;
  let accepted = 0;
  let nextSync = 0;
  let nextPush = 0;
  const auth = (rep: Rep) => ({ authorization: `Bearer ${rep.token}` });
  const syncRate = (reps.length * 2) / options.syncIntervalS;

  const sync = autocannon({
    url: spread(urls),
    connections: options.syncConnections,
    overallRate: syncRate,
    duration: options.durationS,
    // a round: the team's settings, then the events since the rep's cursor
    requests: [
      {
        method: 'GET',
        path: '/v1/settings',
        setupRequest: (req, context) => {
          const rep = reps[nextSync++ % reps.length]!;
          (context as RoundContext).rep = rep;
          return { ...req, headers: { ...req.headers, ...auth(rep) } };
        },
      },
      {
        method: 'GET',
        setupRequest: (req, context) => {
          const since = position.asOf(Date.now() - began - options.syncIntervalS * 1000);
          const round = context as RoundContext;
          round.since = since;
          return { ...req, path: `/v1/events?since=${position.epoch}.${since}`, headers: { ...req.headers, ...auth(round.rep!) } };
        },
        onResponse: (status, body, context) => {
          if (status !== 200) return;
          // only the sequences: a zod parse of every page would make the load generator, which
          // shares the machine's two cores with the servers, the bottleneck it measures
          const page = JSON.parse(body) as { events: Array<{ seq: number }> };
          let expected = (context as RoundContext).since! + 1;
          for (const e of page.events) {
            if (e.seq !== expected) outOfOrder++;
            expected = e.seq + 1;
          }
        },
      },
    ],
  });

  const bursts: Array<Promise<autocannon.Result>> = [];
  const burst = () =>
    autocannon({
      url: spread(urls),
      connections: options.burstConnections,
      amount: options.burstPushes,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            const rep = reps[Math.floor(Math.random() * reps.length)]!;
            nextPush++;
            return {
              ...req,
              path: '/v1/events',
              headers: { ...req.headers, ...auth(rep), 'content-type': 'application/json' },
              body: JSON.stringify({ events: decisions(rep, 1 + (nextPush % 3), Date.now()) }),
            };
          },
          onResponse: (status, body) => {
            if (status !== 200) return;
            const { results } = PushResponseSchema.parse(JSON.parse(body));
            for (const r of results) {
              if (r.status !== 'accepted') continue;
              accepted++;
              position.advance(r.seq ?? 0, Date.now() - began);
            }
          },
        },
      ],
    });
  const timer = setInterval(() => bursts.push(burst()), options.burstEveryS * 1000);
  bursts.push(burst());
  const syncResult = await sync;
  clearInterval(timer);
  const pushResults = await Promise.all(bursts);

  // the bursts' figures, merged: counts add up, percentiles are the worst burst's (a bound, not a mean)
  const push = pushResults.map(figures).reduce((a, b) => ({
    requests: a.requests + b.requests,
    non2xx: a.non2xx + b.non2xx,
    errors: a.errors + b.errors,
    p50Ms: Math.max(a.p50Ms, b.p50Ms),
    p99Ms: Math.max(a.p99Ms, b.p99Ms),
    maxMs: Math.max(a.maxMs, b.maxMs),
  }));
  return { sync: figures(syncResult), push, accepted, outOfOrder, durationS: (Date.now() - began) / 1000 };
}
