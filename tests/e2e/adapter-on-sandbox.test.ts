import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { LeadRead, PageKind } from '../../lib/crm';
import { NAMED_LEADS } from '../sandbox/leads';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { injectCrmAdapters } from './harness/adapter-bundle';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';

// The production Lightning adapter, bundled as the content script gets it, run inside the
// sandbox CRM in Chromium: the sandbox and the adapter must agree on the real page shapes,
// in synthetic and native shadow DOM, across SPA navigation with cached hidden records.

const [yamada, sasaki] = NAMED_LEADS as [(typeof NAMED_LEADS)[0], (typeof NAMED_LEADS)[0]];
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

interface InPage {
  detect: PageKind;
  read: LeadRead | null;
  anchor: string | null;
  rows: number;
}

/** Runs the adapter against the live page, as the content script would. */
async function inPage(page: Page): Promise<InPage> {
  await injectCrmAdapters(page);
  return page.evaluate(() => {
    type Crm = typeof import('../../lib/crm');
    const crm = (globalThis as unknown as { SalCrm: Crm }).SalCrm;
    const adapter = crm.adapterFor(new URL(location.href))!;
    const detect = adapter.detectPage(new URL(location.href));
    const id = detect.kind === 'lead-record' ? detect.recordId : '';
    return {
      detect,
      read: id ? adapter.readLead(document, id) : null,
      anchor: id ? (adapter.findRecordAnchor(document, id)?.localName ?? null) : null,
      rows: adapter.listRows(document).length,
    };
  });
}

for (const mode of ['synthetic', 'open'] as const) {
  describe(`Lightning adapter on the sandbox (${mode} shadow)`, () => {
    it('reads the visible lead after SPA navigation, never the cached one', async () => {
      const page = await browser.context.newPage();
      const q = mode === 'open' ? '?sandboxShadow=open' : '';
      await page.goto(sandbox.url(undefined, `/lightning/r/Lead/${yamada.id15}/view${q}`));
      await expect.poll(async () => (await inPage(page)).read?.status, { timeout: 5000 }).toBe('complete');
      const first = await inPage(page);
      expect(first.detect).toEqual({ kind: 'lead-record', recordId: yamada.id });
      expect(first.anchor).toBe('records-lwc-highlights-panel');
      expect(first.read?.lead).toMatchObject({ name: '山田 太郎', company: yamada.company, email: yamada.email, phone: yamada.phone, score: yamada.score });

      await page.evaluate((id) => (window as unknown as { __sandbox: { navigate(u: string): void } }).__sandbox.navigate(`/lightning/r/Lead/${id}/view`), sasaki.id15);
      // right after navigation the new record has not rendered: the reader must not fall back to the old one
      const during = await inPage(page);
      expect(during.detect).toEqual({ kind: 'lead-record', recordId: sasaki.id });
      expect(during.read?.lead.name ?? '').not.toBe('山田 太郎');
      await expect.poll(async () => (await inPage(page)).read?.lead.name, { timeout: 5000 }).toBe('佐々木 花子');

      await page.goto(sandbox.url(undefined, `/lightning/o/Lead/list?filterName=Recent${mode === 'open' ? '&sandboxShadow=open' : ''}`));
      await expect.poll(async () => (await inPage(page)).rows, { timeout: 5000 }).toBe(50);
      expect((await inPage(page)).detect).toEqual({ kind: 'lead-list' });
      await page.close();
    });
  });
}

it('a record whose fields never render reads as none, with a fallback anchor', async () => {
  const page = await browser.context.newPage();
  await page.goto(sandbox.url(undefined, `/lightning/r/Lead/${yamada.id}/view?sandboxFields=never`));
  await page.waitForTimeout(500);
  const r = await inPage(page);
  expect(r.read?.status).toBe('none');
  expect(r.anchor).toBeNull();
  await page.close();
});
