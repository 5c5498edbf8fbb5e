import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_PATH, chromiumArgs } from '../../e2e/harness/browser';

/** The Salesforce extension measured beside ours (see ../shared/peers/README.md). */
export const PEER_EXTENSION_PATH = resolve(process.env.SAL_PEER_EXTENSION ?? '/work/shared/peers/salesforce-inspector-reloaded');

export interface BareBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches Debian's Chromium headless for the page-cost benchmarks WITHOUT Playwright's default
 * switches (`ignoreDefaultArgs: true`): those disable paint holding and third-party storage
 * partitioning (under them the peer's per-tab frame throws on `localStorage` and never renders,
 * so it looks cheaper than it is) and a dozen other things a rep's browser does. Only what the
 * run needs is passed: headless, the DevTools pipe Playwright speaks over, the profile, the
 * window size, the sandbox's host mapping and certificate, and the unpacked extension if any.
 * No viewport, locale or time-zone emulation either: every variant (none, ours, the peer) is
 * launched the same way, so they are measured alike.
 * @param extensionPath unpacked extension to load, or null for the "no extension" baseline
 */
export async function launchBare(sandboxPort: number, extensionPath: string | null): Promise<BareBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'sal-bridge-bench-'));
  const args = [
    '--headless',
    '--remote-debugging-pipe',
    `--user-data-dir=${userDataDir}`,
    '--window-size=1366,900',
    ...chromiumArgs(sandboxPort),
    ...(extensionPath ? [`--disable-extensions-except=${extensionPath}`, `--load-extension=${extensionPath}`] : ['--disable-extensions']),
    'about:blank',
  ];
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    ignoreDefaultArgs: true,
    args,
    viewport: null,
    env: { ...process.env, TZ: 'Asia/Tokyo' },
  });
  if (extensionPath) {
    // the extension is ready once its service worker runs
    const isWorker = (w: { url(): string }) => w.url().startsWith('chrome-extension://');
    if (!context.serviceWorkers().some(isWorker)) await context.waitForEvent('serviceworker', { predicate: isWorker, timeout: 30_000 });
  }
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
