import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { startSandbox, LIGHTNING_HOST, type Sandbox } from '../sandbox/server';
import { SANDBOX_LEADS, handoffItemOf } from '../sandbox/leads';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { DEMO_TOKENS, startSyncServer, type RunningSyncServer } from './harness/sync-server';

/**
 * The walking skeleton, end to end with the real parts: the built extension in Debian's
 * Chromium, the sandbox CRM under the real Lightning host name, the reference sync server in its
 * own process on its embedded database.
 */
const SHOTS = resolve(process.cwd(), 'tests/artifacts/screenshots');
mkdirSync(SHOTS, { recursive: true });

const [lead1, lead2, lead3] = SANDBOX_LEADS;
let sandbox: Sandbox;
let server: RunningSyncServer;
let rep1: LaunchedBrowser;
let rep2: LaunchedBrowser;

async function configureBackend(browser: LaunchedBrowser, token: string) {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('options.html'));
  await page.getByLabel('チームのサーバーと同期する').check();
  await page.getByLabel('サーバーURL').fill(server.url);
  await page.getByLabel('アクセストークン').fill(token);
  await page.getByRole('button', { name: '接続テスト' }).click();
  await expect.poll(() => page.getByTestId('options-notice').textContent(), { timeout: 15_000 }).toContain('接続できました');
  await page.getByRole('button', { name: '保存' }).click();
  await expect.poll(() => page.getByTestId('options-notice').textContent(), { timeout: 15_000 }).toContain('保存しました');
  await expect.poll(() => page.getByTestId('sync-last').textContent(), { timeout: 20_000 }).toContain('最終同期');
  await page.screenshot({ path: `${SHOTS}/options-connected-ja.png` });
  return page;
}

async function panelFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('[data-sal-bridge-panel] iframe', { state: 'visible', timeout: 20_000 });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('panel iframe has no frame');
  return frame;
}

async function serverEvents(token: string) {
  const response = await fetch(`${server.url}/v1/events?limit=1000`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { events: Array<{ event: { id: string; type: string; leadKey: string; actor: { id: string } } }> }).events.map((e) => e.event);
}

const leadUrl = (id15: string, query = '') => sandbox.url(LIGHTNING_HOST, `/lightning/r/Lead/${id15}/view${query}`);

beforeAll(async () => {
  sandbox = await startSandbox({ fieldDelayMs: 200 });
  server = await startSyncServer();
  // marketing hands the leads over, so the acceptance clock runs from a real hand-off
  const handoffs = await fetch(`${server.url}/v1/handoffs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEMO_TOKENS.marketer}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      handoffs: [lead1!, lead2!, lead3!].map(handoffItemOf),
    }),
  });
  expect(handoffs.status).toBeLessThan(300);
  rep1 = await launchWithExtension({ sandboxPort: sandbox.port });
  rep2 = await launchWithExtension({ sandboxPort: sandbox.port });
});

afterAll(async () => {
  await rep1?.close();
  await rep2?.close();
  await server?.dispose();
  await sandbox?.close();
});

describe('walking skeleton', () => {
  it('a rep accepts a lead in the panel, the server has it, the list shows it, another rep sees it', async () => {
    await configureBackend(rep1, DEMO_TOKENS.rep1);
    const page = await rep1.context.newPage();
    await page.goto(leadUrl(lead1!.id15));
    const panel = await panelFrame(page);
    await expect.poll(() => panel.getByTestId('lead-status').textContent(), { timeout: 20_000 }).toBe('受領待ち');
    await expect.poll(() => panel.locator('[data-clock="acceptance"]').count()).toBe(1);
    await expect.poll(() => panel.getByRole('heading').first().textContent()).toContain('株式会社サクラテック');
    await page.locator('[data-sal-bridge-panel]').screenshot({ path: `${SHOTS}/panel-pending-ja.png` });
    await page.screenshot({ path: `${SHOTS}/record-page-pending-ja.png` });

    await panel.getByRole('button', { name: '受領' }).click();
    await expect.poll(() => panel.getByTestId('lead-status').textContent()).toBe('受領済 (SAL)');
    await page.locator('[data-sal-bridge-panel]').screenshot({ path: `${SHOTS}/panel-accepted-ja.png` });

    await expect.poll(async () => (await serverEvents(DEMO_TOKENS.marketer)).filter((e) => e.type === 'accepted' && e.leadKey === `salesforce:${lead1!.id}`).length, { timeout: 20_000 }).toBe(1);

    // SPA navigation to another record: one panel, now for that lead
    await page.evaluate((id) => (window as unknown as { __sandbox: { navigate(u: string): void } }).__sandbox.navigate(`/lightning/r/Lead/${id}/view`), lead2!.id15);
    await expect.poll(() => panel.getByRole('heading').first().textContent(), { timeout: 15_000 }).toContain(lead2!.company);
    await expect.poll(() => panel.getByTestId('lead-status').textContent()).toBe('受領待ち');
    expect(await page.locator('[data-sal-bridge-panel]').count()).toBe(1);

    // SPA navigation to the list view: the panel goes away, the row gets its badge
    await page.evaluate(() => (window as unknown as { __sandbox: { navigate(u: string): void } }).__sandbox.navigate('/lightning/o/Lead/list?filterName=Recent'));
    await expect.poll(() => page.locator('[data-sal-bridge-panel]').isVisible()).toBe(false);
    const badge = page.locator(`tr[data-row-key-value="${lead1!.id}"] [data-sal-bridge-badge]`);
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: 15_000 }).toBe('accepted');
    expect(await page.locator(`tr[data-row-key-value="${lead2!.id}"] [data-sal-bridge-badge]`).getAttribute('data-status')).toBe('pending');
    await page.screenshot({ path: `${SHOTS}/list-badges-ja.png` });

    // another rep, another profile: the decision arrives with a pull
    await configureBackend(rep2, DEMO_TOKENS.rep2);
    const other = await rep2.context.newPage();
    await other.goto(sandbox.url(LIGHTNING_HOST, '/lightning/o/Lead/list?filterName=Recent'));
    await expect.poll(() => other.locator(`tr[data-row-key-value="${lead1!.id}"] [data-sal-bridge-badge]`).getAttribute('data-status'), { timeout: 20_000 }).toBe('accepted');
  });

  it('a decision made while the server is down reaches it once it is back', async () => {
    await server.stop();
    const page = await rep1.context.newPage();
    await page.goto(leadUrl(lead2!.id15));
    const panel = await panelFrame(page);
    await expect.poll(() => panel.getByTestId('lead-status').textContent(), { timeout: 20_000 }).toBe('受領待ち');
    await panel.getByRole('button', { name: '受領' }).click();
    await expect.poll(() => panel.getByTestId('lead-status').textContent()).toBe('受領済 (SAL)');

    const options = await rep1.context.newPage();
    await options.goto(rep1.extensionUrl('options.html'));
    await expect.poll(() => options.getByTestId('sync-pending').textContent(), { timeout: 15_000 }).toContain('1');
    await expect.poll(() => options.getByTestId('sync-error').textContent(), { timeout: 15_000 }).toContain('サーバーに接続できません');

    await server.start();
    await options.getByRole('button', { name: '今すぐ同期' }).click();
    await expect.poll(async () => (await serverEvents(DEMO_TOKENS.marketer)).filter((e) => e.type === 'accepted' && e.leadKey === `salesforce:${lead2!.id}`).length, { timeout: 30_000 }).toBe(1);
    await expect.poll(() => options.getByTestId('sync-pending').textContent()).toContain('0');
  });

  it('a record whose fields never render: the page keeps working and the panel says it could not read the lead', async () => {
    const page = await rep1.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(leadUrl(lead3!.id15, '?sandboxFields=never'));
    const panel = await panelFrame(page);
    await expect.poll(() => panel.getByRole('alert').first().textContent(), { timeout: 20_000 }).toContain('リード情報を読み取れませんでした');
    expect(await panel.getByRole('button', { name: '受領' }).count()).toBe(0);
    await page.locator('[data-sal-bridge-panel]').screenshot({ path: `${SHOTS}/panel-unreadable-ja.png` });
    // the CRM page still navigates
    await page.evaluate(() => (window as unknown as { __sandbox: { navigate(u: string): void } }).__sandbox.navigate('/lightning/page/home'));
    await expect.poll(() => page.locator('[data-sal-bridge-panel]').isVisible()).toBe(false);
    expect(errors).toEqual([]);
  });
});
