import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startSandbox, LIGHTNING_HOST, type Sandbox } from '../sandbox/server';
import { NAMED_LEADS, SANDBOX_OWNER, leadDisplayName } from '../sandbox/leads';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { panelOf } from './harness/panel';
import { DEMO_TOKENS, startSyncServer, type RunningSyncServer } from './harness/sync-server';
import { SALESFORCE_LIGHTNING } from '../../lib/crm/descriptions/salesforce-lightning';
import type { AdapterDescription } from '../../lib/crm/description';
import type { TabLead } from '../../lib/messaging/protocol';

/**
 * Issue 16 end to end, in the built extension on the sandbox Lightning org: a record page whose
 * field markup changed (renamed classes, hooks dropped, fields in native shadow roots) still
 * reads whole; a change no bundled strategy knows makes the panel say what it could not read
 * (never disappear), and the team admin's description, served by the sync server, mends it
 * from the next page load, without a new build of the extension.
 */
const [yamada, sasaki] = NAMED_LEADS as [(typeof NAMED_LEADS)[0], (typeof NAMED_LEADS)[0]];
let sandbox: Sandbox;
let server: RunningSyncServer;
let rep: LaunchedBrowser;

const leadUrl = (id15: string, query: string) => sandbox.url(LIGHTNING_HOST, `/lightning/r/Lead/${id15}/view?${query}`);

type Chrome = { storage: { session: { get(keys: null): Promise<Record<string, unknown>> } }; runtime: { sendMessage(message: unknown): Promise<unknown> } };

/** What the service worker holds for the tabs showing `recordId` (the reads the content script sent), newest first. */
async function tabReads(recordId: string): Promise<Array<TabLead['read']>> {
  const all = await rep.serviceWorker!.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.storage.session.get(null));
  return Object.entries(all)
    .filter(([key]) => key.startsWith('tabLead:'))
    .map(([, value]) => value as TabLead)
    .filter((t) => t.read.recordId === recordId)
    .sort((a, b) => b.at - a.at)
    .map((t) => t.read);
}
const tabRead = async (recordId: string) => (await tabReads(recordId))[0];

async function open(id15: string, query: string): Promise<Page> {
  const page = await rep.context.newPage();
  await page.goto(leadUrl(id15, query));
  return page;
}

beforeAll(async () => {
  sandbox = await startSandbox({ fieldDelayMs: 100 });
  server = await startSyncServer();
  rep = await launchWithExtension({ sandboxPort: sandbox.port });
  const options = await rep.context.newPage();
  await options.goto(rep.extensionUrl('options.html'));
  await options.getByLabel('チームのサーバーと同期する').check();
  await options.getByLabel('サーバーURL').fill(server.url);
  await options.getByLabel('アクセストークン').fill(DEMO_TOKENS.rep1);
  await options.getByRole('button', { name: '保存' }).click();
  await options.getByTestId('sync-last').filter({ hasText: '最終同期' }).waitFor({ timeout: 30_000 });
  await options.close();
});

afterAll(async () => {
  await rep?.close();
  await server?.dispose();
  await sandbox?.close();
});

describe('adapters survive CRM releases (issue 16)', () => {
  it('a record page with renamed classes, dropped hooks and fields in native shadow roots still reads whole', async () => {
    const page = await open(yamada.id15, 'sandboxShadow=mixed&sandboxMarkup=renamed');
    const panel = await panelOf(page);
    await expect.poll(() => tabRead(yamada.id).then((r) => r?.status), { timeout: 20_000 }).toBe('complete');
    const read = (await tabRead(yamada.id))!;
    expect(read.lead).toMatchObject({ name: leadDisplayName(yamada), company: yamada.company, status: yamada.status, owner: SANDBOX_OWNER.name });
    // how it went, for read-health records: the anchor's strategy and the bundled description's version
    expect(read.strategy).toBe('highlights');
    expect(read.adapterVersion).toBe(SALESFORCE_LIGHTNING.version);
    await expect.poll(() => panel.getByRole('heading').first().textContent()).toContain(leadDisplayName(yamada));
    await page.close();
  });

  it('a change no strategy knows: the panel says what is missing; the admin’s description fixes it at the next page load', async () => {
    const before = await open(sasaki.id15, 'sandboxMarkup=future');
    const panel = await panelOf(before);
    // the panel degrades, it does not disappear: the lead it could read, and what it could not
    await expect.poll(() => panel.getByRole('status').filter({ hasText: '読み取れませんでした' }).first().textContent(), { timeout: 20_000 }).toContain('リード状況');
    expect((await tabRead(sasaki.id))?.missing).toEqual(['status']);
    await before.close();

    // the team admin mends the adapter with data: one more strategy for Lead Status, version 2
    const fix: AdapterDescription = {
      ...SALESFORCE_LIGHTNING,
      version: SALESFORCE_LIGHTNING.version + 1,
      fields: {
        ...SALESFORCE_LIGHTNING.fields,
        status: [
          ...SALESFORCE_LIGHTNING.fields.status!,
          { name: 'label-text-2026', label: ['リードステータス (新)'], at: '.slds-form-element__label', deep: true, value: ['[data-output-element-id="output-field"]'] },
        ],
      },
    };
    const put = await fetch(`${server.url}/v1/adapters`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${DEMO_TOKENS.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(fix),
    });
    expect(put.status).toBe(200);
    // a rep may not (and code is refused: the description is data only)
    const byRep = await fetch(`${server.url}/v1/adapters`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${DEMO_TOKENS.rep1}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...fix, version: fix.version + 1 }),
    });
    expect(byRep.status).toBe(403);

    // the extension picks it up with its next sync round
    const options = await rep.context.newPage();
    await options.goto(rep.extensionUrl('options.html'));
    await options.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ type: 'app.syncNow' }));
    await options.close();

    const after = await open(sasaki.id15, 'sandboxMarkup=future');
    await panelOf(after);
    await expect.poll(() => tabRead(sasaki.id).then((r) => r?.adapterVersion), { timeout: 20_000 }).toBe(fix.version);
    const read = (await tabRead(sasaki.id))!;
    expect(read.status).toBe('complete');
    expect(read.lead.status).toBe(sasaki.status);
    await after.close();
  });
});
