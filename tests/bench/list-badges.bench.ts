/**
 * List badges at scale (issue 11, item 6), in Debian's Chromium with the built extension:
 * - list_badges_2000_rows_ms (goal ≤ 100): 2,000 rows inserted at once into the sandbox's
 *   Lightning-like list (tests/sandbox/list-scale.ts, `sandboxPage=2000`) → every row has its
 *   badge. Both instants are the page's own (`performance.now()` just before the rows go into the
 *   table, and in the page's MutationObserver callback that first counts 2,000 badges), so the
 *   figure holds the content script's frame, the worker's answer for 2,000 leads (IndexedDB read,
 *   fold, clocks, tooltips) and the badges' writes. Four in five of the leads have events. Median
 *   of 7 page loads after one warm-up load (which starts the worker and fills its caches).
 * Expects `.output/chrome-mv3` (run `npx wxt build` first); builds nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_EXTENSION_PATH, launchWithExtension, type LaunchedBrowser } from '../e2e/harness/browser';
import { seed } from '../e2e/harness/extension-db';
import { LIGHTNING_HOST, startSandbox, type Sandbox } from '../sandbox/server';
import { SCALE_ROWS, scaleLeads, scaleListEvents } from '../sandbox/list-scale';
import { median, progress } from './extension/stats';

const LOADS = 7;
/** The rows are rendered this long after the page loads, once our content script is listening. */
const RENDER_DELAY_MS = 1500;

async function main(): Promise<void> {
  if (!existsSync(join(DEFAULT_EXTENSION_PATH, 'manifest.json'))) {
    process.stderr.write(`list-badges.bench: no built extension at ${DEFAULT_EXTENSION_PATH}; run \`npx wxt build\` first\n`);
    process.exit(1);
  }
  let sandbox: Sandbox | undefined;
  let b: LaunchedBrowser | undefined;
  try {
    sandbox = await startSandbox();
    b = await launchWithExtension({ sandboxPort: sandbox.port });
    await seed(b, scaleListEvents('salesforce', scaleLeads(SCALE_ROWS)));
    const url = sandbox.url(LIGHTNING_HOST, `/lightning/o/Lead/list?filterName=Scale&sandboxScale=${SCALE_ROWS}&sandboxPage=${SCALE_ROWS}&sandboxDelay=${RENDER_DELAY_MS}`);
    const samples: number[] = [];
    for (let i = 0; i <= LOADS; i++) {
      const page = await b.context.newPage();
      await page.goto(url);
      await page.waitForFunction(() => (window as unknown as { __scale: { badgedAt: number } }).__scale.badgedAt > 0, null, { timeout: 30_000 });
      const ms = await page.evaluate(() => {
        const scale = (window as unknown as { __scale: { insertedAt: number; badgedAt: number } }).__scale;
        return scale.badgedAt - scale.insertedAt;
      });
      await page.close();
      if (i > 0) samples.push(ms);
    }
    progress(`list badges, 2,000 rows (ms): ${samples.map((s) => s.toFixed(1)).join(' ')}`);
    console.log(`list_badges_2000_rows_ms: ${median(samples).toFixed(1)} ms`);
  } finally {
    await b?.close();
    await sandbox?.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`list-badges.bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
