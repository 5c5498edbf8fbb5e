import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Gzipped size (KiB, level 9) of every file the content script loads into CRM pages: what the
 * manifest injects (js and css) plus the scripts it imports later (the second stage,
 * `crm-main.js`: every web-accessible .js file is counted, as the page's content script is the
 * only thing that loads them). The panel iframe's extension page (panel.html and its chunks) is
 * not counted: it runs in the extension's origin and process, not in the page.
 * @returns the files and the total
 */
export function contentScriptGzip(extensionDir: string): { files: string[]; kb: number } {
  const manifest = JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')) as {
    content_scripts?: Array<{ js?: string[]; css?: string[] }>;
    web_accessible_resources?: Array<{ resources?: string[] }>;
  };
  const injected = (manifest.content_scripts ?? []).flatMap((cs) => [...(cs.js ?? []), ...(cs.css ?? [])]);
  const imported = (manifest.web_accessible_resources ?? []).flatMap((r) => r.resources ?? []).filter((f) => f.endsWith('.js'));
  const files = [...new Set([...injected, ...imported])];
  const bytes = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(extensionDir, f)), { level: 9 }).length, 0);
  return { files, kb: bytes / 1024 };
}
