/**
 * `npm start`: the main job on a fresh machine, with nothing to set up.
 * 1. builds the extension (`wxt build` → .output/chrome-mv3)
 * 2. starts the reference sync server on its embedded database (.data/pglite), seeded with a
 *    demo team and fixed demo tokens; with DATABASE_URL set the server uses that database and
 *    the demo team is created there only with `--seed-demo` (its tokens are public)
 * 3. starts the sandbox CRM (a Lightning-like org under the real host names) and hands its leads
 *    over to sales, so the acceptance clocks run
 * 4. prints how to load the extension and what to open; `npm run demo` also opens Chromium with
 *    the extension loaded when a display exists.
 * Ctrl+C stops everything.
 */
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startSandbox, LIGHTNING_HOST } from './server';
import { SANDBOX_LEADS, handoffItemOf } from './leads';
import { chromiumArgs, CHROMIUM_PATH } from '../e2e/harness/browser';
import { demoSeedPlan } from '../../server/src/admin';
import { demoDefinition } from './demo-settings';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = (name: string) => resolve(ROOT, 'node_modules/.bin', name);
const demo = process.argv.includes('--demo');
const serverPort = Number(process.env.PORT ?? 8787);
const sandboxPort = Number(process.env.SANDBOX_PORT ?? 8443);
const dataDir = process.env.SAL_DATA_DIR ?? resolve(ROOT, '.data/pglite');
// a demo on DATABASE_URL migrates it itself, as the embedded database is: `npm start` stays one command
const env = { SAL_MIGRATE_ON_START: '1', ...process.env, PORT: String(serverPort), HOST: '127.0.0.1', SAL_DATA_DIR: dataDir };

function step(text: string) {
  process.stdout.write(`\n▶ ${text}\n`);
}

step('Building the extension (wxt build)…');
const build = spawnSync(BIN('wxt'), ['build'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const plan = demoSeedPlan({ databaseUrl: process.env.DATABASE_URL, seedDemoFlag: process.argv.includes('--seed-demo'), dataDir });
step(plan.message);
if (plan.seed) {
  const seed = spawnSync(BIN('tsx'), ['server/src/cli.ts', 'seed-demo'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (seed.status !== 0) process.exit(seed.status ?? 1);
}

step('Starting the sync server…');
const server = spawn(BIN('tsx'), ['server/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
const serverUrl = `http://127.0.0.1:${serverPort}`;
for (let i = 0; ; i++) {
  if (
    await fetch(`${serverUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    )
  )
    break;
  if (server.exitCode !== null || i > 150) {
    console.error('The sync server did not start (is the port free? set PORT=…)');
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 200));
}

step('Starting the sandbox CRM…');
const sandbox = await startSandbox({ port: sandboxPort });
// the demo marketer's token exists only where the demo team was seeded
const handoffs = !plan.seed
  ? null
  : await fetch(`${serverUrl}/v1/handoffs`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo-marketer-token', 'content-type': 'application/json' },
      body: JSON.stringify({
        handoffs: SANDBOX_LEADS.filter((l) => !l.hostile).map(handoffItemOf),
      }),
    });
if (handoffs && !handoffs.ok) console.warn(`Could not hand the sandbox leads over (HTTP ${handoffs.status}); the panel still works without a hand-off.`);
// the demo team's hand-off rule, and its decisions written back to the sandbox org (受領 → Working - Contacted, …)
const settings = !plan.seed
  ? null
  : await fetch(`${serverUrl}/v1/settings`, {
      method: 'PUT',
      headers: { authorization: 'Bearer demo-admin-token', 'content-type': 'application/json' },
      body: JSON.stringify({ activeDefinition: demoDefinition() }),
    });
if (settings && !settings.ok) console.warn(`Could not set the demo team's hand-off rule and write-back mapping (HTTP ${settings.status}); decisions stay in SAL Bridge.`);

const first = SANDBOX_LEADS[0]!;
const rules = chromiumArgs(sandbox.port).find((a) => a.startsWith('--host-resolver-rules'))!;
const ext = resolve(ROOT, '.output/chrome-mv3');
process.stdout.write(`
SAL Bridge is running.

  Sync server   ${serverUrl}   (${process.env.DATABASE_URL?.trim() ? 'DATABASE_URL' : `embedded database in ${dataDir}`}; API: ${serverUrl}/v1/openapi.json)
  Sandbox CRM   https://${LIGHTNING_HOST}/… served on 127.0.0.1:${sandbox.port}
  Extension     ${ext}

To see the panel:
  1. Start Chromium with the sandbox CRM mapped to its real host name and the extension loaded:

     chromium --user-data-dir=/tmp/sal-demo-profile --ignore-certificate-errors \\
       '${rules}' \\
       --load-extension=${ext} --disable-extensions-except=${ext}

     (as root add --no-sandbox; or, in your own Chrome, open chrome://extensions, turn on
     Developer mode, "Load unpacked" → ${ext}, and map the host name yourself)
  2. The extension's settings page opens from its toolbar icon → 設定を開く.
     Server URL: ${serverUrl}    Token: demo-rep1-token  (another rep: demo-rep2-token)
     → 接続テスト → 保存
  3. Sign in to the sandbox org (the session SAL Bridge writes decisions back with) and open a lead:
     https://acme.my.salesforce.com/__sandbox/login?next=https://${LIGHTNING_HOST}/lightning/r/Lead/${first.id15}/view
     The SAL Bridge card appears under the lead's header: 受領 / 却下 and the SLA countdown.
     After 受領 the card says the CRM was updated; reload: Lead Status reads "Working - Contacted".
  4. The lead list with status badges:  https://${LIGHTNING_HOST}/lightning/o/Lead/list?filterName=Recent
     The team's hand-off rule (Lead Status is "MQL" or "Open - Not Contacted") makes every such
     lead not handed over yet read 受領待ち there at once.

Press Ctrl+C to stop.
`);

if (demo) {
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    process.stdout.write('\n(no display here: `npm run demo` only prints the instructions above)\n');
  } else {
    spawn(
      CHROMIUM_PATH,
      [
        '--user-data-dir=/tmp/sal-demo-profile',
        ...chromiumArgs(sandbox.port),
        `--load-extension=${ext}`,
        `--disable-extensions-except=${ext}`,
        `https://${LIGHTNING_HOST}/lightning/r/Lead/${first.id15}/view`,
      ],
      { stdio: 'ignore', detached: true },
    ).unref();
  }
}

const shutdown = async () => {
  server.kill('SIGTERM');
  await sandbox.close();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
