import { build } from 'esbuild';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';

// esbuild comes with vite (already a dependency); it bundles lib/crm the way the content script
// gets it, so e2e tests can run the production adapter inside sandbox pages.

let cached: Promise<string> | undefined;

/** lib/crm bundled as an IIFE exposing `globalThis.SalCrm` (the module's exports). */
export function crmBundle(): Promise<string> {
  cached ??= build({
    entryPoints: [resolve(process.cwd(), 'lib/crm/index.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    globalName: 'SalCrm',
    write: false,
    target: 'chrome120',
  }).then((r) => r.outputFiles[0]!.text);
  return cached;
}

/** Injects the adapter bundle into the page's main world (once per document). */
export async function injectCrmAdapters(page: Page): Promise<void> {
  const has = await page.evaluate(() => 'SalCrm' in globalThis);
  if (!has) await page.addScriptTag({ content: await crmBundle() });
}
