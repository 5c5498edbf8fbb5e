/**
 * Diagnostic (no goal): runs the decision benchmark's loop under a browser-wide Chrome trace
 * (IndexedDB backend, LevelDB, user timing, worker tasks, GC) and writes the raw events to
 * $SAL_TRACE_OUT (default /tmp/decision-trace.json) for analysis.
 *   npx tsx tests/bench/extension/decision-trace.ts [decisions]
 */
import { writeFileSync } from 'node:fs';
import { launchWithExtension } from '../../e2e/harness/browser';
import { LIGHTNING_HOST, startSandbox } from '../../sandbox/server';
import { fillerLeads, LIST_FILLER_COUNT } from '../../sandbox/leads';
import { measureDecisionDurable } from './decision-durable';

const CATEGORIES = (
  process.env.SAL_TRACE_CATEGORIES ??
  'IndexedDB,leveldb,blink.user_timing,toplevel,v8.execute,devtools.timeline,disabled-by-default-devtools.timeline,ipc,mojom,ServiceWorker,extensions,v8,disabled-by-default-v8.gc,browser,base,navigation,storage'
).split(',');

async function main(): Promise<void> {
  const n = Number(process.argv[2]) || 20;
  const sandbox = await startSandbox({ fieldDelayMs: 150 });
  const b = await launchWithExtension({ sandboxPort: sandbox.port, extensionPath: process.env.SAL_EXT });
  try {
    const origin = sandbox.url(LIGHTNING_HOST, '').replace(/\/$/, '');
    const browser = b.context.browser();
    if (!browser) throw new Error('no browser object for the persistent context');
    const cdp = await browser.newBrowserCDPSession();
    const events: unknown[] = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown[])));
    const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES }, transferMode: 'ReportEvents' });
    const filler = fillerLeads(LIST_FILLER_COUNT);
    const r = await measureDecisionDurable(b.context, origin, (p) => b.extensionUrl(p), filler.slice(50, 50 + n));
    await cdp.send('Tracing.end');
    await done;
    writeFileSync(process.env.SAL_TRACE_OUT ?? '/tmp/decision-trace.json', JSON.stringify(events));
    process.stderr.write(`samples ${r.samples.join(' ')}\np50 ${r.p50} p95 ${r.p95}; ${events.length} trace events\n`);
  } finally {
    await b.close();
    await sandbox.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`decision-trace failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
