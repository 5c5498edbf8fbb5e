import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { NAMED_LEADS, leadDisplayName, type SandboxLead } from '../sandbox/leads';
import { HUBSPOT_HOST, hubSpotContactId, hubSpotContactPath } from '../sandbox/hubspot';
import { DYNAMICS_HOST, dynamicsLeadGuid, dynamicsRecordPath } from '../sandbox/dynamics';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { panelFitted, panelOf } from './harness/panel';
import type { LeadEvent } from '../../lib/domain/events';
import { makeLeadKey } from '../../lib/domain/lead-key';
import { handedOver, MARKETER } from '../unit/domain/builders';

/**
 * The built extension on the sandbox HubSpot and Dynamics 365 (real host names, production match
 * patterns), local-only mode (a fresh profile needs no server): the panel shows the lead, 受領
 * is recorded, and moving to the index/view in the same single-page app shows the badge.
 * Marketing's hand-offs are written into the extension's IndexedDB as a pull would store them.
 */

const SHOTS = resolve(process.cwd(), 'tests/artifacts/screenshots');
mkdirSync(SHOTS, { recursive: true });

const [yamada, sasaki] = NAMED_LEADS as [SandboxLead, SandboxLead];
let sandbox: Sandbox;
let b: LaunchedBrowser;
let seq = 0;

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const hubspotKey = (l: SandboxLead) => makeLeadKey('hubspot', hubSpotContactId(l));
const dynamicsKey = (l: SandboxLead) => makeLeadKey('dynamics', dynamicsLeadGuid(l));

async function seed(events: LeadEvent[]) {
  const rows = events.map((event) => ({ id: event.id, leadKey: event.leadKey, event, seq: ++seq, origin: 'server', localOrder: Date.now() * 1000 + seq }));
  await b.serviceWorker!.evaluate(async (rows) => {
    for (let i = 0; i < 100 && !(await indexedDB.databases()).some((d) => d.name === 'sal-bridge'); i++) await new Promise((r) => setTimeout(r, 100));
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('sal-bridge');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    await new Promise<void>((res, rej) => {
      const tx = db.transaction(['events'], 'readwrite');
      for (const row of rows) tx.objectStore('events').put(row);
      tx.oncomplete = () => res();
      tx.onerror = () => rej(tx.error);
    });
    db.close();
  }, rows);
}

const status = (panel: Frame) => panel.getByTestId('lead-status').textContent();
const heading = (panel: Frame) => panel.getByRole('heading').first().textContent();

/** The panel's box must not overlap any of the CRM's own buttons, inputs or links. */
async function overlapsCrmControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const host = document.querySelector('[data-sal-bridge-panel]')!.getBoundingClientRect();
    const hits: string[] = [];
    for (const el of Array.from(document.querySelectorAll('button, input, a, [role="tab"], [role="button"]'))) {
      if (el.closest('[data-sal-bridge-panel]')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.left < host.right && r.right > host.left && r.top < host.bottom && r.bottom > host.top) hits.push(el.textContent?.trim() || el.localName);
    }
    return hits;
  });
}

beforeAll(async () => {
  sandbox = await startSandbox({ fieldDelayMs: 150 });
  b = await launchWithExtension({ sandboxPort: sandbox.port });
  const lead = (l: SandboxLead, url: string) => ({ name: leadDisplayName(l), company: l.company, url });
  await seed([
    handedOver({ at: minutesAgo(30), actor: MARKETER, leadKey: hubspotKey(yamada), lead: lead(yamada, sandbox.url(HUBSPOT_HOST, hubSpotContactPath(yamada))) }),
    handedOver({ at: minutesAgo(30), actor: MARKETER, leadKey: dynamicsKey(yamada), lead: lead(yamada, sandbox.url(DYNAMICS_HOST, dynamicsRecordPath(yamada))) }),
  ]);
});

afterAll(async () => {
  await b?.close();
  await sandbox?.close();
});

describe('HubSpot', () => {
  it('contact record: panel with the lead, 受領, then the index (SPA) shows the badge and another contact opens in place', async () => {
    const page = await b.context.newPage();
    await page.goto(sandbox.url(HUBSPOT_HOST, hubSpotContactPath(yamada)));
    const panel = await panelOf(page);
    await expect.poll(() => heading(panel), { timeout: 20_000 }).toContain('山田 太郎');
    await expect.poll(() => status(panel), { timeout: 20_000 }).toBe('受領待ち');
    // in the page's flow, right under the middle pane's tabs
    expect(await page.evaluate(() => document.querySelector('[data-sal-bridge-panel]')?.previousElementSibling?.getAttribute('role'))).toBe('tablist');
    expect(await overlapsCrmControls(page)).toEqual([]);
    await panelFitted(page, panel);
    await page.screenshot({ path: `${SHOTS}/hubspot-record-pending-ja.png` });

    await panel.getByRole('button', { name: '受領', exact: true }).click();
    await expect.poll(() => status(panel)).toBe('受領済 (SAL)');
    await page.waitForTimeout(300);
    await panelFitted(page, panel);
    await page.screenshot({ path: `${SHOTS}/hubspot-record-accepted-ja.png` });

    // the app's own nav link: pushState, no reload
    await page.getByRole('link', { name: 'コンタクト', exact: true }).click();
    const row = page.locator('tbody tr', { has: page.getByRole('link', { name: '山田 太郎' }) });
    await expect.poll(() => row.locator('[data-sal-bridge-badge]').getAttribute('data-status'), { timeout: 20_000 }).toBe('accepted');
    expect(await page.locator('[data-sal-bridge-panel]').isVisible()).toBe(false);
    const other = page.locator('tbody tr', { has: page.getByRole('link', { name: leadDisplayName(sasaki) }) });
    await expect.poll(() => other.locator('[data-sal-bridge-badge]').getAttribute('data-status')).toBe('untracked');
    await page.screenshot({ path: `${SHOTS}/hubspot-index-badges-ja.png` });

    await page.getByRole('link', { name: leadDisplayName(sasaki) }).click();
    // the panel frame is re-inserted under the new record's tab bar (without moveBefore it reloads)
    await expect.poll(async () => heading(await panelOf(page)), { timeout: 20_000 }).toContain(leadDisplayName(sasaki));
    expect(await status(await panelOf(page))).toBe('引き渡し記録なし');
    await page.close();
  });
});

describe('Dynamics 365', () => {
  it('lead form: panel with the lead, 受領, then the lead view (SPA) shows the badge', async () => {
    const page = await b.context.newPage();
    await page.goto(sandbox.url(DYNAMICS_HOST, dynamicsRecordPath(yamada)));
    const panel = await panelOf(page);
    await expect.poll(() => heading(panel), { timeout: 20_000 }).toContain('山田 太郎');
    await expect.poll(() => status(panel), { timeout: 20_000 }).toBe('受領待ち');
    expect(await page.evaluate(() => document.querySelector('[data-sal-bridge-panel]')?.previousElementSibling?.getAttribute('data-id'))).toBe('form-header');
    expect(await overlapsCrmControls(page)).toEqual([]);
    await panelFitted(page, panel);
    await page.screenshot({ path: `${SHOTS}/dynamics-record-pending-ja.png` });

    await panel.getByRole('button', { name: '受領', exact: true }).click();
    await expect.poll(() => status(panel)).toBe('受領済 (SAL)');
    await page.waitForTimeout(300);
    await panelFitted(page, panel);
    await page.screenshot({ path: `${SHOTS}/dynamics-record-accepted-ja.png` });

    await page.locator('[data-id="sitemap-entity-lead"]').click();
    expect(page.url()).toContain('pagetype=entitylist');
    // the pinned selection column repeats each row: the badge goes only in the name cell
    const nameCell = page.locator(`[role="row"][row-id="${dynamicsLeadGuid(yamada).replace(/[{}]/g, '').toLowerCase()}"] [col-id="fullname"]`);
    await expect.poll(() => nameCell.locator('[data-sal-bridge-badge]').getAttribute('data-status'), { timeout: 20_000 }).toBe('accepted');
    expect(await page.locator('[data-sal-bridge-badge]').count()).toBe(await page.locator('[col-id="fullname"] a').count());
    await page.screenshot({ path: `${SHOTS}/dynamics-view-badges-ja.png` });
    await page.close();
  });
});
