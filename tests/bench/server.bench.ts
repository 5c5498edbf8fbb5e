/**
 * Reference sync server benchmarks (embedded PGlite, in memory, one process):
 * - server_ingest_vs_raw_ratio: 10,000 events pushed through the API (`app.request`, batches of
 *   200: auth, validation, per-team sequence, idempotent insert) divided by a raw batched insert
 *   of the same rows (multi-row INSERT … VALUES, 200 rows a statement) into the same database.
 *   Each side runs twice, alternating, on fresh schemas; the best of each is used.
 * - sync_pull_100k_s: a fresh reader pulls 100,000 events through the API, 1,000 per page.
 * Figures on stdout as `name: value unit`; progress on stderr.
 */
import { PGlite } from '@electric-sql/pglite';
import { ulid } from 'ulid';
import type { LeadEvent } from '../../lib/domain/events';
import { PullResponseSchema } from '../../lib/protocol/http';
import { seedDemo } from '../../server/src/admin';
import { createApp } from '../../server/src/app';
import { migrate, pgliteInSchema, type Database } from '../../server/src/db/index';

const BATCH = 200;
const N = 10_000;
const PULL_N = 100_000;

function makeEvents(n: number): LeadEvent[] {
  const base = Date.parse('2026-11-01T00:00:00Z');
  return Array.from({ length: n }, (_, i) => ({
    schemaVersion: 1,
    id: ulid(base + i),
    leadKey: `custom:lead-${i % 2000}`,
    actor: { id: 'user_demo_rep1', name: '佐藤 健' },
    occurredAt: new Date(base + i * 1000).toISOString(),
    definitionVersion: 1,
    lead: { name: '山田 太郎', company: '株式会社サンプル', email: 'yamada@example.co.jp' },
    type: 'accepted',
    payload: { checklist: { decision_maker: true, 'bant.budget': true }, temperature: 'warm', comment: '受領しました' },
  })) as LeadEvent[];
}

let schemas = 0;
async function freshSchema(pg: PGlite): Promise<Database> {
  const db = await pgliteInSchema(pg, `bench_${schemas++}`);
  await migrate(db);
  await seedDemo(db);
  return db;
}

async function viaApi(db: Database, events: LeadEvent[]): Promise<number> {
  const app = createApp({ db, config: { rateLimit: false, bodyLimitBytes: 4 * 1024 * 1024 } });
  const started = performance.now();
  for (let i = 0; i < events.length; i += BATCH) {
    const res = await app.request('/v1/events', {
      method: 'POST',
      headers: { authorization: 'Bearer demo-rep1-token', 'content-type': 'application/json' },
      body: JSON.stringify({ events: events.slice(i, i + BATCH) }),
    });
    if (res.status !== 200) throw new Error(`push failed: HTTP ${res.status}`);
    await res.arrayBuffer();
  }
  return performance.now() - started;
}

async function raw(db: Database, events: LeadEvent[]): Promise<number> {
  const receivedAt = new Date().toISOString();
  const started = performance.now();
  for (let i = 0; i < events.length; i += BATCH) {
    const batch = events.slice(i, i + BATCH);
    const params: unknown[] = [];
    const rows = batch.map((e, k) => {
      params.push('team_demo', i + k + 1, e.id, e.leadKey, e.type, e.actor.id, e.occurredAt, receivedAt, JSON.stringify(e), e.actor.id);
      const p = k * 10;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7}, $${p + 8}, $${p + 9}::jsonb, $${p + 10})`;
    });
    await db.query(`INSERT INTO events (team_id, seq, id, lead_key, type, actor_id, occurred_at, received_at, body, submitted_by) VALUES ${rows.join(',')}`, params);
  }
  return performance.now() - started;
}

async function main(): Promise<void> {
  const pg = await PGlite.create('memory://');
  const events = makeEvents(N);
  const apiTimes: number[] = [];
  const rawTimes: number[] = [];
  for (let round = 0; round < 2; round++) {
    rawTimes.push(await raw(await freshSchema(pg), events));
    apiTimes.push(await viaApi(await freshSchema(pg), events));
    process.stderr.write(`# round ${round + 1}: raw ${rawTimes.at(-1)!.toFixed(0)} ms, api ${apiTimes.at(-1)!.toFixed(0)} ms\n`);
  }
  const ratio = Math.min(...apiTimes) / Math.min(...rawTimes);
  process.stdout.write(`server_ingest_vs_raw_ratio: ${ratio.toFixed(2)} ratio\n`);

  // 100,000 events stored through the API (untimed), then a fresh reader pulls them all.
  const big = await freshSchema(pg);
  const bigEvents = makeEvents(PULL_N);
  await viaApi(big, bigEvents);
  const app = createApp({ db: big, config: { rateLimit: false } });
  const started = performance.now();
  let since = '';
  let count = 0;
  let serving = 0;
  for (;;) {
    const asked = performance.now();
    const res = await app.request(`/v1/events?since=${since}&limit=1000`, { headers: { authorization: 'Bearer demo-rep2-token' } });
    const text = await res.text();
    serving += performance.now() - asked;
    // parsed and validated as a client would, so the figure is what a fresh client waits for
    const page = PullResponseSchema.parse(JSON.parse(text));
    count += page.events.length;
    since = page.nextCursor;
    if (!page.hasMore) break;
  }
  const seconds = (performance.now() - started) / 1000;
  if (count !== PULL_N) throw new Error(`pulled ${count} events, expected ${PULL_N}`);
  process.stderr.write(`# pull: server ${(serving / 1000).toFixed(2)} s of ${seconds.toFixed(2)} s (the rest is the client's JSON parse and zod validation)\n`);
  process.stdout.write(`sync_pull_100k_s: ${seconds.toFixed(2)} s\n`);
  await pg.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
