import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { LIGHTNING_HOST, startSandbox, type Sandbox } from '../sandbox/server';
import { DYNAMICS_HOST } from '../sandbox/dynamics';
import { SCALE_ROWS, scaleKind, scaleLeads, scaleListEvents } from '../sandbox/list-scale';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { seed } from './harness/extension-db';

/**
 * List overlays at scale (issue 11, item 6), in the built extension on the sandbox's 2,000-row
 * lists (tests/sandbox/list-scale.ts): a Lightning-like list view that pages its rows in as it is
 * scrolled, and a Dynamics-like grid that recycles about 30 row elements for all 2,000 records.
 * Every fifth lead is pending, overdue, rejected (重複, by 田中), accepted or untracked.
 */

const SHOTS = resolve(process.cwd(), 'tests/artifacts/screenshots');
mkdirSync(SHOTS, { recursive: true });

const leads = scaleLeads(SCALE_ROWS);
const expectedOf = (i: number) => scaleKind(i);
let sandbox: Sandbox;
let b: LaunchedBrowser;

beforeAll(async () => {
  sandbox = await startSandbox();
  b = await launchWithExtension({ sandboxPort: sandbox.port });
  await seed(b, [...scaleListEvents('salesforce', leads), ...scaleListEvents('dynamics', leads)]);
}, 120_000);

afterAll(async () => {
  await b?.close();
  await sandbox?.close();
});

const tooltip = (page: Page) => page.locator('[role="tooltip"]#sal-bridge-list-tip');

/** Rows whose badge is missing or says something else than the lead's events do (by the row's record). */
const wrongBadges = (page: Page, rowSelector: string, idAttr: string) =>
  page.evaluate(
    ({ rowSelector, idAttr, ids }) => {
      const wrong: string[] = [];
      for (const row of document.querySelectorAll(rowSelector)) {
        const id = row.getAttribute(idAttr) ?? '';
        const badge = row.querySelector<HTMLElement>('[data-sal-bridge-badge]');
        const expected = ids[id];
        if (!badge || badge.dataset.status !== expected || badge.dataset.record !== id) wrong.push(`${id}: ${badge?.dataset.status ?? 'none'} (want ${expected})`);
      }
      return wrong;
    },
    {
      rowSelector,
      idAttr,
      ids: Object.fromEntries(
        leads.flatMap((l, i) => [
          [l.id, expectedOf(i)],
          [l.guid, expectedOf(i)],
        ]),
      ),
    },
  );

describe('list overlays at scale', () => {
  it('badges a Lightning list of 2,000 rows as its pages come in, counts them in a summary line, and shows each badge’s tooltip on hover and keyboard focus', async () => {
    const page = await b.context.newPage();
    await page.goto(sandbox.url(LIGHTNING_HOST, `/lightning/o/Lead/list?filterName=Scale&sandboxScale=${SCALE_ROWS}&sandboxPage=1900`));
    const rows = page.locator('tr[data-row-key-value^="00Q"]');
    await expect.poll(() => page.locator('[data-sal-bridge-badge]').count(), { timeout: 20_000 }).toBe(1900);
    // the last 100 rows come in two pages as the list is scrolled to its end
    for (let i = 0; i < 4 && (await rows.count()) < SCALE_ROWS; i++) {
      await page.locator('.listViewContent').evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await page.waitForTimeout(300);
    }
    expect(await rows.count()).toBe(SCALE_ROWS);
    await expect.poll(() => page.locator('[data-sal-bridge-badge]').count(), { timeout: 10_000 }).toBe(SCALE_ROWS);
    expect(await wrongBadges(page, 'tr[data-row-key-value^="00Q"]', 'data-row-key-value')).toEqual([]);

    // one line over the list: 400 of each
    const summary = page.locator('[data-sal-bridge-summary]');
    await expect.poll(() => summary.textContent()).toBe('受領待ち 400 · 期限超過 400 · 却下 400');
    const placement = await summary.evaluate((el) => {
      const box = el.getBoundingClientRect();
      // a control's visible part: rows scrolled out of the list's box are clipped by it
      const controls = [...document.querySelectorAll('button, input, a, [role="button"]')].filter((c) => {
        const r = c.getBoundingClientRect();
        const clip = c.closest('.listViewContent')?.getBoundingClientRect() ?? { top: -Infinity, bottom: Infinity };
        const top = Math.max(r.top, clip.top);
        const bottom = Math.min(r.bottom, clip.bottom);
        return r.width > 0 && top < bottom && r.left < box.right && r.right > box.left && top < box.bottom && bottom > box.top;
      });
      return { visible: box.height > 0 && box.top >= 0, insideScroller: el.closest('.listViewContent') !== null, overlaps: controls.map((c) => c.outerHTML.slice(0, 80)) };
    });
    expect(placement).toEqual({ visible: true, insideScroller: false, overlaps: [] });

    // hover: the rejected lead (index 2) says why and who
    await page.locator('.listViewContent').evaluate((el) => el.scrollTo(0, 0));
    const rejected = page.locator(`tr[data-row-key-value="${leads[2]!.id}"] [data-sal-bridge-badge]`);
    await rejected.hover();
    await expect.poll(() => tooltip(page).isVisible()).toBe(true);
    expect(await rejected.getAttribute('aria-describedby')).toBe('sal-bridge-list-tip');
    expect((await tooltip(page).innerText()).split('\n')).toEqual(['却下', '理由: 重複', '判断: 田中']);
    await page.screenshot({ path: `${SHOTS}/list-overlays-lightning-hover.png` });
    // Escape dismisses it while the pointer stays on the badge
    await page.keyboard.press('Escape');
    await expect.poll(() => tooltip(page).count()).toBe(0);

    // keyboard: Tab from the overdue lead's name reaches its badge, which says by how much
    await page.mouse.move(0, 0);
    await page.locator(`tr[data-row-key-value="${leads[1]!.id}"] th a`).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.status)).toBe('overdue');
    await expect.poll(() => tooltip(page).isVisible()).toBe(true);
    const lines = (await tooltip(page).innerText()).split('\n');
    expect(lines[0]).toBe('期限超過');
    expect(lines[1]).toMatch(/^受領期限: .+ 超過 · 期限 \d+\/\d+/);
    expect(lines[2]).toBe('引き渡し: 佐藤 (MA)');
    await page.screenshot({ path: `${SHOTS}/list-overlays-lightning-focus.png` });
    await page.keyboard.press('Escape');
    await expect.poll(() => tooltip(page).count()).toBe(0);
    // the pending lead's says how long is left
    await page.locator(`tr[data-row-key-value="${leads[0]!.id}"] [data-sal-bridge-badge]`).focus();
    expect((await tooltip(page).innerText()).split('\n')[1]).toMatch(/^受領期限: 残り /);
    await page.close();
  }, 90_000);

  it('keeps every badge on its own record while a Dynamics grid recycles its rows for other records', async () => {
    const page = await b.context.newPage();
    await page.goto(sandbox.url(DYNAMICS_HOST, `/main.aspx?pagetype=entitylist&etn=lead&sandboxScale=${SCALE_ROWS}`));
    const rows = '.ag-center-cols-container [role="row"]';
    await expect.poll(() => page.locator('[data-sal-bridge-badge]').count(), { timeout: 20_000 }).toBeGreaterThan(20);
    const poolSize = await page.locator(rows).count();
    await expect.poll(() => wrongBadges(page, rows, 'row-id')).toEqual([]);
    // scroll down in jumps and back: the same row elements show other records each time
    const shownIds = () => page.locator(rows).evaluateAll((els) => els.map((el) => el.getAttribute('row-id') ?? ''));
    const seen = new Set(await shownIds());
    for (const top of [3_000, 20_000, 40_000, 63_000, 10_000]) {
      await page.locator('.grid-wrap').evaluate((el, top) => el.scrollTo(0, top), top);
      await expect.poll(() => wrongBadges(page, rows, 'row-id'), { timeout: 5_000 }).toEqual([]);
      for (const id of await shownIds()) seen.add(id);
    }
    expect(await page.locator(rows).count()).toBe(poolSize);
    expect(poolSize).toBeLessThan(60);
    // the summary counts every record the grid has shown so far, not only the rows it has now
    const kinds = [...seen].map((id) => expectedOf(leads.findIndex((l) => l.guid === id)));
    const count = (k: string) => kinds.filter((x) => x === k).length;
    await expect.poll(() => page.locator('[data-sal-bridge-summary]').textContent()).toBe(`受領待ち ${count('pending')} · 期限超過 ${count('overdue')} · 却下 ${count('rejected')}`);
    expect(seen.size).toBeGreaterThan(poolSize * 4);
    const badge = page.locator(`${rows} [data-sal-bridge-badge][data-status="rejected"]`).first();
    await badge.hover();
    await expect.poll(() => tooltip(page).isVisible()).toBe(true);
    expect(await tooltip(page).innerText()).toContain('理由: 重複');
    await page.screenshot({ path: `${SHOTS}/list-overlays-dynamics-recycled.png` });
    await page.close();
  }, 90_000);
});
