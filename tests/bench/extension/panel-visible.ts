import type { BrowserContext, Frame, Page } from 'playwright-core';
import { pageScript, percentile, progress, sleep } from './stats';

/**
 * Installed in the CRM page (main world) before its scripts run: timestamps, per record path,
 * (1) the visible record's anchor (its highlights header inside the active view) entering the
 * DOM, and (2) our panel host being shown right after that anchor, taken after the next frame
 * (rAF + task, i.e. once it was painted). Date.now() is the clock because the panel frame runs in
 * another process; its 1 ms resolution is fine against a 100 ms goal.
 */
const PAGE_PROBE = () => {
  // init scripts also run in child frames; only the CRM page is probed here
  if (location.protocol !== 'https:' || window.top !== window) return;
  const w = window as unknown as { __bench: { anchors: Record<string, number>; shown: Record<string, number> } };
  w.__bench = { anchors: {}, shown: {} };
  let anchor: Element | null = null;
  const check = () => {
    const path = location.pathname;
    const a = document.querySelector('.windowViewMode-normal.active records-lwc-highlights-panel');
    if (a && a !== anchor) {
      anchor = a;
      w.__bench.anchors[path] ??= Date.now();
    }
    const host = a?.nextElementSibling;
    if (host?.hasAttribute('data-sal-bridge-panel') && (host as HTMLElement).style.display !== 'none' && !(path in w.__bench.shown)) {
      w.__bench.shown[path] = -1;
      requestAnimationFrame(() => setTimeout(() => (w.__bench.shown[path] = Date.now())));
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['class', 'style'] });
};

/** In the panel frame: when `data-lead-ready` names a lead, timestamp the next painted frame. */
const FRAME_PROBE = () => {
  const w = window as unknown as { __panelBench?: Record<string, number> };
  if (w.__panelBench) return;
  const ready: Record<string, number> = (w.__panelBench = {});
  const check = () => {
    const key = document.querySelector('[data-lead-ready]')?.getAttribute('data-lead-ready');
    if (key && !(key in ready)) {
      ready[key] = -1;
      requestAnimationFrame(() => setTimeout(() => (ready[key] = Date.now())));
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-lead-ready'] });
  check();
};

export async function panelFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('[data-sal-bridge-panel] iframe', { state: 'visible', timeout: 20_000 });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('panel iframe has no frame');
  await frame.waitForSelector('[data-lead-ready]', { timeout: 20_000 });
  return frame;
}

export interface SpaLead {
  id15: string;
  id: string;
}

/**
 * Time from the record's anchor appearing to the panel painted with that lead's data
 * (`data-lead-ready` = its lead key, painted, and the panel host shown after the anchor,
 * painted), over SPA navigations to `leads` (each a record not visited before in the tab, so its
 * header is rendered fresh). Starts from `first` loaded normally.
 */
export async function measurePanelVisible(
  context: BrowserContext,
  origin: string,
  first: SpaLead,
  leads: readonly SpaLead[],
): Promise<{ p50: number; p95: number; samples: number[]; missed: number }> {
  const page = await context.newPage();
  await page.addInitScript({ content: pageScript(PAGE_PROBE) });
  await page.goto(`${origin}/lightning/r/Lead/${first.id15}/view`);
  const frame = await panelFrame(page);
  await frame.evaluate(pageScript(FRAME_PROBE));
  const samples: number[] = [];
  let missed = 0;
  for (const [i, lead] of leads.entries()) {
    const path = `/lightning/r/Lead/${lead.id15}/view`;
    const key = `salesforce:${lead.id}`;
    await page.evaluate(pageScript((p: string) => (window as unknown as { __sandbox: { navigate(u: string): void } }).__sandbox.navigate(p), path));
    const deadline = Date.now() + 5_000;
    let result: { anchor?: number; shown?: number; ready?: number } = {};
    while (Date.now() < deadline) {
      await sleep(25);
      const [pageSide, ready] = await Promise.all([
        page.evaluate(
          pageScript((p: string) => {
            const b = (window as unknown as { __bench: { anchors: Record<string, number>; shown: Record<string, number> } }).__bench;
            return { anchor: b.anchors[p], shown: b.shown[p] };
          }, path),
        ) as Promise<{ anchor?: number; shown?: number }>,
        frame.evaluate(pageScript((k: string) => (window as unknown as { __panelBench: Record<string, number> }).__panelBench[k], key)) as Promise<number | undefined>,
      ]);
      result = { ...pageSide, ready };
      if (result.anchor && result.shown && result.shown > 0 && result.ready && result.ready > 0) break;
    }
    if (result.anchor && result.shown && result.shown > 0 && result.ready && result.ready > 0) {
      const ms = Math.max(result.shown, result.ready) - result.anchor;
      samples.push(ms);
      if ((i + 1) % 10 === 0) progress(`panel visible ${i + 1}/${leads.length}: last ${ms} ms (shown +${result.shown - result.anchor}, ready +${result.ready - result.anchor})`);
    } else {
      missed++;
      progress(`panel visible: no panel for ${path} within 5 s (${JSON.stringify(result)})`);
    }
    await sleep(100);
  }
  await page.close();
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), samples, missed };
}
