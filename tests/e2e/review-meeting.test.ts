import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startSandbox, LIGHTNING_HOST, type Sandbox } from '../sandbox/server';
import { SANDBOX_LEADS, type SandboxLead } from '../sandbox/leads';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { seed, storedEvents } from './harness/extension-db';
import { axeViolations } from './harness/axe';
import { REVIEW_CSV_COLUMNS } from '../../components/review/review-csv';
import { accepted, handedOver, recycled, rejected, MARKETER, REP_A, REP_B } from '../unit/domain/builders';

/**
 * The lead review meeting in the built extension (local-only mode: one person, every role): the
 * popup opens the meeting page, the rejected, contested and recycled leads are listed by reason,
 * an outcome is recorded and then shows in the lead's history in the panel, the list is saved as
 * CSV (UTF-8 with a BOM, and Shift_JIS) and read back, and the print layout drops the controls.
 */
const SHOTS = resolve(process.cwd(), 'tests/artifacts/screenshots');
mkdirSync(SHOTS, { recursive: true });

const L = (i: number) => SANDBOX_LEADS[i]!;
const keyOf = (l: SandboxLead) => `salesforce:${l.id}`;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

let sandbox: Sandbox;
let ja: LaunchedBrowser;
let en: LaunchedBrowser;
const leadUrl = (l: SandboxLead) => sandbox.url(LIGHTNING_HOST, `/lightning/r/Lead/${l.id15}/view`);
const snapshot = (l: SandboxLead) => ({ name: `${l.lastName} ${l.firstName}`, company: l.company, url: leadUrl(l) });

beforeAll(async () => {
  sandbox = await startSandbox({ fieldDelayMs: 100 });
  ja = await launchWithExtension({ sandboxPort: sandbox.port });
  en = await launchWithExtension({ sandboxPort: sandbox.port, locale: 'en-US' });
  for (const b of [ja, en])
    await seed(b, [
      handedOver({ at: minutesAgo(90), actor: MARKETER, leadKey: keyOf(L(0)), lead: snapshot(L(0)) }, { source: 'ウェビナー', note: '資料請求あり' }),
      rejected({ at: minutesAgo(80), actor: REP_A, leadKey: keyOf(L(0)) }, { reasonCode: 'bad_contact_data', temperature: 'cold', comment: '電話番号が不通' }),
      handedOver({ at: minutesAgo(90), actor: MARKETER, leadKey: keyOf(L(1)), lead: snapshot(L(1)) }),
      recycled({ at: minutesAgo(70), actor: REP_A, leadKey: keyOf(L(1)) }, 'not_ready'),
      handedOver({ at: minutesAgo(60), actor: MARKETER, leadKey: keyOf(L(2)), lead: snapshot(L(2)) }),
      accepted({ at: minutesAgo(50), actor: REP_A, leadKey: keyOf(L(2)) }, { temperature: 'warm' }),
      rejected({ at: minutesAgo(40), actor: REP_B, leadKey: keyOf(L(2)) }, { reasonCode: 'competitor' }),
    ]);
});

afterAll(async () => {
  await ja?.close();
  await en?.close();
  await sandbox?.close();
});

async function download(page: Page, button: string): Promise<Buffer> {
  const started = page.waitForEvent('download');
  await page.getByRole('button', { name: button }).click();
  const file = await (await started).path();
  return readFileSync(file);
}

describe('the lead review meeting (ja)', () => {
  let review: Page;
  const rejectedCard = () => review.getByRole('article', { name: new RegExp(`${L(0).lastName} ${L(0).firstName}`) });

  it('opens from the popup and lists the leads to discuss by reason', async () => {
    const popup = await ja.context.newPage();
    await popup.goto(ja.extensionUrl('popup.html'));
    const opened = ja.context.waitForEvent('page');
    await popup.getByRole('button', { name: 'リード検討会議' }).click();
    review = await opened;
    await review.waitForLoadState();
    await popup.close();
    expect(review.url()).toBe(ja.extensionUrl('review.html'));
    await expect
      .poll(() => review.getByRole('heading', { level: 2 }).allTextContents(), { timeout: 20_000 })
      .toEqual(['却下: 連絡先不備 (1 件)', '担当者間で判断が対立 (1 件)', 'ナーチャリングへ差し戻し: 検討時期が先 (1 件)', 'SLA: 双方の責任']);
    await expect.poll(() => rejectedCard().textContent()).toContain('電話番号が不通');
    expect(await rejectedCard().getByText('ウェビナー').count()).toBe(1);
    expect(await rejectedCard().getByRole('link', { name: 'CRM で開く' }).getAttribute('href')).toBe(leadUrl(L(0)));
    await review.screenshot({ path: `${SHOTS}/review-ja.png`, fullPage: true });
    // WCAG A/AA in a real browser (contrast included), and the form reachable by keyboard
    expect(await axeViolations(review)).toEqual([]);
    await rejectedCard().getByLabel('合意した結論').focus();
    await review.keyboard.press('Tab');
    expect(
      await rejectedCard()
        .getByLabel('メモ')
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
  });

  it('records the outcome agreed, which then shows in the lead’s history in the panel', async () => {
    const card = rejectedCard();
    await card.getByLabel('合意した結論').selectOption({ label: 'データを修正する' });
    await card.getByLabel('メモ').fill('電話番号を確認して再送する');
    await card.getByRole('button', { name: '結論を記録' }).click();
    await expect.poll(() => card.getByRole('status').last().textContent(), { timeout: 15_000 }).toBe('結論を記録しました: データを修正する');
    await expect.poll(() => card.locator('[data-outcome="fix_data"]').count(), { timeout: 15_000 }).toBe(1);
    const stored = (await storedEvents(ja)).map((r) => r.event).filter((e) => e.type === 'reviewed');
    expect(stored).toMatchObject([{ leadKey: keyOf(L(0)), payload: { outcome: 'fix_data', note: '電話番号を確認して再送する' } }]);
    await review.screenshot({ path: `${SHOTS}/review-recorded-ja.png`, fullPage: true });

    const page = await ja.context.newPage();
    await page.goto(leadUrl(L(0)));
    const handle = await page.waitForSelector('[data-sal-bridge-panel] iframe', { state: 'visible', timeout: 20_000 });
    const panel = (await handle.contentFrame())!;
    await expect.poll(() => panel.getByTestId('lead-status').textContent(), { timeout: 20_000 }).toBe('却下済');
    await panel.getByText(/^履歴/).click();
    const entry = panel.locator('[data-event-type="reviewed"]');
    await expect.poll(() => entry.textContent(), { timeout: 10_000 }).toContain('リード検討会議の結論 · データを修正する');
    expect(await entry.textContent()).toContain('電話番号を確認して再送する');
    await page.locator('[data-sal-bridge-panel]').screenshot({ path: `${SHOTS}/review-history-panel-ja.png` });
    await page.close();
  });

  it('saves the list as CSV that Excel reads in Japanese: UTF-8 with a BOM, or Shift_JIS', async () => {
    const utf8 = await download(review, 'CSV で保存 (UTF-8)');
    expect([...utf8.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8').decode(utf8.subarray(3));
    const [header, ...rows] = text.trimEnd().split('\r\n');
    expect(header!.split(',')).toEqual([...REVIEW_CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    const row = rows.find((r) => r.includes(L(0).company))!;
    for (const expected of ['却下', '連絡先不備', `${L(0).lastName} ${L(0).firstName}`, 'ウェビナー', '電話番号が不通', 'データを修正する', '電話番号を確認して再送する'])
      expect(row).toContain(expected);

    const sjis = await download(review, 'CSV で保存 (Shift_JIS・旧 Excel 向け)');
    expect([...sjis.subarray(0, 6)]).toEqual([...Buffer.from('reason')]);
    expect(new TextDecoder('shift_jis').decode(sjis)).toBe(text);
  });

  it('prints the list without its controls', async () => {
    await review.emulateMedia({ media: 'print' });
    expect(await rejectedCard().getByRole('button', { name: '結論を記録' }).isVisible()).toBe(false);
    expect(await review.getByRole('button', { name: '印刷' }).isVisible()).toBe(false);
    expect(await rejectedCard().isVisible()).toBe(true);
    await review.screenshot({ path: `${SHOTS}/review-print-ja.png`, fullPage: true });
    await review.emulateMedia({ media: 'screen' });
  });
});

describe('the lead review meeting (en)', () => {
  it('lists the same leads in English', async () => {
    const review = await en.context.newPage();
    await review.goto(en.extensionUrl('review.html'));
    await expect.poll(() => review.getByRole('heading', { level: 1 }).textContent(), { timeout: 20_000 }).toBe('Lead review meeting');
    await expect
      .poll(() => review.getByRole('heading', { level: 2 }).allTextContents(), { timeout: 20_000 })
      .toEqual(['Rejected: Bad contact data (1 lead(s))', 'Reps disagree (1 lead(s))', 'Back to nurture: Not ready yet (1 lead(s))', 'Both sides of the SLA']);
    expect(await review.getByRole('button', { name: 'Record the outcome' }).count()).toBe(3);
    await review.screenshot({ path: `${SHOTS}/review-en.png`, fullPage: true });
    await review.close();
  });
});
