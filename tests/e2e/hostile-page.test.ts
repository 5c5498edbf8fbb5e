import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startSandbox, LIGHTNING_HOST, type Sandbox } from '../sandbox/server';
import { HOSTILE_LEAD_ID, SANDBOX_LEADS } from '../sandbox/leads';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { seed, storedEvents } from './harness/extension-db';
import { handedOver, MARKETER } from '../unit/domain/builders';

/**
 * Bad input from the CRM page (issue 4, item 9): a page script that forges messages and clicks
 * for 15 s, lead fields that contain markup and scripts, and a rep who double-clicks.
 */
const SHOTS = resolve(process.cwd(), 'tests/artifacts/screenshots');
mkdirSync(SHOTS, { recursive: true });

let sandbox: Sandbox;
let browser: LaunchedBrowser;
const hostile = SANDBOX_LEADS.find((l) => l.id === HOSTILE_LEAD_ID)!;
const plain = SANDBOX_LEADS[3]!;

beforeAll(async () => {
  sandbox = await startSandbox({ fieldDelayMs: 100 });
  browser = await launchWithExtension({ sandboxPort: sandbox.port });
  await seed(browser, [
    handedOver({ at: new Date(Date.now() - 10 * 60_000), actor: MARKETER, leadKey: `salesforce:${hostile.id}` }),
    handedOver({ at: new Date(Date.now() - 10 * 60_000), actor: MARKETER, leadKey: `salesforce:${plain.id}` }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

async function openPanel(id15: string) {
  const page = await browser.context.newPage();
  await page.goto(sandbox.url(LIGHTNING_HOST, `/lightning/r/Lead/${id15}/view?sandboxHostile=1`));
  const handle = await page.waitForSelector('[data-sal-bridge-panel] iframe', { state: 'visible', timeout: 20_000 });
  const panel = (await handle.contentFrame())!;
  await expect.poll(() => panel.getByTestId('lead-status').textContent(), { timeout: 20_000 }).toBe('受領待ち');
  return { page, panel };
}

describe('a hostile CRM page', () => {
  it('cannot record a decision by forged messages or clicks, and its markup stays text', async () => {
    const { page, panel } = await openPanel(hostile.id15);
    // let the page script try for a few seconds (it forges every 250 ms)
    await page.waitForTimeout(4_000);
    const log = await page.evaluate(() => (window as unknown as { __sandboxHostile: { attempts: number } }).__sandboxHostile);
    expect(log.attempts).toBeGreaterThan(20);
    expect(await panel.getByTestId('lead-status').textContent()).toBe('受領待ち');
    expect((await storedEvents(browser)).filter((r) => r.leadKey === `salesforce:${hostile.id}` && r.event.type !== 'handed_over')).toEqual([]);
    // the lead's name and company arrive as text: shown literally, never run
    expect(await panel.getByRole('heading').first().textContent()).toContain('<script>');
    expect(await panel.evaluate(() => document.querySelectorAll('script:not([src]), img[src="x"]').length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __salPwned?: number }).__salPwned)).toBeUndefined();
    await page.locator('[data-sal-bridge-panel]').screenshot({ path: `${SHOTS}/panel-hostile-lead-ja.png` });
  });

  it('a double click on 受領 records one decision', async () => {
    const { panel } = await openPanel(plain.id15);
    await panel.getByRole('button', { name: '受領' }).dblclick();
    await expect.poll(() => panel.getByTestId('lead-status').textContent()).toBe('受領済 (SAL)');
    await new Promise((r) => setTimeout(r, 1_000));
    const accepted = (await storedEvents(browser)).filter((r) => r.leadKey === `salesforce:${plain.id}` && r.event.type === 'accepted');
    expect(accepted).toHaveLength(1);
  });
});
