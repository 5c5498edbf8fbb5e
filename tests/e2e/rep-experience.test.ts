import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { startSandbox, LIGHTNING_HOST, type Sandbox } from '../sandbox/server';
import { SANDBOX_LEADS, type SandboxLead } from '../sandbox/leads';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { seed } from './harness/extension-db';
import { DEFAULT_DEFINITION, type SalDefinition } from '../../lib/domain/definition';
import { accepted, handedOver, rejected, MARKETER, REP_B } from '../unit/domain/builders';

/**
 * The rep's whole job in the built extension, local-only mode (a fresh profile needs no
 * server): decide in the panel, log the first contact, mark SQL, see the queue in the popup,
 * get a notification when an SLA breaches. Marketing's hand-offs (which normally arrive by a
 * pull from the team server) are written into the extension's IndexedDB from its own service
 * worker, exactly as a pull would store them.
 */
/** The service worker's extension API, as far as these tests call it there. */
declare const chrome: {
  alarms: { create(name: string, info: { when: number }): Promise<void> };
  notifications: { getAll(callback: (n: Record<string, boolean>) => void): void };
  action: { getBadgeText(details: object): Promise<string> };
};

const SHOTS = resolve(process.cwd(), 'tests/artifacts/screenshots');
mkdirSync(SHOTS, { recursive: true });

const L = (i: number) => SANDBOX_LEADS[i]!;
const keyOf = (l: SandboxLead) => `salesforce:${l.id}`;
const REP_C = { id: 'u-rep-c', name: '高木' };

let sandbox: Sandbox;
let ja: LaunchedBrowser;
let en: LaunchedBrowser;

const leadUrl = (l: SandboxLead) => sandbox.url(LIGHTNING_HOST, `/lightning/r/Lead/${l.id15}/view`);
const snapshot = (l: SandboxLead) => ({ name: `${l.lastName} ${l.firstName}`, company: l.company, url: leadUrl(l) });
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

async function openPanel(b: LaunchedBrowser, l: SandboxLead): Promise<{ page: Page; panel: Frame }> {
  const page = await b.context.newPage();
  await page.goto(leadUrl(l));
  const handle = await page.waitForSelector('[data-sal-bridge-panel] iframe', { state: 'visible', timeout: 20_000 });
  const panel = await handle.contentFrame();
  if (!panel) throw new Error('panel iframe has no frame');
  await expect.poll(() => panel.getByRole('heading').first().textContent(), { timeout: 20_000 }).toContain(l.company);
  return { page, panel };
}

const status = (panel: Frame) => panel.getByTestId('lead-status').textContent();
async function shot(page: Page, name: string) {
  // let the frame settle to its reported height before the picture
  await page.waitForTimeout(300);
  await page.locator('[data-sal-bridge-panel]').screenshot({ path: `${SHOTS}/${name}.png` });
}

beforeAll(async () => {
  sandbox = await startSandbox({ fieldDelayMs: 100 });
  ja = await launchWithExtension({ sandboxPort: sandbox.port });
  en = await launchWithExtension({ sandboxPort: sandbox.port, locale: 'en-US' });
  for (const b of [ja, en]) {
    await seed(b, [
      ...[L(0), L(1), L(2), L(5)].map((l) => handedOver({ at: minutesAgo(30), actor: MARKETER, leadKey: keyOf(l), lead: snapshot(l) }, { score: l.score })),
      // marketing's CSV hand-over carries no CRM page: the queue builds it on the org seen here
      handedOver({ at: minutesAgo(30), actor: MARKETER, leadKey: keyOf(L(4)), lead: { name: `${L(4).lastName} ${L(4).firstName}`, company: L(4).company } }),
      handedOver({ at: minutesAgo(60), actor: MARKETER, leadKey: keyOf(L(7)), lead: snapshot(L(7)) }),
      accepted({ at: minutesAgo(50), actor: REP_B, leadKey: keyOf(L(7)) }, { temperature: 'warm', comment: '来月の予算確定後に提案' }),
      rejected({ at: minutesAgo(40), actor: REP_C, leadKey: keyOf(L(7)) }, { reasonCode: 'competitor', comment: '他社製品を導入済み' }),
    ]);
  }
});

afterAll(async () => {
  await ja?.close();
  await en?.close();
  await sandbox?.close();
});

describe('rep experience (ja)', () => {
  it('pending → 受領 with the checklist → first contact → SQL, with the history', async () => {
    const { page, panel } = await openPanel(ja, L(0));
    await expect.poll(() => status(panel), { timeout: 20_000 }).toBe('受領待ち');
    await expect.poll(() => panel.locator('[data-clock="acceptance"]').getAttribute('data-state')).toMatch(/running|warning|breached/);
    await shot(page, 'rep-pending-ja');
    await page.screenshot({ path: `${SHOTS}/rep-record-page-ja.png` });

    await panel.getByLabel('決裁者である').check();
    await panel.getByRole('group', { name: /BANT/ }).getByLabel('予算').check();
    await panel.getByRole('group', { name: /BANT/ }).getByLabel('決裁権').check();
    await panel.getByLabel('ホット').check();
    await panel.getByLabel('コメント (任意)').fill('来期の導入を検討中');
    await panel.getByRole('button', { name: '受領', exact: true }).click();
    await expect.poll(() => status(panel)).toBe('受領済 (SAL)');
    await expect.poll(() => panel.locator('[data-clock="first_contact"]').getAttribute('data-state')).toBe('running');
    await expect.poll(() => panel.getByText('温度感: ホット').count()).toBe(1);
    await shot(page, 'rep-accepted-ja');

    await panel.getByRole('form', { name: '初回接触を記録' }).getByLabel('電話').check();
    await panel.getByRole('button', { name: '接触を記録する' }).click();
    await expect.poll(() => status(panel)).toBe('初回接触済');
    await expect.poll(() => panel.locator('[data-clock="first_contact"]').getAttribute('data-state')).toBe('met');
    await panel.getByRole('button', { name: 'SQL化' }).click();
    await expect.poll(() => status(panel)).toBe('SQL化済');
    await panel.getByText(/^履歴/).click();
    const history = panel.getByRole('list', { name: '履歴' }).getByRole('listitem');
    await expect.poll(() => history.count()).toBe(4);
    expect(await history.first().textContent()).toMatch(/SQL化.*あなた.*定義 v1/);
    await shot(page, 'rep-qualified-ja');
    await page.close();
  });

  it('a reject with その他 and no comment is refused with a clear message; with a comment it is recorded', async () => {
    const { page, panel } = await openPanel(ja, L(5));
    await expect.poll(() => status(panel), { timeout: 20_000 }).toBe('受領待ち');
    // the data checks are evaluated from the page: this lead's score is 12
    await expect.poll(() => panel.getByText('スコアが基準未満 (12 < 50)').count()).toBe(1);
    await panel.getByRole('button', { name: '却下', exact: true }).click();
    await panel.getByLabel('却下理由').selectOption({ label: 'その他' });
    await panel.getByRole('button', { name: '却下する' }).click();
    await expect.poll(() => panel.getByRole('alert').textContent()).toBe('この理由ではコメントが必要です。');
    expect(await status(panel)).toBe('受領待ち');
    await shot(page, 'rep-reject-refused-ja');
    await panel.getByLabel('コメント *').fill('展示会で名刺交換のみ。検討予定なし');
    await panel.getByRole('button', { name: '却下する' }).click();
    await expect.poll(() => status(panel)).toBe('却下済');
    await expect.poll(() => panel.getByRole('button', { name: '再オープン' }).count()).toBe(1);
    await shot(page, 'rep-rejected-ja');
    await page.close();
  });

  it('contested and sales-originated states', async () => {
    const contested = await openPanel(ja, L(7));
    await expect.poll(() => status(contested.panel), { timeout: 20_000 }).toBe('判断が分かれています');
    expect(await contested.panel.locator('[data-decision="rejected"]').textContent()).toContain('高木');
    await shot(contested.page, 'rep-contested-ja');
    await contested.page.close();

    const { page, panel } = await openPanel(ja, L(6));
    await expect.poll(() => status(panel), { timeout: 20_000 }).toBe('引き渡し記録なし');
    await shot(page, 'rep-untracked-ja');
    await panel.getByLabel('きっかけ').selectOption({ label: 'インテントシグナル' });
    await panel.getByRole('button', { name: '営業起点 SAL として登録' }).click();
    await expect.poll(() => status(panel)).toBe('受領済 (SAL)');
    await expect.poll(() => panel.getByTestId('sales-originated').textContent()).toContain('インテントシグナル');
    await shot(page, 'rep-sales-originated-ja');
    await page.close();
  });

  it('the popup queue lists my leads with their countdowns and opens the CRM page', async () => {
    const popup = await ja.context.newPage();
    await popup.setViewportSize({ width: 380, height: 700 });
    await popup.goto(ja.extensionUrl('popup.html'));
    const item = popup.locator(`[data-lead-key="${keyOf(L(2))}"]`);
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1);
    expect(await item.locator('[data-clock="acceptance"]').textContent()).toMatch(/残り|超過/);
    // the SQL'd lead is still mine (status-update clock), the rejected one is not
    await expect.poll(() => popup.locator(`[data-lead-key="${keyOf(L(0))}"] [data-clock="status_update"]`).count()).toBe(1);
    expect(await popup.locator(`[data-lead-key="${keyOf(L(5))}"]`).count()).toBe(0);
    await popup.screenshot({ path: `${SHOTS}/rep-popup-queue-ja.png` });
    const opened = ja.context.waitForEvent('page');
    await item.getByRole('button').click();
    const crm = await opened;
    await crm.waitForLoadState();
    expect(crm.url()).toBe(leadUrl(L(2)));
    await crm.close();
    // the CSV hand-over opens too, on the Lightning org of the other leads (18-character id)
    const csvItem = popup.locator(`[data-lead-key="${keyOf(L(4))}"]`);
    await expect.poll(() => csvItem.getByRole('button').isEnabled()).toBe(true);
    const openedCsv = ja.context.waitForEvent('page');
    await csvItem.getByRole('button').click();
    const csvPage = await openedCsv;
    await csvPage.waitForLoadState();
    expect(csvPage.url()).toBe(sandbox.url(LIGHTNING_HOST, `/lightning/r/Lead/${L(4).id}/view`));
    await csvPage.close();
    await popup.close();
  });

  it('the KPI page (from the popup) shows the figures of the events held here', async () => {
    const popup = await ja.context.newPage();
    await popup.goto(ja.extensionUrl('popup.html'));
    const opened = ja.context.waitForEvent('page');
    await popup.getByRole('button', { name: 'KPI を見る' }).click();
    const kpis = await opened;
    await kpis.waitForLoadState();
    expect(kpis.url()).toBe(ja.extensionUrl('kpis.html'));
    // a rolling period: the seeded hand-overs are minutes old whatever the date
    await kpis.getByRole('combobox', { name: /^期間/ }).selectOption({ label: '過去30日' });
    const headline = kpis.getByRole('region', { name: '量・質・運用' });
    await expect.poll(() => headline.textContent(), { timeout: 15_000 }).toMatch(/受領率 \(MQL→SAL\)\d+%/);
    expect(await kpis.getByRole('table', { name: '担当者別' }).getByRole('row', { name: /鈴木/ }).count()).toBe(1);
    expect(await kpis.getByText(/ローカルモードのため/).count()).toBe(1);
    await kpis.screenshot({ path: `${SHOTS}/kpis-ja.png`, fullPage: true });
    await kpis.close();
    await popup.close();
  });

  it('a breach produces a notification and the badge counts it (short SLA)', async () => {
    // a one-minute calendar-time acceptance SLA: the breach comes while the test waits
    const short: SalDefinition = { ...DEFAULT_DEFINITION, version: 2, clocks: { ...DEFAULT_DEFINITION.clocks, acceptance: { minutes: 0.1, basis: 'calendar', warnBeforeMinutes: 0.05 } } };
    await seed(ja, [handedOver({ at: new Date(), actor: MARKETER, leadKey: keyOf(L(8)), lead: snapshot(L(8)) })], { activeDefinition: short });
    await new Promise((r) => setTimeout(r, 7_000));
    // wake the queue service as its periodic alarm would (raw IndexedDB writes do not notify it)
    await ja.serviceWorker!.evaluate(() => chrome.alarms.create('sal-bridge:queue-tick', { when: Date.now() + 10 }));
    const ids = () => ja.serviceWorker!.evaluate(() => new Promise<string[]>((res) => chrome.notifications.getAll((n) => res(Object.keys(n)))));
    await expect.poll(ids, { timeout: 15_000 }).toContainEqual(expect.stringMatching(new RegExp(`^sal\\|${keyOf(L(8))}\\|acceptance\\|\\d+\\|breached$`)));
    const badge = await ja.serviceWorker!.evaluate(() => chrome.action.getBadgeText({}));
    expect(Number(badge)).toBeGreaterThanOrEqual(1);
  });
});

describe('rep experience (en)', () => {
  it('the panel states in English', async () => {
    const pending = await openPanel(en, L(0));
    await expect.poll(() => status(pending.panel), { timeout: 20_000 }).toBe('Waiting for acceptance');
    await shot(pending.page, 'rep-pending-en');
    await pending.panel.getByRole('button', { name: 'Accept', exact: true }).click();
    await expect.poll(() => status(pending.panel)).toBe('Accepted (SAL)');
    await expect.poll(() => pending.panel.getByRole('button', { name: /Undo your last action "Accepted"/ }).count()).toBe(1);
    await shot(pending.page, 'rep-accepted-en');
    await pending.page.close();

    const reject = await openPanel(en, L(5));
    await reject.panel.getByRole('button', { name: 'Reject', exact: true }).click();
    await reject.panel.getByLabel('Reject reason').selectOption({ label: 'Other' });
    await reject.panel.getByRole('button', { name: 'Reject lead' }).click();
    await expect.poll(() => reject.panel.getByRole('alert').textContent()).toBe('This reason needs a comment.');
    await shot(reject.page, 'rep-reject-refused-en');
    await reject.panel.getByLabel('Reject reason').selectOption({ label: 'Do not call' });
    await reject.panel.getByRole('button', { name: 'Reject lead' }).click();
    await expect.poll(() => status(reject.panel)).toBe('Rejected');
    await shot(reject.page, 'rep-rejected-en');
    await reject.page.close();

    const contested = await openPanel(en, L(7));
    await expect.poll(() => status(contested.panel), { timeout: 20_000 }).toBe('Reps disagree');
    await shot(contested.page, 'rep-contested-en');
    await contested.page.close();

    const untracked = await openPanel(en, L(6));
    await expect.poll(() => status(untracked.panel), { timeout: 20_000 }).toBe('No hand-off recorded');
    await shot(untracked.page, 'rep-untracked-en');
    await untracked.page.close();

    const popup = await en.context.newPage();
    await popup.setViewportSize({ width: 380, height: 600 });
    await popup.goto(en.extensionUrl('popup.html'));
    await expect.poll(() => popup.getByRole('heading', { name: /My queue/ }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => popup.locator(`[data-lead-key="${keyOf(L(2))}"] [role="timer"]`).textContent()).toMatch(/left|overdue/);
    await popup.screenshot({ path: `${SHOTS}/rep-popup-queue-en.png` });
    await popup.close();
  });
});
