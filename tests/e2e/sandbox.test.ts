import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { salesforceLightning } from '../../lib/crm';
import { NAMED_LEADS, LIST_FILLER_COUNT } from '../sandbox/leads';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { launchWithExtension, pageMetrics, trackPageMetrics, type LaunchedBrowser } from './harness/browser';

// The sandbox CRM in real Chromium, without the extension: proves the harness (host mapping,
// certificate, CDP metrics) and the Lightning behaviours the extension relies on.

const yamada = NAMED_LEADS[0]!;
const sasaki = NAMED_LEADS[1]!;

let sandbox: Sandbox;
let browser: LaunchedBrowser;

beforeAll(async () => {
  sandbox = await startSandbox();
  browser = await launchWithExtension({ sandboxPort: sandbox.port, withExtension: false });
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

async function fieldCount(page: Page): Promise<number> {
  return page.locator('.windowViewMode-normal.active records-record-layout-item').count();
}

describe('sandbox Lightning in Chromium', () => {
  it('serves a lead record under the real host name, fields late, then SPA-navigates to the list', async () => {
    const page = await browser.context.newPage();
    await trackPageMetrics(page);
    const start = Date.now();
    await page.goto(sandbox.url('acme.lightning.force.com', `/lightning/r/Lead/${yamada.id15}/view`));
    expect(new URL(page.url()).hostname).toBe('acme.lightning.force.com');
    expect(salesforceLightning.detectPage(new URL(page.url()))).toEqual({ kind: 'lead-record', recordId: yamada.id });

    // fields are not there at first, then render
    await page.waitForSelector('.windowViewMode-normal.active [data-target-selection-name="sfdc:RecordField.Lead.Company"]');
    expect(Date.now() - start).toBeGreaterThanOrEqual(100);
    const company = await page.locator('.windowViewMode-normal.active [data-target-selection-name="sfdc:RecordField.Lead.Company"] .test-id__field-value').innerText();
    expect(company).toBe(yamada.company);
    await expect.poll(() => page.locator('records-lwc-highlights-panel slot[name="primaryField"] lightning-formatted-name').innerText()).toBe('山田 太郎');
    expect(await fieldCount(page)).toBe(9);

    // SPA navigation: clicking the nav link changes the URL without a reload
    await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42));
    await page.getByRole('link', { name: 'リード', exact: true }).click();
    await page.waitForURL('**/lightning/o/Lead/list?filterName=Recent');
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42);
    expect(salesforceLightning.detectPage(new URL(page.url()))).toEqual({ kind: 'lead-list' });

    // the visited record stays in the DOM, hidden
    const hidden = page.locator('.windowViewMode-normal[aria-hidden="true"]:not(.active) records-lwc-highlights-panel');
    await expect.poll(() => hidden.count()).toBe(1);

    // list rows: 50 first, more on scroll, header row marked HEADER
    const rows = page.locator('.windowViewMode-normal.active table[role="grid"] tbody tr[data-row-key-value]');
    await expect.poll(() => rows.count()).toBe(50);
    expect(await page.locator('tr[data-row-key-value="HEADER"]').count()).toBe(1);
    expect(await rows.first().getAttribute('data-row-key-value')).toBe(yamada.id);
    await page.locator('.windowViewMode-normal.active [data-sandbox-scroller]').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(() => rows.count()).toBe(100);
    const total = NAMED_LEADS.length + LIST_FILLER_COUNT;
    expect(total).toBeGreaterThan(100);

    const metrics = await pageMetrics(page);
    expect(metrics.scriptMs).toBeGreaterThan(0);
    expect(metrics.taskMs).toBeGreaterThan(metrics.scriptMs);
    await page.close();
  });

  it('opens a record from the list without reload and back/forward restores the cached view', async () => {
    const page = await browser.context.newPage();
    await page.goto(sandbox.url(undefined, '/lightning/o/Lead/list?filterName=Recent&sandboxDelay=0'));
    const link = page.locator(`a[data-recordid="${sasaki.id}"]`);
    await link.click();
    await page.waitForURL(`**/lightning/r/${sasaki.id}/view`);
    await page.waitForSelector('.windowViewMode-normal.active records-record-layout-item[field-label="会社名"]');
    expect(await page.locator('.windowViewMode-normal.active records-lwc-highlights-panel').innerText()).toContain('佐々木 花子');

    await page.goBack();
    await page.waitForURL('**/lightning/o/Lead/list?**');
    expect(await page.locator('.windowViewMode-normal.active tr[data-row-key-value]').count()).toBeGreaterThan(1);
    // one visible view at a time
    expect(await page.locator('.windowViewMode-normal.active').count()).toBe(1);
    await page.goForward();
    await page.waitForURL(`**/lightning/r/${sasaki.id}/view`);
    expect(await page.locator('.windowViewMode-normal.active records-lwc-highlights-panel').count()).toBe(1);
    await page.close();
  });

  it('sorting re-renders the rows with new elements', async () => {
    const page = await browser.context.newPage();
    await page.goto(sandbox.url(undefined, '/lightning/o/Lead/list?filterName=Recent&sandboxDelay=0'));
    const first = page.locator('.windowViewMode-normal.active tbody tr[data-row-key-value]').first();
    await first.waitFor();
    await first.evaluate((el) => el.setAttribute('data-test-seen', '1'));
    await page.getByRole('button', { name: '名前で並べ替え' }).click();
    await expect.poll(() => page.locator('[data-test-seen]').count()).toBe(0);
    expect(await page.locator('th[aria-sort="ascending"]').count()).toBe(1);
    await page.close();
  });

  it('sandboxFields=never leaves the record without fields; sandboxShadow=open hides them from document queries', async () => {
    const page = await browser.context.newPage();
    await page.goto(sandbox.url(undefined, `/lightning/r/Lead/${yamada.id}/view?sandboxFields=never`));
    await page.waitForSelector('.windowViewMode-normal.active one-record-home-flexipage2 .forceRecordLayoutStencil');
    await page.waitForTimeout(600);
    expect(await page.locator('records-record-layout-item').count()).toBe(0);

    await page.goto(sandbox.url(undefined, `/lightning/r/Lead/${yamada.id}/view?sandboxShadow=open&sandboxDelay=0`));
    // Playwright's locators pierce open shadow roots; document.querySelector does not
    await page.locator('[data-target-selection-name="sfdc:RecordField.Lead.Email"]').waitFor();
    expect(await page.evaluate(() => document.querySelectorAll('[data-target-selection-name]').length)).toBe(0);
    // the value's text lives in the formatted element's own shadow root, as with native LWC
    const email = page.locator('[data-target-selection-name="sfdc:RecordField.Lead.Email"] lightning-formatted-email');
    expect(await email.evaluate((el) => el.shadowRoot?.textContent)).toBe(yamada.email);
    await page.close();
  });

  it('sandboxHostile=1 shows markup as text and runs a forging page script', async () => {
    const page = await browser.context.newPage();
    await page.goto(sandbox.url(undefined, '/lightning/r/Lead/00Q5g00000HoStL/view?sandboxHostile=1&sandboxDelay=0'));
    await page.locator('[data-target-selection-name="sfdc:RecordField.Lead.Company"]').waitFor();
    expect(await page.locator('[data-target-selection-name="sfdc:RecordField.Lead.Company"] .test-id__field-value').innerText()).toContain('<script>');
    await expect.poll(() => page.evaluate(() => (window as unknown as { __sandboxHostile?: { attempts: number } }).__sandboxHostile?.attempts ?? 0)).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { __salPwned?: number }).__salPwned)).toBeUndefined();
    await page.close();
  });

  it('sandboxLarge=1 adds related lists and an activity timeline (~9,000 elements), rendered late with the same fields', async () => {
    const page = await browser.context.newPage();
    const elements = () => page.evaluate(() => document.querySelectorAll('.windowViewMode-normal.active *').length);
    await page.goto(sandbox.url(undefined, `/lightning/r/Lead/${yamada.id15}/view?sandboxDelay=200`));
    await page.waitForSelector('.windowViewMode-normal.active records-lwc-highlights-panel');
    const small = await elements();
    await page.goto(sandbox.url(undefined, `/lightning/r/Lead/${yamada.id15}/view?sandboxLarge=1&sandboxDelay=500`));
    // nothing but the page frame before the data arrives, then everything at once
    expect(await page.locator('.windowViewMode-normal.active .forceRecordLayoutStencil').count()).toBe(1);
    await page.waitForSelector('.windowViewMode-normal.active records-lwc-highlights-panel');
    expect((await elements()) - small).toBeGreaterThan(8_500);
    expect(await page.locator('.windowViewMode-normal.active lst-related-list-single-container').count()).toBe(6);
    expect(await page.locator('.windowViewMode-normal.active .slds-timeline > li').count()).toBe(100);
    expect(await fieldCount(page)).toBe(9);
    await page.close();
  });

  it('answers 200 for favicon and the other CRM hosts', async () => {
    const page = await browser.context.newPage();
    const fav = await page.goto(sandbox.url(undefined, '/favicon.ico'));
    expect(fav?.status()).toBe(200);
    for (const url of ['https://acme.my.salesforce.com/', 'https://app.hubspot.com/', 'https://acme.crm7.dynamics.com/']) {
      expect((await page.goto(url))?.status(), url).toBe(200);
    }
    await page.close();
  });
});
