import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { startSandbox, LIGHTNING_HOST, type Sandbox } from '../sandbox/server';
import { SANDBOX_LEADS, type SandboxLead } from '../sandbox/leads';
import { DEFAULT_EXTENSION_PATH, launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { seed } from './harness/extension-db';
import { axeViolations, contrastRatio, type AxeFinding } from './harness/axe';
import { accepted, contacted, handedOver, qualified, rejected, won, MARKETER, REP_B } from '../unit/domain/builders';
import { FOCUS_PANEL_COMMAND, focusPanelFrame } from '../../lib/background/commands';
import { PANEL_FRAME_SELECTOR } from '../../lib/content/panel-frame';

/**
 * Issue 13: the rep's job by keyboard alone, in Japanese and in English: Tab from the CRM page
 * into the panel, 受領 with Enter, the reject flow with a required comment, each ending with
 * focus on a meaningful control and the live region's words; the shortcut that jumps to the
 * panel; axe-core (WCAG 2.1 A/AA, contrast measured in the browser) on every page and panel
 * state; the list badges' contrast from their computed colours.
 */
declare const chrome: { commands: { getAll(): Promise<Array<{ name?: string; shortcut?: string }>> } };

const SHOTS = resolve(process.cwd(), 'tests/artifacts/screenshots');
mkdirSync(SHOTS, { recursive: true });

const L = (i: number) => SANDBOX_LEADS[i]!;
const keyOf = (l: SandboxLead) => `salesforce:${l.id}`;
const REP_C = { id: 'u-rep-c', name: '高木' };
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

let sandbox: Sandbox;
let ja: LaunchedBrowser;
let en: LaunchedBrowser;

const leadUrl = (l: SandboxLead) => sandbox.url(LIGHTNING_HOST, `/lightning/r/Lead/${l.id15}/view`);
const snapshot = (l: SandboxLead) => ({ name: `${l.lastName} ${l.firstName}`, company: l.company, url: leadUrl(l) });

/** Marketing's hand-offs and the team's decisions, one lead per list-badge status. */
function seedEvents() {
  const handed = (l: SandboxLead, at = minutesAgo(20)) => handedOver({ at, actor: MARKETER, leadKey: keyOf(l), lead: snapshot(l) }, { score: l.score });
  return [
    // pending, for the keyboard runs (accept, reject, shortcut)
    handed(L(0)),
    handed(L(5)),
    handed(L(2)),
    // overdue: handed over a week ago, never accepted
    handed(L(1), minutesAgo(7 * 24 * 60)),
    // accepted
    handed(L(3)),
    accepted({ at: minutesAgo(10), actor: REP_B, leadKey: keyOf(L(3)) }),
    // rejected
    handed(L(4)),
    rejected({ at: minutesAgo(10), actor: REP_B, leadKey: keyOf(L(4)) }, { reasonCode: 'competitor' }),
    // contested
    handed(L(7)),
    accepted({ at: minutesAgo(15), actor: REP_B, leadKey: keyOf(L(7)) }),
    rejected({ at: minutesAgo(10), actor: REP_C, leadKey: keyOf(L(7)) }, { reasonCode: 'competitor', comment: '他社製品を導入済み' }),
    // qualified
    handed(L(8)),
    accepted({ at: minutesAgo(15), actor: REP_B, leadKey: keyOf(L(8)) }),
    contacted({ at: minutesAgo(12), actor: REP_B, leadKey: keyOf(L(8)) }),
    qualified({ at: minutesAgo(10), actor: REP_B, leadKey: keyOf(L(8)) }),
    // closed (won)
    handed(L(9)),
    accepted({ at: minutesAgo(15), actor: REP_B, leadKey: keyOf(L(9)) }),
    contacted({ at: minutesAgo(12), actor: REP_B, leadKey: keyOf(L(9)) }),
    won({ at: minutesAgo(10), actor: REP_B, leadKey: keyOf(L(9)) }),
    // L(6), L(10), L(11): untracked
  ];
}

async function openPanel(b: LaunchedBrowser, l: SandboxLead): Promise<{ page: Page; panel: Frame }> {
  const page = await b.context.newPage();
  await page.goto(leadUrl(l));
  const handle = await page.waitForSelector('[data-sal-bridge-panel] iframe', { state: 'visible', timeout: 20_000 });
  const panel = await handle.contentFrame();
  if (!panel) throw new Error('panel iframe has no frame');
  await expect.poll(() => panel.getByRole('heading').first().textContent(), { timeout: 20_000 }).toContain(l.company);
  await expect.poll(() => panel.locator('[data-lead-ready]').count(), { timeout: 20_000 }).toBe(1);
  return { page, panel };
}

/** What has keyboard focus in the panel: null while the panel's document does not have it. */
function focused(panel: Frame) {
  return panel.evaluate(() => {
    if (!document.hasFocus()) return null;
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'BODY', text: '', testId: null, label: null };
    const label = el.id ? (document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent ?? null) : null;
    return { tag: el.tagName, text: (el.textContent ?? '').trim(), testId: el.getAttribute('data-testid'), label };
  });
}

/** Presses Tab in the CRM page until focus enters the panel (the page's own controls come first). */
async function tabIntoPanel(page: Page, panel: Frame) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(panel);
    if (f) return f;
  }
  throw new Error('Tab never reached the panel');
}

/**
 * The focus indicator of the focused control: its outline, and its contrast against what it is
 * drawn on (the nearest ancestor's opaque background, as the outline sits outside the control).
 */
async function focusRing(target: Page | Frame) {
  const ring = await target.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const style = getComputedStyle(el);
    let bg = 'rgb(255, 255, 255)';
    for (let a = el.parentElement; a; a = a.parentElement) {
      const c = getComputedStyle(a).backgroundColor;
      if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') {
        bg = c;
        break;
      }
    }
    return { tag: el.tagName, style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor, bg };
  });
  return { ...ring, contrast: contrastRatio(ring.color, ring.bg) };
}

/** WCAG 2.4.7 / 1.4.11: a solid ring at least 2px wide and 3:1 against its surroundings. */
async function expectVisibleFocus(target: Page | Frame, what: string) {
  const ring = await focusRing(target);
  expect(ring.style, what).toBe('solid');
  expect(ring.width, what).toBeGreaterThanOrEqual(2);
  expect(ring.contrast, `${what}: ${ring.color} on ${ring.bg}`).toBeGreaterThanOrEqual(3);
}

const announced = async (panel: Frame) => ((await panel.getByTestId('panel-announcer').textContent()) ?? '').trim();
const status = (panel: Frame) => panel.getByTestId('lead-status').textContent();

async function shot(page: Page, name: string) {
  await page.waitForTimeout(300);
  await page.locator('[data-sal-bridge-panel]').screenshot({ path: `${SHOTS}/${name}.png` });
}

/** No axe violation at all on `target`; the findings are printed when there are some. */
async function expectNoAxeViolations(target: Page | Frame, view: string) {
  const found: AxeFinding[] = await axeViolations(target);
  expect(found, `${view}: ${JSON.stringify(found, null, 1)}`).toEqual([]);
}

beforeAll(async () => {
  sandbox = await startSandbox({ fieldDelayMs: 50 });
  ja = await launchWithExtension({ sandboxPort: sandbox.port });
  en = await launchWithExtension({ sandboxPort: sandbox.port, locale: 'en-US' });
  for (const b of [ja, en]) await seed(b, seedEvents());
});

afterAll(async () => {
  await ja?.close();
  await en?.close();
  await sandbox?.close();
});

const RUNS = [
  {
    lang: 'ja' as const,
    browser: () => ja,
    accept: '受領',
    reject: '却下',
    pending: '受領待ち',
    accepted: '受領済 (SAL)',
    rejected: '却下済',
    reasonLabel: '却下理由',
    other: 'その他',
    commentRequired: 'この理由ではコメントが必要です。',
    acceptedSaid: '受領しました',
    rejectedSaid: '却下しました: その他',
  },
  {
    lang: 'en' as const,
    browser: () => en,
    accept: 'Accept',
    reject: 'Reject',
    pending: 'Waiting for acceptance',
    accepted: 'Accepted (SAL)',
    rejected: 'Rejected',
    reasonLabel: 'Reject reason',
    other: 'Other',
    commentRequired: 'This reason needs a comment.',
    acceptedSaid: 'Accepted.',
    rejectedSaid: 'Rejected: Other',
  },
];

describe.each(RUNS)('keyboard only ($lang)', (run) => {
  it('Tab from the CRM page reaches 受領 first; Enter records it, focus lands on the new status and it is announced', async () => {
    const { page, panel } = await openPanel(run.browser(), L(0));
    expect(await status(panel)).toBe(run.pending);
    expect(await panel.evaluate(() => document.documentElement.lang)).toBe(run.lang);
    await expectNoAxeViolations(panel, `panel pending (${run.lang})`);

    const first = await tabIntoPanel(page, panel);
    expect(first).toMatchObject({ tag: 'BUTTON', text: run.accept });
    await expectVisibleFocus(panel, '受領');
    await shot(page, `keyboard-focus-accept-${run.lang}`);
    await page.keyboard.press('Enter');
    await expect.poll(() => status(panel), { timeout: 15_000 }).toBe(run.accepted);
    await expect.poll(() => announced(panel)).toBe(run.acceptedSaid);
    await expect.poll(() => focused(panel)).toMatchObject({ testId: 'lead-status', text: run.accepted });
    await shot(page, `keyboard-accepted-${run.lang}`);
    await expectNoAxeViolations(panel, `panel accepted (${run.lang})`);
    await page.close();
  });

  it('the reject flow: the form opens on its reason, a missing comment takes focus to the comment, the rejection is announced', async () => {
    const { page, panel } = await openPanel(run.browser(), L(5));
    expect(await tabIntoPanel(page, panel)).toMatchObject({ text: run.accept });
    await page.keyboard.press('Tab');
    expect(await focused(panel)).toMatchObject({ tag: 'BUTTON', text: run.reject });
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(panel)).toMatchObject({ tag: 'SELECT', label: run.reasonLabel });
    await expectVisibleFocus(panel, 'reason select');
    await expectNoAxeViolations(panel, `panel reject form (${run.lang})`);

    // Escape closes the form and gives focus back to 却下
    await page.keyboard.press('Escape');
    await expect.poll(() => focused(panel)).toMatchObject({ tag: 'BUTTON', text: run.reject });
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(panel)).toMatchObject({ tag: 'SELECT' });

    // the closed select steps through its options with the arrow keys
    for (let i = 0; i < 20; i++) {
      const chosen = await panel.evaluate(() => {
        const s = document.activeElement as HTMLSelectElement;
        return s.selectedOptions[0]?.textContent ?? '';
      });
      if (chosen === run.other) break;
      await page.keyboard.press('ArrowDown');
    }
    // reason → temperature (one stop for the radio group) → comment → 却下する
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused(panel)).toMatchObject({ tag: 'TEXTAREA' });
    await page.keyboard.press('Tab');
    expect(await focused(panel)).toMatchObject({ tag: 'BUTTON' });
    await page.keyboard.press('Enter');
    await expect.poll(() => panel.getByRole('alert').textContent()).toBe(run.commentRequired);
    expect(await focused(panel)).toMatchObject({ tag: 'TEXTAREA' });
    await expectVisibleFocus(panel, 'comment');
    expect(await status(panel)).toBe(run.pending);
    await shot(page, `keyboard-reject-refused-${run.lang}`);
    await expectNoAxeViolations(panel, `panel reject refused (${run.lang})`);

    await page.keyboard.type('展示会で名刺交換のみ');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => status(panel), { timeout: 15_000 }).toBe(run.rejected);
    await expect.poll(() => announced(panel)).toBe(run.rejectedSaid);
    await expect.poll(() => focused(panel)).toMatchObject({ testId: 'lead-status', text: run.rejected });
    await shot(page, `keyboard-rejected-${run.lang}`);
    await expectNoAxeViolations(panel, `panel rejected (${run.lang})`);
    await page.close();
  });

  it('the focus-panel shortcut: focusing the frame from the CRM page puts focus on 受領; the panel lists the keys', async () => {
    const b = run.browser();
    const commands = await b.serviceWorker!.evaluate(() => chrome.commands.getAll());
    expect(commands.find((c) => c.name === FOCUS_PANEL_COMMAND)?.shortcut).toBe('Alt+Shift+K');

    const { page, panel } = await openPanel(b, L(2));
    // what the command runs in the tab (lib/background/commands.ts): headless Chromium delivers no browser accelerator
    expect(await page.evaluate(focusPanelFrame, PANEL_FRAME_SELECTOR)).toBe(true);
    await expect.poll(() => focused(panel)).toMatchObject({ tag: 'BUTTON', text: run.accept });

    // the keyboard help, opened by keyboard: Tab to its summary, Enter
    const help = panel.locator('.sal-shortcuts');
    await help.locator('summary').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => help.textContent()).toContain('Alt+Shift+K');
    await shot(page, `keyboard-help-${run.lang}`);
    await expectNoAxeViolations(panel, `panel help open (${run.lang})`);
    await page.close();
  });

  it('axe finds nothing in the other panel states (contested, untracked, closed) nor on the popup, options and KPI pages (KPIs and trends)', async () => {
    const b = run.browser();
    for (const [l, view] of [
      [L(7), 'contested'],
      [L(6), 'untracked'],
      [L(9), 'closed'],
      [L(8), 'qualified'],
    ] as const) {
      const { page, panel } = await openPanel(b, l);
      await expectNoAxeViolations(panel, `panel ${view} (${run.lang})`);
      await page.close();
    }
    for (const path of ['popup.html', 'options.html', 'kpis.html', 'kpis.html#trends']) {
      const page = await b.context.newPage();
      if (path === 'popup.html') await page.setViewportSize({ width: 380, height: 700 });
      await page.goto(b.extensionUrl(path));
      await expect.poll(() => page.locator('h1').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(run.lang);
      await page.waitForTimeout(300);
      await expectNoAxeViolations(page, `${path} (${run.lang})`);
      // the first few controls by keyboard each show a ring
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(() => document.activeElement !== document.body)) await expectVisibleFocus(page, `${path} control ${i + 1}`);
      }
      await page.screenshot({ path: `${SHOTS}/a11y-${path.replace('.html', '').replace('#', '-')}-${run.lang}.png`, fullPage: true });
      await page.close();
    }
  });
});

describe('list badges and the chosen language', () => {
  it('every badge status on a CRM list reads at ≥ 4.5:1, measured from its computed colours', async () => {
    const page = await ja.context.newPage();
    await page.goto(sandbox.url(LIGHTNING_HOST, '/lightning/o/Lead/list?filterName=Recent'));
    const wanted = ['untracked', 'pending', 'accepted', 'rejected', 'overdue', 'contested', 'qualified', 'closed'];
    const measure = () =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('[data-sal-bridge-badge]')].map((b) => {
          const style = getComputedStyle(b);
          return { status: b.dataset.status ?? '', text: b.textContent ?? '', color: style.color, background: style.backgroundColor };
        }),
      );
    await expect.poll(async () => new Set((await measure()).map((b) => b.status)).size, { timeout: 20_000 }).toBe(wanted.length);
    const badges = await measure();
    for (const status of wanted) {
      const b = badges.find((x) => x.status === status)!;
      expect(contrastRatio(b.color, b.background), `${status} (${b.text}): ${b.color} on ${b.background}`).toBeGreaterThanOrEqual(4.5);
    }
    await page.screenshot({ path: `${SHOTS}/a11y-list-badges-ja.png` });
    await page.close();
  });

  it('choosing English in the options sets <html lang="en"> on the options page, the popup and the panel', async () => {
    const options = await ja.context.newPage();
    await options.goto(ja.extensionUrl('options.html'));
    expect(await options.evaluate(() => document.documentElement.lang)).toBe('ja');
    await options.getByLabel('表示言語').selectOption('en');
    await expect.poll(() => options.evaluate(() => document.documentElement.lang)).toBe('en');
    const popup = await ja.context.newPage();
    await popup.goto(ja.extensionUrl('popup.html'));
    await expect.poll(() => popup.evaluate(() => document.documentElement.lang)).toBe('en');
    const { page, panel } = await openPanel(ja, L(10));
    await expect.poll(() => panel.evaluate(() => document.documentElement.lang)).toBe('en');
    await options.getByLabel('Language').selectOption('auto');
    await expect.poll(() => options.evaluate(() => document.documentElement.lang)).toBe('ja');
    for (const p of [options, popup, page]) await p.close();
  });

  it('the built manifest declares the shortcut', () => {
    const manifest = JSON.parse(readFileSync(resolve(DEFAULT_EXTENSION_PATH, 'manifest.json'), 'utf8')) as { commands?: Record<string, { suggested_key?: { default?: string } }> };
    expect(manifest.commands?.[FOCUS_PANEL_COMMAND]?.suggested_key?.default).toBe('Alt+Shift+K');
  });
});
