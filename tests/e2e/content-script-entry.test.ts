import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { NAMED_LEADS } from '../sandbox/leads';
import { LIGHTNING_HOST, startSandbox, type Sandbox } from '../sandbox/server';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';

// How the content script gets into a Lightning tab (wxt.config.ts): a page loaded at a lead
// record's URL gets crm-main.js from the manifest; any other CRM page gets crm-watch.js, which
// imports crm-main.js once the tab navigates to a lead page in the CRM's own app. Either way the
// rep sees one panel with the lead.

const [yamada, sasaki] = NAMED_LEADS as [(typeof NAMED_LEADS)[0], (typeof NAMED_LEADS)[0]];
let sandbox: Sandbox;
let browser: LaunchedBrowser;

beforeAll(async () => {
  sandbox = await startSandbox({ fieldDelayMs: 150 });
  browser = await launchWithExtension({ sandboxPort: sandbox.port });
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

/** A tab that records which extension scripts the CRM page itself fetched (the second stage's import). */
async function openTab(): Promise<{ page: Page; imported: () => number }> {
  const page = await browser.context.newPage();
  const fetched: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith('chrome-extension://') && r.frame() === page.mainFrame() && r.url().endsWith('/crm-main.js')) fetched.push(r.url());
  });
  return { page, imported: () => fetched.length };
}

/** Waits until the panel shows `leadId`'s lead, and returns how many panels the page has. */
async function panelShowing(page: Page, leadId: string): Promise<number> {
  const handle = await page.waitForSelector('[data-sal-bridge-panel] iframe', { state: 'visible', timeout: 20_000 });
  const frame = await handle.contentFrame();
  await frame!.waitForSelector(`[data-lead-ready="salesforce:${leadId}"]`, { timeout: 20_000 });
  return page.locator('[data-sal-bridge-panel]').count();
}

describe('content script entry on Lightning', () => {
  it('a lead record opened by its URL shows one panel, with no module import by the page', async () => {
    const { page, imported } = await openTab();
    await page.goto(sandbox.url(LIGHTNING_HOST, `/lightning/r/Lead/${yamada.id15}/view`));
    expect(await panelShowing(page, yamada.id)).toBe(1);
    expect(imported()).toBe(0);
    await page.close();
  });

  it('a tab opened on the home page gets the panel once it navigates to a lead record in the app', async () => {
    const { page, imported } = await openTab();
    await page.goto(sandbox.url(LIGHTNING_HOST, '/lightning/page/home'));
    await page.waitForSelector('.windowViewMode-normal.active', { timeout: 15_000 });
    // nothing but the first stage on a page SAL Bridge does not act on
    expect(imported()).toBe(0);
    expect(await page.locator('[data-sal-bridge-panel]').count()).toBe(0);
    await page.evaluate((id) => (window as unknown as { __sandbox: { navigate(u: string): void } }).__sandbox.navigate(`/lightning/r/Lead/${id}/view`), sasaki.id15);
    expect(await panelShowing(page, sasaki.id)).toBe(1);
    expect(imported()).toBe(1);
    await page.close();
  });
});
