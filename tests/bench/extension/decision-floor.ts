/**
 * The floor under `decision_durable_p95_ms` on this machine (diagnostic, no goal): what the two
 * steps every decision needs cost when they do nothing else, in the same browser, next to the
 * same CRM page and panel as the real measurement:
 * - `message`: a runtime message from the panel frame to the service worker and its reply (the
 *   router answers nothing to a type it does not know, so no handler runs);
 * - `idb_put`: one readwrite transaction in the service worker that adds one record to a
 *   database of its own (one round trip to the IndexedDB backend: the commit is requested with
 *   the write);
 * - `idb_read_then_write`: one transaction that reads three records and adds two, and commits
 *   once the reads have answered (two round trips: the decision's shape, where the records the
 *   event was made from are read back and compared before the commit, lib/db/events-repo.ts).
 * A decision is one message (one way) + its handler + the second shape, so when these floors'
 * p95s add up to more than the goal, no change to our handler alone can meet it here.
 *   npx tsx tests/bench/extension/decision-floor.ts [samples]
 */
import { launchWithExtension, type LaunchedBrowser } from '../../e2e/harness/browser';
import { LIGHTNING_HOST, startSandbox } from '../../sandbox/server';
import { SANDBOX_LEADS } from '../../sandbox/leads';
import { panelFrame } from './panel-visible';
import { median, pageScript, percentile, sleep } from './stats';

async function main(): Promise<void> {
  const n = Number(process.argv[2]) || 40;
  const sandbox = await startSandbox({ fieldDelayMs: 150 });
  let browser: LaunchedBrowser | undefined;
  try {
    const origin = sandbox.url(LIGHTNING_HOST, '').replace(/\/$/, '');
    browser = await launchWithExtension({ sandboxPort: sandbox.port });
    const page = await browser.context.newPage();
    const lead = SANDBOX_LEADS.filter((l) => !l.hostile)[0]!;
    await page.goto(`${origin}/lightning/r/Lead/${lead.id15}/view`);
    const frame = await panelFrame(page);
    const worker = browser.context
      .serviceWorkers()
      .filter((w) => w.url().startsWith('chrome-extension://'))
      .at(-1);
    if (!worker) throw new Error('no extension service worker');
    await worker.evaluate(pageScript(openFloorDb));
    const results: Record<string, number[]> = { message: [], idb_put: [], idb_read_then_write: [] };
    // warm-up round (first compiles, the database's first pages), then the counted ones, interleaved
    for (let i = -3; i < n; i++) {
      const message = (await frame.evaluate(pageScript(timeMessage))) as number;
      await sleep(50);
      const put = (await worker.evaluate(pageScript(timeTransaction, { key: `p${i}`, reads: false }))) as number;
      await sleep(50);
      const readWrite = (await worker.evaluate(pageScript(timeTransaction, { key: `r${i}`, reads: true }))) as number;
      await sleep(50);
      if (i < 0) continue;
      results.message!.push(message);
      results.idb_put!.push(put);
      results.idb_read_then_write!.push(readWrite);
    }
    for (const [name, s] of Object.entries(results)) {
      console.log(`floor_${name}_p50_ms: ${median(s).toFixed(1)} ms`);
      console.log(`floor_${name}_p95_ms: ${percentile(s, 95).toFixed(1)} ms`);
    }
  } finally {
    await browser?.close();
    await sandbox.close();
  }
}

// The functions below run in the browser (serialised by Playwright): no closures.

async function openFloorDb(): Promise<void> {
  const db: IDBDatabase = await new Promise((resolve, reject) => {
    const req = indexedDB.open('sal-floor-probe', 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore('kv');
      req.result.createObjectStore('events');
      req.result.createObjectStore('outbox');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const tx = db.transaction('kv', 'readwrite');
  for (const k of ['me', 'localActor', 'definition']) tx.objectStore('kv').put({ value: { k, at: Date.now() } }, k);
  await new Promise((r) => (tx.oncomplete = r));
  (globalThis as unknown as { __floorDb: IDBDatabase }).__floorDb = db;
}

async function timeTransaction(args: { key: string; reads: boolean }): Promise<number> {
  const db = (globalThis as unknown as { __floorDb: IDBDatabase }).__floorDb;
  const event = { id: args.key, leadKey: 'salesforce:00Q5g00000AbCdEEAV', type: 'accepted', at: Date.now(), payload: { note: 'x'.repeat(200) } };
  const t0 = performance.now();
  const tx = db.transaction(['kv', 'events', 'outbox'], 'readwrite');
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onabort = () => reject(tx.error);
  });
  tx.objectStore('events').add(event, args.key);
  tx.objectStore('outbox').add({ eventId: args.key, attempts: 0 }, args.key);
  if (args.reads) {
    const kv = tx.objectStore('kv');
    const gets = ['me', 'localActor', 'definition'].map((k) => kv.get(k));
    // the commit waits for the reads to answer (the decision compares them first)
    await new Promise((r) => (gets[2]!.onsuccess = r));
  } else tx.commit();
  await done;
  return performance.now() - t0;
}

async function timeMessage(): Promise<number> {
  const t0 = performance.now();
  await (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ type: 'floor.probe' }).catch(() => undefined);
  return performance.now() - t0;
}

main().catch((err: unknown) => {
  process.stderr.write(`decision-floor failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
