import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { DEMO_TOKENS, freePort, startSyncServer, type RunningSyncServer } from './harness/sync-server';
import { createTranslator } from '../../lib/i18n';
import type { AdapterDescription } from '../../lib/crm/description';
import { SALESFORCE_LIGHTNING } from '../../lib/crm/descriptions/salesforce-lightning';

/**
 * The admin page in Chromium against the reference server, as a team's admin uses it: an
 * invitation made and withdrawn (its handover link then refused by the server), and the team's
 * SLA alerts set to a Slack channel, read back masked, with the audit log saying who did what.
 */
const SHOTS = resolve(process.cwd(), 'tests/artifacts/screenshots');
mkdirSync(SHOTS, { recursive: true });
const t = createTranslator('ja');

let server: RunningSyncServer;
let browser: LaunchedBrowser;

beforeAll(async () => {
  server = await startSyncServer({ startTimeoutMs: 120_000 });
  browser = await launchWithExtension({ sandboxPort: await freePort() });
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('admin page in Chromium', () => {
  it('an admin invites and withdraws, sets the SLA alerts, and the audit log records both', async () => {
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    await options.getByLabel('チームのサーバーと同期する').check();
    await options.getByLabel('サーバーURL').fill(server.url);
    await options.getByLabel('アクセストークン').fill(DEMO_TOKENS.admin);
    await options.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => options.getByTestId('sync-last').textContent(), { timeout: 30_000 }).toContain('最終同期');
    await options.close();

    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('admin.html'));
    await page.getByTestId('admin-members').waitFor({ timeout: 20_000 });

    await page.getByLabel(t('admin.invites.name')).fill('高橋 一郎');
    await page.getByRole('button', { name: t('admin.invites.create') }).click();
    const link = await page.getByTestId('admin-invite-link').getByRole('textbox').inputValue();
    expect(link).toMatch(new RegExp(`^${server.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/join#invite=`));
    await page.getByRole('button', { name: t('admin.invites.withdrawOf', { name: '高橋 一郎' }) }).click();
    await expect.poll(() => page.getByTestId('admin-invites').textContent(), { timeout: 15_000 }).toContain(t('admin.invites.status.revoked'));
    // the withdrawn link no longer signs anyone in
    const code = new URLSearchParams(link.slice(link.indexOf('#') + 1)).get('invite')!;
    const refused = await fetch(`${server.url}/v1/auth/invite/preview`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    expect(refused.status).toBe(401);

    const form = page.getByTestId('admin-alerts-form');
    await form.getByLabel(t('admin.alerts.enabled')).check();
    await form.getByLabel(t('admin.alerts.channel.slack')).fill('https://hooks.slack.com/services/T000/B000/XXXXSECRET');
    await form.getByRole('button', { name: t('admin.alerts.save') }).click();
    await expect.poll(() => form.textContent(), { timeout: 15_000 }).toContain(t('admin.alerts.saved'));
    expect(await form.textContent()).not.toContain('XXXXSECRET');
    await expect.poll(() => page.getByTestId('admin-audit').textContent(), { timeout: 15_000 }).toContain(t('admin.audit.action.alerts.saved'));
    expect(await page.getByTestId('admin-audit').textContent()).toContain(t('admin.audit.action.invite.revoked'));
    // the channel reads back masked, the fields are empty again (empty keeps it)
    expect(await form.textContent()).toContain(t('admin.alerts.current', { url: 'https://hooks.slack.com/…CRET' }));
    await page.getByTestId('admin-alert-deliveries').getByText(t('admin.alerts.noDeliveries')).waitFor();
    await page.screenshot({ path: resolve(SHOTS, 'admin-page-alerts.png'), fullPage: true });
    await page.close();
  });

  it('an admin mends how Lightning is read: the page names a problem, then saves the next version, which the team is served and the audit log records', async () => {
    // signed in as the admin by the test above
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('admin.html'));
    const table = page.getByTestId('admin-adapters');
    await table.waitFor({ timeout: 20_000 });
    const lightning = t('admin.adapters.ui.salesforce-lightning');
    await table.getByRole('button', { name: t('admin.adapters.editOf', { ui: lightning }) }).click();
    const form = page.getByRole('form', { name: t('admin.adapters.editor', { ui: lightning }) });
    const editor = form.getByRole('textbox', { name: t('admin.adapters.editor', { ui: lightning }) });
    const draft = JSON.parse(await editor.inputValue()) as AdapterDescription;
    expect(draft.version).toBe(SALESFORCE_LIGHTNING.version + 1);
    // a selector that is not one is named before anything is sent
    await editor.fill(JSON.stringify({ ...draft, scope: '[[[' }, null, 2));
    await form.getByRole('button', { name: t('admin.adapters.save') }).click();
    await expect.poll(() => form.getByRole('alert').first().textContent()).toContain('scope');
    const fixed: AdapterDescription = { ...draft, anchor: { ...draft.anchor, find: [...draft.anchor.find, { name: 'highlights-2027', css: 'records-highlights3', deep: true }] } };
    await editor.fill(JSON.stringify(fixed, null, 2));
    await form.getByRole('button', { name: t('admin.adapters.save') }).click();
    await form.getByText(t('admin.adapters.saved', { version: fixed.version })).waitFor({ timeout: 15_000 });
    await expect.poll(() => table.textContent(), { timeout: 15_000 }).toContain(t('admin.adapters.usesTeam'));
    // what every member of the team is now served
    const served = await fetch(`${server.url}/v1/adapters`, { headers: { authorization: `Bearer ${DEMO_TOKENS.rep1}` } });
    expect(((await served.json()) as { descriptions: AdapterDescription[] }).descriptions).toEqual([fixed]);
    await expect.poll(() => page.getByTestId('admin-audit').textContent(), { timeout: 15_000 }).toContain(t('admin.audit.action.adapter.saved'));
    await page.screenshot({ path: resolve(SHOTS, 'admin-page-adapters.png'), fullPage: true });
    await page.close();
  });
});
