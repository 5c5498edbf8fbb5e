import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { startSandbox, LIGHTNING_HOST, type Sandbox } from '../sandbox/server';
import { SANDBOX_LEADS } from '../sandbox/leads';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { seed, storedEvents } from './harness/extension-db';
import { panelOf } from './harness/panel';
import { DEFAULT_DEFINITION, type SalDefinition } from '../../lib/domain/definition';
import { handedOver } from '../unit/domain/builders';
import { DYNAMICS_HOST, dynamicsLeadGuid, dynamicsRecordPath } from '../sandbox/dynamics';
import { makeLeadKey } from '../../lib/domain/lead-key';

/**
 * Write-back to Salesforce, end to end: the built extension in Chromium, the sandbox org's
 * Lightning pages and its REST API on the my.salesforce.com host, the rep's session as the
 * sandbox's login page left it in the `sid` cookie. Decisions are made in the panel; the sandbox
 * record's status changes (or the CRM's refusal is shown, the decision kept).
 */
const SHOTS = resolve(process.cwd(), 'tests/artifacts/screenshots');
mkdirSync(SHOTS, { recursive: true });

const [lead1, lead2, lead3] = SANDBOX_LEADS;
const DEFINITION: SalDefinition = {
  ...DEFAULT_DEFINITION,
  writeback: {
    salesforce: {
      on: {
        accepted: { Status: { value: 'Working - Contacted' }, SAL_Accepted_Date__c: { from: 'date' } },
        // no reason field mapped: the sandbox org's validation rule refuses it
        rejected: { Status: { value: 'Closed - Not Converted' } },
      },
    },
    // Dynamics 365 lead: statecode 0 (Open), statuscode 2 (連絡済み)
    dynamics: { on: { accepted: { statecode: { value: 0 }, statuscode: { value: 2 } } } },
  },
};
const dynamicsGuid = dynamicsLeadGuid(lead1!).replace(/[{}]/g, '').toLowerCase();

let sandbox: Sandbox;
let rep: LaunchedBrowser;
const leadUrl = (id15: string) => sandbox.url(LIGHTNING_HOST, `/lightning/r/Lead/${id15}/view`);
const signIn = (page: Page, next: string) => page.goto(sandbox.url('acme.my.salesforce.com', `/__sandbox/login?next=${encodeURIComponent(next)}`));
const writebackLine = (panel: Frame) => panel.locator('.sal-writeback__item').last();
/** The Lead Status the sandbox record page shows. */
const recordStatus = (page: Page) => page.locator('[data-target-selection-name="sfdc:RecordField.Lead.Status"] .test-id__field-value').first().textContent();

beforeAll(async () => {
  sandbox = await startSandbox({ fieldDelayMs: 100 });
  rep = await launchWithExtension({ sandboxPort: sandbox.port });
  // marketing's hand-offs as a pull would store them, and the team's definition with its mapping
  await seed(
    rep,
    [
      ...[lead1!, lead2!, lead3!].map((l) => handedOver({ at: new Date(Date.now() - 3600_000), leadKey: `salesforce:${l.id}` })),
      handedOver({ at: new Date(Date.now() - 3600_000), leadKey: makeLeadKey('dynamics', dynamicsLeadGuid(lead1!)) }),
    ],
    { activeDefinition: DEFINITION },
  );
});

afterAll(async () => {
  await rep?.close();
  await sandbox?.close();
});

describe('write-back to Salesforce (Lightning)', () => {
  it('受領 writes Lead Status with the rep’s session; the sandbox record shows it after a reload', async () => {
    const page = await rep.context.newPage();
    await signIn(page, leadUrl(lead1!.id15));
    expect(page.url()).toBe(leadUrl(lead1!.id15));
    const panel = await panelOf(page);
    await expect.poll(() => panel.getByTestId('lead-status').textContent(), { timeout: 20_000 }).toBe('受領待ち');
    expect(await recordStatus(page)).toBe('Open - Not Contacted');
    await panel.getByRole('button', { name: '受領' }).click();
    await expect.poll(() => writebackLine(panel).getAttribute('data-writeback-state'), { timeout: 15_000 }).toBe('reflected');
    expect(await writebackLine(panel).textContent()).toContain('Salesforce を更新しました — 再読み込みで表示されます');
    expect(sandbox.crm.salesforce.get(lead1!.id)?.fields).toMatchObject({ Status: 'Working - Contacted', SAL_Accepted_Date__c: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(sandbox.crm.writes.filter((w) => w.id === lead1!.id)).toHaveLength(1);
    await page.locator('[data-sal-bridge-panel]').screenshot({ path: `${SHOTS}/panel-writeback-reflected-ja.png` });
    await page.reload();
    await expect.poll(() => recordStatus(page), { timeout: 15_000 }).toBe('Working - Contacted');
    await page.screenshot({ path: `${SHOTS}/record-page-after-writeback-ja.png` });
  });

  it('a validation rule’s refusal shows the CRM’s message and keeps the decision', async () => {
    const page = await rep.context.newPage();
    await page.goto(leadUrl(lead2!.id15));
    const panel = await panelOf(page);
    await expect.poll(() => panel.getByTestId('lead-status').textContent(), { timeout: 20_000 }).toBe('受領待ち');
    await panel.getByRole('button', { name: '却下', exact: true }).click();
    await panel.getByLabel('却下理由').selectOption({ label: '架電NG' });
    await panel.getByRole('button', { name: '却下する' }).click();
    await expect.poll(() => panel.getByTestId('lead-status').textContent()).toBe('却下済');
    await expect.poll(() => writebackLine(panel).getAttribute('data-writeback-state'), { timeout: 15_000 }).toBe('failed');
    expect(await writebackLine(panel).getByRole('alert').textContent()).toContain('「Closed - Not Converted」にするには却下理由 (SAL_Reject_Reason__c) を入力してください。');
    expect(await writebackLine(panel).getByRole('button', { name: '再試行' }).isVisible()).toBe(true);
    await page.locator('[data-sal-bridge-panel]').screenshot({ path: `${SHOTS}/panel-writeback-refused-ja.png` });
    // the decision stays recorded; the CRM record is untouched
    expect((await storedEvents(rep)).filter((e) => e.leadKey === `salesforce:${lead2!.id}` && e.event.type === 'rejected')).toHaveLength(1);
    expect(sandbox.crm.salesforce.get(lead2!.id)?.fields.Status).toBe(lead2!.status);
  });

  it('an expired session asks the rep to sign in again, and the write completes after sign-in', async () => {
    sandbox.crm.salesforceSessions.clear();
    const page = await rep.context.newPage();
    await page.goto(leadUrl(lead3!.id15));
    const panel = await panelOf(page);
    await expect.poll(() => panel.getByTestId('lead-status').textContent(), { timeout: 20_000 }).toBe('受領待ち');
    await panel.getByRole('button', { name: '受領' }).click();
    await expect.poll(() => writebackLine(panel).getAttribute('data-writeback-state'), { timeout: 15_000 }).toBe('sign_in');
    expect(await writebackLine(panel).getByRole('alert').textContent()).toBe('Salesforce にサインインし直してください。サインイン後に反映します');
    await page.locator('[data-sal-bridge-panel]').screenshot({ path: `${SHOTS}/panel-writeback-sign-in-ja.png` });
    expect(sandbox.crm.salesforce.get(lead3!.id)?.fields.Status).toBe('Open - Not Contacted');

    // the rep signs in again in another tab: the new sid cookie wakes the queue
    const login = await rep.context.newPage();
    await signIn(login, sandbox.url(LIGHTNING_HOST, '/lightning/page/home'));
    await expect.poll(() => writebackLine(panel).getAttribute('data-writeback-state'), { timeout: 20_000 }).toBe('reflected');
    expect(sandbox.crm.salesforce.get(lead3!.id)?.fields.Status).toBe('Working - Contacted');
    await page.locator('[data-sal-bridge-panel]').screenshot({ path: `${SHOTS}/panel-writeback-after-sign-in-ja.png` });
  });
});

describe('write-back to Dynamics 365', () => {
  it('受領 writes the lead through the Web API from the record’s own tab, with the user’s session', async () => {
    const page = await rep.context.newPage();
    await page.goto(sandbox.url(DYNAMICS_HOST, dynamicsRecordPath(lead1!)));
    const panel = await panelOf(page);
    await expect.poll(() => panel.getByTestId('lead-status').textContent(), { timeout: 20_000 }).toBe('受領待ち');
    await panel.getByRole('button', { name: '受領' }).click();
    await expect.poll(() => writebackLine(panel).getAttribute('data-writeback-state'), { timeout: 15_000 }).toBe('reflected');
    expect(await writebackLine(panel).textContent()).toContain('Dynamics 365 を更新しました — 再読み込みで表示されます');
    expect(sandbox.crm.dynamics.get(dynamicsGuid)?.fields).toMatchObject({ statecode: 0, statuscode: 2 });
    await page.locator('[data-sal-bridge-panel]').screenshot({ path: `${SHOTS}/dynamics-panel-writeback-reflected-ja.png` });
    await page.reload();
    await expect.poll(() => page.locator('[data-id="header_statuscode.fieldControl-option-set-select"]').textContent(), { timeout: 15_000 }).toBe('連絡済み');
    await page.screenshot({ path: `${SHOTS}/dynamics-record-after-writeback-ja.png` });
  });
});
