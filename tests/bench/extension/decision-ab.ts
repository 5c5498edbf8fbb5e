/**
 * A/B of `decision_durable_p95_ms` between two builds in one run (diagnostic, no goal): two
 * browsers, one per build, take turns in blocks of decisions (the same sandbox, the machine's
 * noise shared alike), so a change is judged against the build before it rather than against a
 * figure from another run. The first block of each browser is warm-up (the policy wait after a
 * start, first compiles) and is not counted.
 *   npx tsx tests/bench/extension/decision-ab.ts <dir of build A> <dir of build B> [rounds] [per block]
 */
import { launchWithExtension, type LaunchedBrowser } from '../../e2e/harness/browser';
import { LIGHTNING_HOST, startSandbox } from '../../sandbox/server';
import { fillerLeads, LIST_FILLER_COUNT } from '../../sandbox/leads';
import { measureDecisionDurable } from './decision-durable';
import { median, percentile, progress } from './stats';

async function main(): Promise<void> {
  const [a, b] = process.argv.slice(2, 4);
  if (!a || !b) throw new Error('usage: decision-ab.ts <build A> <build B> [rounds] [per block]');
  const rounds = Number(process.argv[4]) || 4;
  const block = Number(process.argv[5]) || 10;
  const leads = fillerLeads(LIST_FILLER_COUNT);
  if ((rounds + 1) * block > leads.length) throw new Error(`at most ${Math.floor(leads.length / block) - 1} rounds of ${block}`);
  const sandbox = await startSandbox({ fieldDelayMs: 150 });
  const browsers: Record<'A' | 'B', LaunchedBrowser | undefined> = { A: undefined, B: undefined };
  try {
    const origin = sandbox.url(LIGHTNING_HOST, '').replace(/\/$/, '');
    browsers.A = await launchWithExtension({ sandboxPort: sandbox.port, extensionPath: a });
    browsers.B = await launchWithExtension({ sandboxPort: sandbox.port, extensionPath: b });
    const samples: Record<'A' | 'B', number[]> = { A: [], B: [] };
    for (let r = 0; r <= rounds; r++) {
      // alternate which build goes first, so neither always follows the other's work
      for (const v of r % 2 ? (['B', 'A'] as const) : (['A', 'B'] as const)) {
        const br = browsers[v]!;
        const res = await measureDecisionDurable(br.context, origin, (p) => br.extensionUrl(p), leads.slice(r * block, (r + 1) * block));
        if (r > 0) samples[v].push(...res.samples);
        progress(`round ${r} ${v}${r === 0 ? ' (warm-up)' : ''}: median ${res.p50} p95 ${res.p95}: ${res.samples.join(' ')}`);
      }
    }
    for (const v of ['A', 'B'] as const) {
      const s = samples[v];
      console.log(`${v}: n ${s.length} median ${median(s).toFixed(1)} p90 ${percentile(s, 90).toFixed(1)} p95 ${percentile(s, 95).toFixed(1)} ms; sorted ${[...s].sort((x, y) => x - y).join(' ')}`);
    }
  } finally {
    await browsers.A?.close();
    await browsers.B?.close();
    await sandbox.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`decision-ab failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
