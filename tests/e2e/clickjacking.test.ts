import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { startSandbox, LIGHTNING_HOST, type Sandbox } from '../sandbox/server';
import { SANDBOX_LEADS } from '../sandbox/leads';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { seed, storedEvents } from './harness/extension-db';
import { panelFitted, panelOf } from './harness/panel';
import { handedOver, MARKETER } from '../unit/domain/builders';

/**
 * Issue 9, item 1: another site must not be able to frame the panel over a decoy and have the
 * rep's click record 受領, in a tab that showed the lead before, or in a popup the attacker
 * opened on a CRM lead and sent back; nor learn from the panel's height message whether the tab
 * has a lead; and a page script that rewrites the URL after the read must not turn "accept A"
 * into a decision on B.
 */
const SHOTS = resolve(process.cwd(), 'tests/artifacts/screenshots');
mkdirSync(SHOTS, { recursive: true });
const ATTACKER = 'https://attacker.example';

let sandbox: Sandbox;
let browser: LaunchedBrowser;
const A = SANDBOX_LEADS[0]!;
const B = SANDBOX_LEADS[1]!;
const leadUrl = (id15: string) => sandbox.url(LIGHTNING_HOST, `/lightning/r/Lead/${id15}/view`);

beforeAll(async () => {
  sandbox = await startSandbox({ fieldDelayMs: 100 });
  browser = await launchWithExtension({ sandboxPort: sandbox.port });
  await seed(
    browser,
    [A, B].map((l) => handedOver({ at: new Date(Date.now() - 10 * 60_000), actor: MARKETER, leadKey: `salesforce:${l.id}` })),
  );
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

const decisions = async () => (await storedEvents(browser)).filter((r) => r.event.type !== 'handed_over');

async function openLead(page: Page, id15: string): Promise<{ panel: Frame; src: string }> {
  // every height the panel reports to the CRM page (its listener sees the same message events)
  await page.addInitScript(() => {
    const w = window as unknown as { __panelHeights: number[] };
    w.__panelHeights = [];
    window.addEventListener('message', (e: MessageEvent<{ type?: unknown; height?: unknown }>) => {
      if (e.data?.type === 'sal-bridge:panel-height' && typeof e.data.height === 'number') w.__panelHeights.push(e.data.height);
    });
  });
  await page.goto(leadUrl(id15));
  const panel = await panelOf(page);
  await expect.poll(() => panel.getByTestId('lead-status').textContent(), { timeout: 20_000 }).toBe('受領待ち');
  const src = await page.locator('[data-sal-bridge-panel] iframe').getAttribute('src');
  // the CRM page, and only it, gets the panel's height: the frame fits the whole panel
  expect(await panelFitted(page, panel)).toBeGreaterThan(336); // the frame's initial height (lib/content/panel-frame.ts)
  // never its loading line (~20 px): the frame would shrink to it and grow back, moving the page twice
  const heights = await page.evaluate(() => (window as unknown as { __panelHeights: number[] }).__panelHeights);
  expect(heights.length).toBeGreaterThan(0);
  expect(Math.min(...heights)).toBeGreaterThan(80); // the frame's minimum height (lib/content/panel-frame.ts)
  return { panel, src: src! };
}

/**
 * The attacker's page: frames `src` invisibly (opacity 0) over a decoy button and records every
 * message it receives. Returns the frame once it has loaded (or failed to).
 */
async function frameOnAttackerPage(page: Page, src: string): Promise<Frame | null> {
  await page.evaluate((url) => {
    const w = window as unknown as { __messages: unknown[] };
    w.__messages = [];
    window.addEventListener('message', (e) => w.__messages.push(e.data));
    document.body.innerHTML = '<button id="decoy" style="position:absolute;left:20px;top:120px;font-size:30px">賞品を受け取る</button>';
    const f = document.createElement('iframe');
    f.src = url;
    f.id = 'victim';
    f.style.cssText = 'position:absolute;left:0;top:0;width:600px;height:500px;opacity:0.5;border:0';
    document.body.append(f);
  }, src);
  await page.waitForTimeout(2_500);
  return (await (await page.$('#victim'))?.contentFrame()) ?? null;
}

describe('the panel cannot be framed into a decision (issue 9, item 1)', () => {
  it('a non-CRM site framing the panel in the tab that showed the lead gets no panel and records nothing', async () => {
    const page = await browser.context.newPage();
    const { src } = await openLead(page, A.id15);
    // the panel is reached through a per-session dynamic URL, not the extension id
    expect(new URL(src).host).not.toBe(browser.extensionId);

    await page.goto(`${ATTACKER}/prize`);
    // the static URL an attacker can guess: refused by the browser (use_dynamic_url)
    const guessed = await frameOnAttackerPage(page, browser.extensionUrl('panel.html'));
    expect(await guessed?.locator('[data-testid="lead-status"], [data-panel-refused]').count()).toBe(0);
    // even the dynamic URL (had it leaked): the panel refuses to render, shows no control
    const leaked = await frameOnAttackerPage(page, src);
    expect(leaked).not.toBeNull();
    await expect.poll(() => leaked!.locator('[data-panel-refused]').count(), { timeout: 10_000 }).toBe(1);
    expect(await leaked!.getByRole('button').count()).toBe(0);
    expect(await leaked!.getByTestId('lead-status').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/clickjack-attacker-frame.png` });
    await page.mouse.click(60, 140);
    // and the framer learns nothing from the height message
    expect(await page.evaluate(() => (window as unknown as { __messages: unknown[] }).__messages)).toEqual([]);
    expect(await decisions()).toEqual([]);
    await page.close();
  });

  it('a popup the attacker opened on a CRM lead and sent back to its own page cannot decide either', async () => {
    const opener = await browser.context.newPage();
    await opener.goto(`${ATTACKER}/opener`);
    const [popup] = await Promise.all([browser.context.waitForEvent('page'), opener.evaluate((url) => void window.open(url, 'victim'), leadUrl(A.id15))]);
    const panel = await panelOf(popup);
    await expect.poll(() => panel.getByTestId('lead-status').textContent(), { timeout: 20_000 }).toBe('受領待ち');
    const src = (await popup.locator('[data-sal-bridge-panel] iframe').getAttribute('src'))!;
    // the opener navigates its popup back to the attacker's site (allowed: it opened it)
    await opener.evaluate((url) => void window.open(url, 'victim'), `${ATTACKER}/won`);
    await popup.waitForURL(`${ATTACKER}/won`);
    const framed = await frameOnAttackerPage(popup, src);
    await expect.poll(() => framed!.locator('[data-panel-refused]').count(), { timeout: 10_000 }).toBe(1);
    expect(await framed!.getByRole('button').count()).toBe(0);
    expect(await decisions()).toEqual([]);
    await opener.close();
    await popup.close();
  });

  it('a page script that moves the URL to another lead after the read cannot turn "accept A" into B', async () => {
    const page = await browser.context.newPage();
    const { panel } = await openLead(page, A.id15);
    expect(await panel.getByRole('heading').first().textContent()).toContain(A.company);
    // the page keeps showing A, the URL now says B
    await page.evaluate((path) => history.pushState({}, '', path), `/lightning/r/Lead/${B.id15}/view`);
    // the panel is withdrawn rather than showing A's name under B's key
    await expect.poll(() => page.locator('[data-sal-bridge-panel]').isVisible(), { timeout: 15_000 }).toBe(false);
    await page.waitForTimeout(9_000); // past the content script's wait for B to render
    expect(await page.locator('[data-sal-bridge-panel]').isVisible()).toBe(false);
    // a decision on A already on its way from the panel (sent as the panel does) is refused:
    // the tab's URL no longer shows A
    const reply = await panel.evaluate(
      (leadKey) =>
        (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({
          type: 'panel.record',
          leadKey,
          draft: { type: 'accepted', payload: {} },
          ancestorOrigins: [...location.ancestorOrigins],
        }),
      `salesforce:${A.id}`,
    );
    expect(reply).toEqual({ ok: false, error: 'lead_not_shown' });
    expect(await decisions()).toEqual([]);

    // a real SPA move to B (the page renders B) shows B, and 受領 records B
    await page.goto(leadUrl(B.id15));
    const panelB = await panelOf(page);
    await expect.poll(() => panelB.getByRole('heading').first().textContent(), { timeout: 20_000 }).toContain(B.company);
    await panelB.getByRole('button', { name: '受領' }).click();
    await expect.poll(() => panelB.getByTestId('lead-status').textContent()).toBe('受領済 (SAL)');
    const recorded = await decisions();
    expect(recorded.map((r) => [r.leadKey, r.event.type])).toEqual([[`salesforce:${B.id}`, 'accepted']]);
    expect(recorded[0]?.event.lead?.url).toBe(leadUrl(B.id15));
    await page.close();
  });
});
