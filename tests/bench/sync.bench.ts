/**
 * Extension sync benchmark:
 * - sync_push_10k_s: a client (the extension's real push: Dexie outbox on fake-indexeddb, the
 *   HTTP client, batches of 200) pushes 10,000 recorded decisions to the reference server over
 *   loopback; the server runs in this process (`@hono/node-server`) on its embedded database in a
 *   temporary data directory, with its default configuration. Timed from the first batch until
 *   the outbox is empty.
 * `sync_pull_100k_s` is measured by server.bench.ts. Figures on stdout as `name: value unit`;
 * progress on stderr.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { ulid } from 'ulid';
import type { LeadEvent } from '../../lib/domain/events';
import { SalDatabase } from '../../lib/db/schema';
import { emptyRoundResult, pushOutbox, type SyncRoundResult } from '../../lib/sync/engine';
import { createHttpBackendClient } from '../../lib/sync/http-client';
import { createApp } from '../../server/src/app';
import { seedDemo } from '../../server/src/admin';
import { migrate, openPglite } from '../../server/src/db/index';

const N = 10_000;

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

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sal-bench-sync-'));
  const db = await openPglite(dataDir);
  await migrate(db);
  await seedDemo(db);
  const app = createApp({ db });
  const httpServer = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const client = new SalDatabase(`bench-sync-${process.pid}`);
  try {
    process.stderr.write(`recording ${N} decisions in the client's database…\n`);
    // the same rows recordLocalEvent writes, in one transaction: setup, not what is measured
    const events = makeEvents(N);
    const at = Date.now();
    await client.transaction('rw', client.events, client.outbox, async () => {
      await client.events.bulkAdd(events.map((event, i) => ({ id: event.id, leadKey: event.leadKey, event, seq: null, origin: 'local' as const, localOrder: at * 1000 + i })));
      await client.outbox.bulkAdd(events.map((event) => ({ eventId: event.id, attempts: 0, nextAttemptAt: at, lastError: null, deadLetter: null })));
    });

    const backend = createHttpBackendClient(url, 'demo-rep1-token', fetch, Date.now);
    const result: SyncRoundResult = emptyRoundResult();
    const started = performance.now();
    // one round's page budget covers 10,000 events; loop anyway so the figure is "until empty"
    while ((await client.outbox.count()) > 0) await pushOutbox(client, backend, Date.now, result);
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await db.query<{ n: unknown }>('SELECT count(*)::int AS n FROM events');
    if (result.pushed !== N || Number(rows[0]?.n) !== N) throw new Error(`pushed ${result.pushed}, server holds ${String(rows[0]?.n)}`);
    process.stdout.write(`sync_push_10k_s: ${seconds.toFixed(2)} s\n`);
  } finally {
    client.close();
    await new Promise((r) => httpServer.close(r));
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
