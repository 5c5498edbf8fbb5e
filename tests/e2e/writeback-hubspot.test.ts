import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { SANDBOX_HUBSPOT_TOKEN } from '../sandbox/crm-api';
import { NAMED_LEADS } from '../sandbox/leads';
import { HUBSPOT_HOST, hubSpotContactId, hubSpotContactPath } from '../sandbox/hubspot';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { seed } from './harness/extension-db';
import { panelOf } from './harness/panel';
import { DEFAULT_DEFINITION } from '../../lib/domain/definition';
import { makeLeadKey } from '../../lib/domain/lead-key';
import { handedOver } from '../unit/domain/builders';

/**
 * Write-back to HubSpot, end to end: the rep enters the private app's token in the options page
 * (which asks for the API host), accepts a contact in the panel, and the sandbox's CRM v3 API
 * gets the PATCH with that token. Headless Chromium shows no permission prompt a test could
 * answer, so this suite builds the extension with `api.hubapi.com` granted at install
 * (SAL_E2E_GRANTED_HOSTS, as tests/e2e/custom-crm.test.ts does); `permissions.request` then
 * answers true without a prompt, as Chrome does for a host already granted.
 */
const SHOTS = resolve(process.cwd(), 'tests/artifacts/screenshots');
mkdirSync(SHOTS, { recursive: true });
const OUT_DIR = '.output-e2e-hubspot';
const lead = NAMED_LEADS[2]!;
const contactId = hubSpotContactId(lead);
let sandbox: Sandbox;
let rep: LaunchedBrowser;

beforeAll(async () => {
  const built = spawnSync('npx', ['wxt', 'build'], { env: { ...process.env, SAL_OUT_DIR: OUT_DIR, SAL_E2E_GRANTED_HOSTS: 'https://api.hubapi.com/*' }, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`wxt build failed: ${built.stderr}`);
  sandbox = await startSandbox({ fieldDelayMs: 100 });
  rep = await launchWithExtension({ sandboxPort: sandbox.port, extensionPath: `${OUT_DIR}/chrome-mv3` });
  await seed(rep, [handedOver({ at: new Date(Date.now() - 3600_000), leadKey: makeLeadKey('hubspot', contactId) })], {
    activeDefinition: { ...DEFAULT_DEFINITION, writeback: { hubspot: { on: { accepted: { hs_lead_status: { value: 'IN_PROGRESS' } } } } } },
  });
});

afterAll(async () => {
  await rep?.close();
  await sandbox?.close();
});

describe('write-back to HubSpot', () => {
  it('with the token from the options page, 受領 sets the contact’s lead status', async () => {
    const options = await rep.context.newPage();
    await options.goto(rep.extensionUrl('options.html'));
    await options.getByLabel('HubSpot 用トークン (非公開アプリ / OAuth)').fill(SANDBOX_HUBSPOT_TOKEN);
    await options.getByRole('button', { name: 'トークンを登録' }).click();
    await expect.poll(() => options.getByText('保存しました').count()).toBe(1);
    await options.close();

    const page = await rep.context.newPage();
    await page.goto(sandbox.url(HUBSPOT_HOST, hubSpotContactPath(lead)));
    const panel = await panelOf(page);
    await expect.poll(() => panel.getByTestId('lead-status').textContent(), { timeout: 20_000 }).toBe('受領待ち');
    await panel.getByRole('button', { name: '受領' }).click();
    const line = panel.locator('.sal-writeback__item').last();
    await expect.poll(() => line.getAttribute('data-writeback-state'), { timeout: 15_000 }).toBe('reflected');
    expect(await line.textContent()).toContain('HubSpot を更新しました — 再読み込みで表示されます');
    expect(sandbox.crm.hubspot.get(`contacts/${contactId}`)?.fields.hs_lead_status).toBe('IN_PROGRESS');
    await page.locator('[data-sal-bridge-panel]').screenshot({ path: `${SHOTS}/hubspot-panel-writeback-reflected-ja.png` });
    await page.reload();
    await expect.poll(() => page.locator('[data-selenium-test="property-input-hs_lead_status"]').first().textContent(), { timeout: 15_000 }).toBe('進行中');
  });
});
