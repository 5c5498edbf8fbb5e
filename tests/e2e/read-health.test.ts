import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startSandbox, LIGHTNING_HOST, type Sandbox } from '../sandbox/server';
import { SANDBOX_LEADS } from '../sandbox/leads';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { DEMO_TOKENS, startSyncServer, type RunningSyncServer } from './harness/sync-server';
import { createTranslator } from '../../lib/i18n';
import { ReadHealthResponseSchema } from '../../lib/protocol/read-health';

/**
 * Read health end to end (issue 16): the built extension reads sandbox Lightning record pages
 * whose fields never render, the service worker counts the failed reads, the next sync the user
 * asks for posts them to the reference server, and the admin page shows Salesforce as failing.
 */

const SHOTS = resolve(process.cwd(), 'tests/artifacts/screenshots');
mkdirSync(SHOTS, { recursive: true });
const t = createTranslator('ja');

let sandbox: Sandbox;
let server: RunningSyncServer;
let admin: LaunchedBrowser;

beforeAll(async () => {
  sandbox = await startSandbox({ fieldDelayMs: 200 });
  server = await startSyncServer({ startTimeoutMs: 120_000 });
  admin = await launchWithExtension({ sandboxPort: sandbox.port });
});

afterAll(async () => {
  await admin?.close();
  await server?.dispose();
  await sandbox?.close();
});

describe('read health', () => {
  it('after a run of failed reads, the admin page shows the CRM failing since the first one', async () => {
    const options = await admin.context.newPage();
    await options.goto(admin.extensionUrl('options.html'));
    await options.getByLabel('チームのサーバーと同期する').check();
    await options.getByLabel(t('options.url')).first().fill(server.url);
    await options.getByLabel('アクセストークン').fill(DEMO_TOKENS.admin);
    await options.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => options.getByTestId('sync-last').textContent(), { timeout: 30_000 }).toContain('最終同期');

    // three record pages whose fields never render: each read finds nothing (the panel says so)
    const leads = SANDBOX_LEADS.slice(0, 3);
    await Promise.all(
      leads.map(async (lead) => {
        const page = await admin.context.newPage();
        await page.goto(sandbox.url(LIGHTNING_HOST, `/lightning/r/Lead/${lead.id15}/view?sandboxFields=never`));
        const frame = await (await page.waitForSelector('[data-sal-bridge-panel] iframe', { state: 'visible', timeout: 30_000 })).contentFrame();
        await expect.poll(() => frame!.getByRole('alert').first().textContent(), { timeout: 30_000 }).toContain('リード情報を読み取れませんでした');
        await page.close();
      }),
    );

    // the sync the user asks for posts the day at once
    await options.getByRole('button', { name: t('sync.now') }).click();
    const summary = async () => {
      const response = await fetch(`${server.url}/v1/admin/read-health`, { headers: { authorization: `Bearer ${DEMO_TOKENS.admin}` } });
      return ReadHealthResponseSchema.parse(await response.json()).crms;
    };
    await expect.poll(async () => (await summary()).map((c) => [c.crm, c.status, c.counts.failing]), { timeout: 30_000 }).toEqual([['salesforce', 'failing', 3]]);
    const [salesforce] = await summary();
    // the names of the fields that could not be read, never the lead's values
    expect(salesforce!.topMissing.map((m) => m.field)).toContain('name');

    const page = await admin.context.newPage();
    await page.goto(admin.extensionUrl('admin.html'));
    const table = page.getByTestId('admin-read-health');
    const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Salesforce' }) });
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain(t('admin.readHealth.status.failing'));
    const text = (await row.textContent()) ?? '';
    expect(text).toContain(t('admin.readHealth.counts', { day: salesforce!.day, ...salesforce!.counts }));
    expect(text).toContain(t('field.name'));
    await page
      .getByRole('region', { name: t('admin.readHealth.title') })
      .screenshot({ path: `${SHOTS}/admin-read-health-ja.png` })
      .catch(() => page.screenshot({ path: `${SHOTS}/admin-read-health-ja.png` }));
  });
});
