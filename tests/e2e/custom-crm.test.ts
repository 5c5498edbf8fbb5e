import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { NAMED_LEADS, leadDisplayName, type SandboxLead } from '../sandbox/leads';
import { CUSTOM_CRM_CONFIG, CUSTOM_CRM_HOST, customCrmId } from '../sandbox/custom-crm';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { panelOf } from './harness/panel';
import { seed, storedEvents } from './harness/extension-db';
import { makeLeadKey } from '../../lib/domain/lead-key';
import { handedOver, MARKETER } from '../unit/domain/builders';

/**
 * A CRM SAL Bridge has no adapter for, set up by configuration in the options page: after the
 * configuration is saved (and its host allowed), the panel appears on its lead records, 受領 is
 * recorded under `custom:<slug>:<id>`, and its lead list shows the badges.
 *
 * Headless Chromium shows no permission prompt a test could answer, so this suite builds the
 * extension once more with the sandbox host granted at install (SAL_E2E_GRANTED_HOSTS in
 * wxt.config.ts), standing in for the user's "Allow"; `permissions.request` then answers true
 * without a prompt, as it does in Chrome for a host already granted. Everything else is the
 * production path: the stored configuration, the run-time content script registration, the
 * adapter built from the configuration, the background's sender checks.
 */

const SHOTS = resolve(process.cwd(), 'tests/artifacts/screenshots');
mkdirSync(SHOTS, { recursive: true });
const OUT_DIR = '.output-e2e-custom';

const [yamada, sasaki] = NAMED_LEADS as [SandboxLead, SandboxLead];
const leadKey = (l: SandboxLead) => makeLeadKey('custom', `${CUSTOM_CRM_CONFIG.slug}:${customCrmId(l)}`);
let sandbox: Sandbox;
let b: LaunchedBrowser;

beforeAll(async () => {
  const built = spawnSync('npx', ['wxt', 'build'], {
    env: { ...process.env, SAL_OUT_DIR: OUT_DIR, SAL_E2E_GRANTED_HOSTS: `https://${CUSTOM_CRM_HOST}/*` },
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`wxt build failed: ${built.stderr}`);
  sandbox = await startSandbox({ fieldDelayMs: 100 });
  b = await launchWithExtension({ sandboxPort: sandbox.port, extensionPath: `${OUT_DIR}/chrome-mv3` });
  await seed(b, [handedOver({ at: new Date(Date.now() - 20 * 60_000), actor: MARKETER, leadKey: leadKey(yamada), lead: { name: leadDisplayName(yamada), company: yamada.company } })]);
});

afterAll(async () => {
  await b?.close();
  await sandbox?.close();
});

describe('a CRM set up by configuration', () => {
  it('options: a broken configuration is refused with its problems; a good one is saved and active', async () => {
    const options = await b.context.newPage();
    await options.goto(b.extensionUrl('options.html'));
    const section = options.getByTestId('custom-crms');
    await expect.poll(() => section.textContent(), { timeout: 15_000 }).toContain('設定された CRM はありません');
    await section.getByRole('button', { name: 'CRM を追加' }).click();
    const editor = section.getByLabel('設定 (JSON)');
    // the editor starts from a documented example
    expect(await editor.inputValue()).toContain('"recordUrl"');

    await editor.fill(JSON.stringify({ ...CUSTOM_CRM_CONFIG, slug: 'Bad Slug', recordUrl: '^/app/leads/(\\d+)$' }));
    await section.getByRole('button', { name: '検証して保存' }).click();
    const problems = section.getByRole('alert');
    await expect.poll(() => problems.textContent()).toContain('slug');
    expect(await problems.textContent()).toContain('(?<id>');

    await editor.fill(JSON.stringify(CUSTOM_CRM_CONFIG, null, 2));
    await section.getByRole('button', { name: '検証して保存' }).click();
    await expect.poll(() => section.getByTestId('custom-crm-notice').textContent(), { timeout: 15_000 }).toContain(`${CUSTOM_CRM_HOST} で有効です`);
    await expect.poll(() => section.locator(`[data-slug="${CUSTOM_CRM_CONFIG.slug}"]`).textContent()).toContain('アクセス許可済み');
    await options.screenshot({ path: `${SHOTS}/custom-crm-options-ja.png`, fullPage: true });
    await options.close();
  });

  it('its lead record gets the panel and 受領 is recorded; its list shows the badges', async () => {
    const page = await b.context.newPage();
    // the content script is registered at run time: give the worker a moment after the save
    await expect
      .poll(
        async () => {
          await page.goto(sandbox.url(CUSTOM_CRM_HOST, `/app/leads/${customCrmId(yamada)}`));
          return page.locator('[data-sal-bridge-panel]').count();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe(1);
    const panel = await panelOf(page);
    await expect.poll(() => panel.getByRole('heading').first().textContent(), { timeout: 20_000 }).toContain(leadDisplayName(yamada));
    await expect.poll(() => panel.getByTestId('lead-status').textContent(), { timeout: 20_000 }).toBe('受領待ち');
    // placed after the record header, in the page's flow
    expect(await page.evaluate(() => document.querySelector('[data-sal-bridge-panel]')?.previousElementSibling?.className)).toBe('record-header');
    await panel.getByRole('button', { name: '受領', exact: true }).click();
    await expect.poll(() => panel.getByTestId('lead-status').textContent()).toBe('受領済 (SAL)');
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/custom-crm-record-accepted-ja.png` });
    const accepted = (await storedEvents(b)).filter((e) => e.event.type === 'accepted');
    expect(accepted.map((e) => [e.leadKey, e.event.lead?.company])).toEqual([[leadKey(yamada), yamada.company]]);

    await page.getByRole('link', { name: 'リード一覧' }).click();
    const row = (l: SandboxLead) => page.locator(`tr[data-record-id="${customCrmId(l)}"] [data-sal-bridge-badge]`);
    await expect.poll(() => row(yamada).getAttribute('data-status'), { timeout: 20_000 }).toBe('accepted');
    await expect.poll(() => row(sasaki).getAttribute('data-status')).toBe('untracked');
    await page.screenshot({ path: `${SHOTS}/custom-crm-list-badges-ja.png` });
    await page.close();
  });

  it('a content script cannot read or rewrite the configured CRMs (issue 9, item 6)', async () => {
    const page = await b.context.newPage();
    await page.goto(sandbox.url(CUSTOM_CRM_HOST, `/app/leads/${customCrmId(sasaki)}`));
    await panelOf(page);
    // run code in SAL Bridge's own content-script world on the page, as a confused or compromised
    // content script would
    const cdp = await page.context().newCDPSession(page);
    const worlds: { name: string; uniqueId: string; auxData?: { type?: string } }[] = [];
    cdp.on('Runtime.executionContextCreated', (e: { context: (typeof worlds)[number] }) => worlds.push(e.context));
    await cdp.send('Runtime.enable');
    await expect.poll(() => worlds.some((w) => w.auxData?.type === 'isolated' && w.name === 'SAL Bridge')).toBe(true);
    const world = worlds.find((w) => w.auxData?.type === 'isolated' && w.name === 'SAL Bridge')!;
    const inContentScript = async (expression: string) =>
      ((await cdp.send('Runtime.evaluate', { uniqueContextId: world.uniqueId, awaitPromise: true, expression } as never)) as { result: { value?: unknown } }).result.value;
    const wide = JSON.stringify({ version: 1, crms: [{ ...CUSTOM_CRM_CONFIG, host: '*.example.com' }] });
    expect(await inContentScript(`chrome.storage.local.set({ customCrms: ${wide} }).then(() => 'written', (e) => 'refused: ' + e.message)`)).toMatch(/^refused/);
    expect(await inContentScript(`chrome.storage.local.get(null).then(() => 'read', (e) => 'refused: ' + e.message)`)).toMatch(/^refused/);
    // the options page (an extension page) still reads its configuration
    const options = await b.context.newPage();
    await options.goto(b.extensionUrl('options.html'));
    await expect.poll(() => options.getByTestId('custom-crms').textContent(), { timeout: 15_000 }).toContain(CUSTOM_CRM_HOST);
    await options.close();
    await page.close();
  });
});
