import type { BrowserContext } from 'playwright-core';
import { pageMetrics, trackPageMetrics } from '../../e2e/harness/browser';
import { median, progress, sleep } from './stats';

export interface LoadSample {
  scriptMs: number;
  taskMs: number;
}

/** How a loaded page is judged settled: its own content is there and, with the extension, our UI too. */
export interface SettleSpec {
  /** Selector of the page's own content that marks it rendered (e.g. the record's header). */
  pageReady: string;
  /** With the extension only: our element that must be visible before measuring (none on "other" pages). */
  extensionReady?: string;
  /** Quiet time after that, for late work (observers, re-reads) to land in the figures. */
  quietMs: number;
}

/**
 * Loads `url` in a fresh tab of `context` with DevTools performance metrics on from before the
 * navigation, waits until it settles, and returns the page's main-thread script and task time.
 * `extensionRequests` collects chrome-extension:// URLs the page's main frame itself requested
 * (anything the content script loads besides the panel iframe's document).
 */
export async function measureLoad(context: BrowserContext, url: string, settle: SettleSpec, withExtension: boolean, extensionRequests?: Set<string>): Promise<LoadSample> {
  const page = await context.newPage();
  try {
    if (extensionRequests) {
      page.on('request', (r) => {
        if (r.url().startsWith('chrome-extension://') && r.frame() === page.mainFrame() && !r.isNavigationRequest()) extensionRequests.add(r.url());
      });
    }
    // thread CPU time: the machine is shared, and wall time would count other processes' work
    await trackPageMetrics(page, 'threadTicks');
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector(settle.pageReady, { state: 'visible', timeout: 15_000 });
    if (withExtension && settle.extensionReady) await page.waitForSelector(settle.extensionReady, { state: 'visible', timeout: 15_000 });
    await sleep(settle.quietMs);
    const m = await pageMetrics(page);
    return { scriptMs: m.scriptMs, taskMs: m.taskMs };
  } finally {
    await page.close();
  }
}

/**
 * Extension overhead on one page: `loads` loads in each context, interleaved (with, without,
 * without, with, …, alternating which goes first so drift on a shared machine hits both), after
 * one discarded warm-up load per context. Overhead = median(with) − median(without), per metric.
 */
export async function measureOverhead(
  contexts: { with: BrowserContext; without: BrowserContext },
  url: string,
  settle: SettleSpec,
  loads: number,
  label: string,
  extensionRequests?: Set<string>,
): Promise<{ scriptMs: number; taskMs: number; with: LoadSample[]; without: LoadSample[] }> {
  await measureLoad(contexts.with, url, settle, true);
  await measureLoad(contexts.without, url, settle, false);
  const withExt: LoadSample[] = [];
  const without: LoadSample[] = [];
  for (let i = 0; i < loads; i++) {
    const order = i % 2 === 0 ? (['with', 'without'] as const) : (['without', 'with'] as const);
    for (const which of order) {
      if (which === 'with') withExt.push(await measureLoad(contexts.with, url, settle, true, extensionRequests));
      else without.push(await measureLoad(contexts.without, url, settle, false));
    }
    const w = withExt[withExt.length - 1]!;
    const o = without[without.length - 1]!;
    progress(`${label} ${i + 1}/${loads}: script ${w.scriptMs.toFixed(1)} vs ${o.scriptMs.toFixed(1)} ms, task ${w.taskMs.toFixed(1)} vs ${o.taskMs.toFixed(1)} ms`);
  }
  return {
    scriptMs: median(withExt.map((s) => s.scriptMs)) - median(without.map((s) => s.scriptMs)),
    taskMs: median(withExt.map((s) => s.taskMs)) - median(without.map((s) => s.taskMs)),
    with: withExt,
    without,
  };
}
