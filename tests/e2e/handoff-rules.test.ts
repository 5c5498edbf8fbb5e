import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startSandbox, LIGHTNING_HOST, type Sandbox } from '../sandbox/server';
import { SANDBOX_LEADS } from '../sandbox/leads';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { panelFitted, panelOf } from './harness/panel';
import { storedEvents } from './harness/extension-db';

/**
 * Hand-off rules, end to end in Chromium on the sandbox's Lightning pages, in local-only mode: the
 * rule is set in the options page; the list row whose Lead Status matches turns pending (受領待ち)
 * without anyone handing it over, its record page offers 受領 with the rule as the source, and
 * 受領 works. Rows that do not match stay untracked.
 */
const SHOTS = resolve(process.cwd(), 'tests/artifacts/screenshots');
mkdirSync(SHOTS, { recursive: true });

// the only lead of the sandbox's list whose Lead Status is "Working - Contacted"
const matching = SANDBOX_LEADS.find((l) => l.status === 'Working - Contacted')!;
const other = SANDBOX_LEADS.find((l) => l.status === 'Open - Not Contacted')!;
let sandbox: Sandbox;
let rep: LaunchedBrowser;

beforeAll(async () => {
  sandbox = await startSandbox({ fieldDelayMs: 100 });
  rep = await launchWithExtension({ sandboxPort: sandbox.port });
});

afterAll(async () => {
  await rep?.close();
  await sandbox?.close();
});

describe('hand-off rules', () => {
  it('a Lightning list row matching the rule shows 受領待ち, its lead page offers 受領 from the CRM rule, and 受領 works', async () => {
    const options = await rep.context.newPage();
    await options.goto(rep.extensionUrl('options.html'));
    const lightning = options.getByRole('group', { name: 'Salesforce (Lightning Experience)' });
    await lightning.getByRole('checkbox', { name: 'この CRM でルールを使う' }).check();
    await lightning.getByLabel('引き渡しとみなす値 (1 行に 1 つ)').fill('Working - Contacted');
    // the rules are part of the definition: the definition editor saves them as its next version
    await options.getByRole('button', { name: '新しい版にする' }).click();
    await expect.poll(() => options.getByText('SAL 定義 v2 を作成しました。').count(), { timeout: 10_000 }).toBe(1);
    await options.screenshot({ path: `${SHOTS}/options-handoff-rules-ja.png`, fullPage: true });

    const page = await rep.context.newPage();
    await page.goto(sandbox.url(LIGHTNING_HOST, '/lightning/o/Lead/list?filterName=Recent'));
    const badge = (id: string) => page.locator(`tr[data-row-key-value="${id}"] [data-sal-bridge-badge]`);
    await expect.poll(() => badge(matching.id).getAttribute('data-status'), { timeout: 20_000 }).toBe('pending');
    expect(await badge(other.id).getAttribute('data-status')).toBe('untracked');
    await page.screenshot({ path: `${SHOTS}/list-rule-pending-ja.png` });

    await page.evaluate((id) => (window as unknown as { __sandbox: { navigate(u: string): void } }).__sandbox.navigate(`/lightning/r/Lead/${id}/view`), matching.id15);
    const panel = await panelOf(page);
    await expect.poll(() => panel.getByTestId('lead-status').textContent(), { timeout: 20_000 }).toBe('受領待ち');
    await expect.poll(() => panel.getByTestId('handoff-source').textContent()).toContain('CRM のルール');
    expect(await panel.getByTestId('handoff-source').textContent()).toContain('status = Working - Contacted');
    await panelFitted(page, panel);
    await page.locator('[data-sal-bridge-panel]').screenshot({ path: `${SHOTS}/panel-rule-pending-ja.png` });

    await panel.getByRole('button', { name: '受領' }).click();
    await expect.poll(() => panel.getByTestId('lead-status').textContent()).toBe('受領済 (SAL)');

    // one hand-off for the lead, by the rule, however many times the list and the page were read
    const events = (await storedEvents(rep)).map((r) => r.event).filter((e) => e.leadKey === `salesforce:${matching.id}`);
    expect(events.map((e) => e.type).sort()).toEqual(['accepted', 'handed_over']);
    expect(events.find((e) => e.type === 'handed_over')).toMatchObject({ actor: { id: 'crm-rule' }, definitionVersion: 2, payload: { sourceKind: 'crm-rule' } });
    // accepted: the rule never hands it over again in this cycle. Back on the list (a SPA return
    // to its cached view), the row reads accepted and the lead still has one hand-off.
    await page.evaluate(() => (window as unknown as { __sandbox: { navigate(u: string): void } }).__sandbox.navigate('/lightning/o/Lead/list?filterName=Recent'));
    await expect.poll(() => badge(matching.id).getAttribute('data-status'), { timeout: 20_000 }).toBe('accepted');
    expect((await storedEvents(rep)).filter((r) => r.leadKey === `salesforce:${matching.id}` && r.event.type === 'handed_over')).toHaveLength(1);
  });
});
