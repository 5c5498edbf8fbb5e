import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Gzipped size (KiB, level 9) of every file the manifest injects into CRM pages as content
 * script (js and css). The panel iframe's extension page is not counted: it runs in the
 * extension's origin and process, not in the page.
 * @returns the files and the total
 */
export function contentScriptGzip(extensionDir: string): { files: string[]; kb: number } {
  const manifest = JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')) as {
    content_scripts?: Array<{ js?: string[]; css?: string[] }>;
  };
  const files = [...new Set((manifest.content_scripts ?? []).flatMap((cs) => [...(cs.js ?? []), ...(cs.css ?? [])]))];
  const bytes = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(extensionDir, f)), { level: 9 }).length, 0);
  return { files, kb: bytes / 1024 };
}
