import type { BrowserContext, Page } from 'playwright-core';
import { pageMetrics, trackPageMetrics } from '../../e2e/harness/browser';
import { median, progress, sleep } from './stats';

export interface LoadSample {
  scriptMs: number;
  taskMs: number;
  layoutMs: number;
  recalcStyleMs: number;
}

/** How a loaded page is judged settled: its own content is there and, with an extension, that extension's UI too. */
export interface SettleSpec {
  /** Selector of the page's own content that marks it rendered (e.g. the record's header). */
  pageReady: string;
  /** Quiet time after that, for late work (observers, re-reads, frame resizes) to land in the figures. */
  quietMs: number;
}

/** One browser measured: its context, and how to tell its extension (if any) has done its work on the page. */
export interface Variant {
  context: BrowserContext;
  /** Resolves once the extension's UI on `page` is done (e.g. our panel shows its lead); none = no extension. */
  ready?: (page: Page) => Promise<void>;
}

/**
 * Loads `url` in a fresh tab of `variant.context` with DevTools performance metrics on from
 * before the navigation, waits until it settles, and returns the page's main-thread script and
 * task time (thread CPU time: the machine is shared, and wall time would count other processes'
 * work). `extensionRequests` collects chrome-extension:// URLs the page's main frame itself
 * requested (anything the content script loads besides the panel iframe's document).
 */
export async function measureLoad(variant: Variant, url: string, settle: SettleSpec, extensionRequests?: Set<string>): Promise<LoadSample> {
  const page = await variant.context.newPage();
  try {
    if (extensionRequests) {
      page.on('request', (r) => {
        if (r.url().startsWith('chrome-extension://') && r.frame() === page.mainFrame() && !r.isNavigationRequest()) extensionRequests.add(r.url());
      });
    }
    await trackPageMetrics(page, 'threadTicks');
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector(settle.pageReady, { state: 'visible', timeout: 15_000 });
    await variant.ready?.(page);
    await sleep(settle.quietMs);
    const m = await pageMetrics(page);
    return { scriptMs: m.scriptMs, taskMs: m.taskMs, layoutMs: m.layoutMs, recalcStyleMs: m.recalcStyleMs };
  } finally {
    await page.close();
  }
}

/** A page measured in every variant: where, how it settles, and a label for progress lines. */
export interface MeasuredPage {
  label: string;
  url: string;
  settle: SettleSpec;
}

export type Samples<V extends string> = Record<V, LoadSample[]>;

/**
 * Loads each page `loads` times in each variant, interleaved: every round visits every page,
 * and within a page the variants go in an order rotated each round (so drift on a shared
 * machine hits all of them alike), after one discarded warm-up load per variant and page.
 * `requestsOf` names the variant whose page-side extension requests are collected.
 */
export async function measurePages<V extends string>(
  variants: Record<V, Variant>,
  pages: readonly MeasuredPage[],
  loads: number,
  options: { requestsOf?: NoInfer<V>; extensionRequests?: Set<string> } = {},
): Promise<Array<Samples<V>>> {
  const names = Object.keys(variants) as V[];
  for (const p of pages) for (const v of names) await measureLoad(variants[v], p.url, p.settle);
  const out = pages.map(() => Object.fromEntries(names.map((v) => [v, [] as LoadSample[]])) as Samples<V>);
  for (let i = 0; i < loads; i++) {
    for (const [pi, p] of pages.entries()) {
      const order = names.map((_, k) => names[(k + i) % names.length]!);
      if (i % 2 === 1) order.reverse();
      for (const v of order) out[pi]![v].push(await measureLoad(variants[v], p.url, p.settle, v === options.requestsOf ? options.extensionRequests : undefined));
      const last = names.map((v) => {
        const s = out[pi]![v][i]!;
        return `${v} task ${s.taskMs.toFixed(1)} script ${s.scriptMs.toFixed(1)} layout ${s.layoutMs.toFixed(1)} style ${s.recalcStyleMs.toFixed(1)}`;
      });
      progress(`${p.label} ${i + 1}/${loads}: ${last.join(' | ')}`);
    }
  }
  return out;
}

/** Median of one metric of `variant`'s samples minus the same median of `baseline`'s (ms added). */
export function added<V extends string>(samples: Samples<V>, variant: NoInfer<V>, baseline: NoInfer<V>, metric: keyof LoadSample): number {
  return median(samples[variant].map((s) => s[metric])) - median(samples[baseline].map((s) => s[metric]));
}

/**
 * Median over rounds of (`variant`'s load − `baseline`'s load in the same round): every round
 * loads each variant back to back, so a machine that slows down for a while (another process,
 * thermal) moves both loads of a round alike and cancels out, where it shifts `added`'s two
 * medians apart. Printed beside the goal's figure as `..._paired`.
 */
export function addedPaired<V extends string>(samples: Samples<V>, variant: NoInfer<V>, baseline: NoInfer<V>, metric: keyof LoadSample): number {
  const base = samples[baseline];
  return median(samples[variant].map((s, i) => s[metric] - base[i]![metric]));
}
