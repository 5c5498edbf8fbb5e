import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page, type Worker } from 'playwright-core';

/** Debian's Chromium (loads unpacked extensions headless, unlike branded Chrome). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where `wxt build` puts the MV3 extension. */
export const DEFAULT_EXTENSION_PATH = resolve(process.cwd(), '.output/chrome-mv3');

/** CRM host patterns the sandbox answers for (Chromium maps them to 127.0.0.1:<port>). */
// attacker.example: a non-CRM https site (the clickjacking tests frame the panel from it)
export const SANDBOX_HOST_PATTERNS = ['*.lightning.force.com', '*.my.salesforce.com', 'app.hubspot.com', 'api.hubapi.com', '*.dynamics.com', 'leads.example-crm.test', 'attacker.example'];

/**
 * The network is closed in CI and here: without these Chromium keeps retrying Google services and
 * floods refused connections; the last two make the sandbox's self-signed certificate and host
 * mapping work under the real CRM host names.
 */
export function chromiumArgs(sandboxPort: number): string[] {
  const rules = SANDBOX_HOST_PATTERNS.map((p) => `MAP ${p} 127.0.0.1:${sandboxPort}`).join(', ');
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // passed as one argv entry (no shell), so no quotes around the rule list
    `--host-resolver-rules=${rules}`,
    '--ignore-certificate-errors',
    '--lang=ja-JP',
  ];
}

export interface LaunchOptions {
  /** Built extension directory; default `.output/chrome-mv3`. */
  extensionPath?: string;
  /** Port of the running sandbox CRM (`startSandbox().port`). */
  sandboxPort: number;
  /** Browser profile; default a fresh temporary one, deleted on close. Reuse one for "the same rep". */
  userDataDir?: string;
  /** Load the extension (default true). False gives the "no extension" baseline of the benchmarks. */
  withExtension?: boolean;
  /** Browser UI language, e.g. 'en-US' (default ja-JP). */
  locale?: string;
  viewport?: { width: number; height: number };
  /** The browser to run; default CHROMIUM_PATH (tests/e2e/enterprise-policy.test.ts runs it behind a wrapper). */
  executablePath?: string;
}

export interface LaunchedBrowser {
  context: BrowserContext;
  /** The extension's id (from its service worker URL); undefined without the extension. */
  extensionId?: string;
  serviceWorker?: Worker;
  /** `chrome-extension://<id>/<path>`. @throws Error without the extension. */
  extensionUrl(path: string): string;
  close(): Promise<void>;
}

/**
 * Launches Debian's Chromium headless with a persistent profile, the CRM hosts mapped to the
 * sandbox, and (by default) the unpacked extension loaded. Resolves once the extension's service
 * worker runs, so its id is known.
 * @throws Error when the extension directory has no service worker within 30 s (not built?).
 */
export async function launchWithExtension(options: LaunchOptions): Promise<LaunchedBrowser> {
  const withExtension = options.withExtension ?? true;
  const extensionPath = resolve(options.extensionPath ?? DEFAULT_EXTENSION_PATH);
  const ownProfile = options.userDataDir === undefined;
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'sal-bridge-profile-'));
  const args = chromiumArgs(options.sandboxPort);
  if (options.locale) args[args.length - 1] = `--lang=${options.locale}`;
  if (withExtension) args.push(`--disable-extensions-except=${extensionPath}`, `--load-extension=${extensionPath}`);

  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: options.executablePath ?? CHROMIUM_PATH,
    headless: true,
    args,
    // Playwright disables extensions by default; keep its other defaults.
    ignoreDefaultArgs: withExtension ? ['--disable-extensions', '--disable-component-extensions-with-background-pages'] : [],
    ignoreHTTPSErrors: true,
    locale: options.locale ?? 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    viewport: options.viewport ?? { width: 1366, height: 900 },
  });

  const close = async (): Promise<void> => {
    await context.close().catch(() => undefined);
    if (ownProfile) rmSync(userDataDir, { recursive: true, force: true });
  };

  let serviceWorker: Worker | undefined;
  let extensionId: string | undefined;
  if (withExtension) {
    try {
      serviceWorker = context.serviceWorkers().find(isExtensionWorker) ?? (await context.waitForEvent('serviceworker', { predicate: isExtensionWorker, timeout: 30_000 }));
    } catch (err) {
      await close();
      throw new Error(`No extension service worker from ${extensionPath} (run \`wxt build\` first?): ${String(err)}`);
    }
    extensionId = new URL(serviceWorker.url()).host;
  }

  return {
    context,
    extensionId,
    serviceWorker,
    extensionUrl(path: string) {
      if (!extensionId) throw new Error('launched without the extension');
      return `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`;
    },
    close,
  };
}

function isExtensionWorker(w: Worker): boolean {
  return w.url().startsWith('chrome-extension://');
}

/** Main-thread cost of a page so far, from DevTools `Performance.getMetrics` (milliseconds). */
export interface PageMetrics {
  /** Time spent running JavaScript (page scripts and content scripts alike). */
  scriptMs: number;
  /** Time the main thread was busy with tasks (script, style, layout, …). */
  taskMs: number;
  layoutMs: number;
  recalcStyleMs: number;
  /** Live DOM nodes in the page (content-script DOM included). */
  nodes: number;
}

const tracked = new WeakMap<Page, CDPSession>();

/**
 * Starts collecting main-thread metrics for `page`. Call it BEFORE `page.goto`: Chromium only
 * accumulates ScriptDuration/TaskDuration while the Performance domain is enabled (enabling it
 * after the load reads ~0). `timeDomain` 'threadTicks' counts thread CPU time instead of wall
 * time (steadier on a loaded machine).
 */
export async function trackPageMetrics(page: Page, timeDomain: 'timeTicks' | 'threadTicks' = 'timeTicks'): Promise<void> {
  if (tracked.has(page)) return;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain });
  tracked.set(page, cdp);
}

/**
 * Main-thread cost of `page` since `trackPageMetrics(page)`, from DevTools
 * `Performance.getMetrics`, in milliseconds. Call after the page settles; compare loads of the
 * same page with and without the extension.
 * @throws Error when the page is not tracked.
 */
export async function pageMetrics(page: Page): Promise<PageMetrics> {
  const cdp = tracked.get(page);
  if (!cdp) throw new Error('pageMetrics: call trackPageMetrics(page) before navigating');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name: string): number => metrics.find((m) => m.name === name)?.value ?? 0;
  return {
    scriptMs: get('ScriptDuration') * 1000,
    taskMs: get('TaskDuration') * 1000,
    layoutMs: get('LayoutDuration') * 1000,
    recalcStyleMs: get('RecalcStyleDuration') * 1000,
    nodes: get('Nodes'),
  };
}
