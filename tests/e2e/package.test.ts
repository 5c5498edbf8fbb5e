import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { EXTENSION_ID, EXTENSION_PUBLIC_KEY } from '../../lib/protocol/extension-id';

/**
 * `npm run package` as a release would run it: three zips, each with the manifest its channel
 * accepts; the self-hosted build loads in Chromium under the fixed id, a store build (no key)
 * does not. Slow (three production builds): run it when packaging changes.
 */

const root = process.cwd();
const version = (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string }).version;
const zipPath = (name: string) => resolve(root, `.output/package/sal-bridge-${version}-${name}.zip`);
const unzip = (zip: string, ...args: string[]) => execFileSync('unzip', [...args, zip], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
const manifestOf = (name: string) => JSON.parse(execFileSync('unzip', ['-p', zipPath(name), 'manifest.json'], { encoding: 'utf8' })) as Record<string, unknown>;
const filesOf = (name: string) => unzip(zipPath(name), '-Z1').split('\n').filter(Boolean).sort();

const browsers: LaunchedBrowser[] = [];

// asynchronously: a worker blocked for minutes loses its line to vitest ("Timeout calling onTaskUpdate")
beforeAll(async () => {
  await promisify(execFile)('npx', ['tsx', 'scripts/package.ts'], { cwd: root, timeout: 900_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, SAL_UPDATE_URL: '' } });
}, 900_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
});

describe('npm run package', () => {
  it('the Chrome Web Store and Edge zips have no `key`; the self-hosted one keeps it; all three ship the same files and the managed schema', () => {
    const store = manifestOf('chrome');
    const edge = manifestOf('edge');
    const selfHosted = manifestOf('chrome-selfhosted');
    expect(store).not.toHaveProperty('key');
    expect(edge).not.toHaveProperty('key');
    expect(selfHosted.key).toBe(EXTENSION_PUBLIC_KEY);
    for (const m of [store, edge, selfHosted]) {
      expect(m.manifest_version).toBe(3);
      expect(m.version).toBe(version);
      expect(m.storage).toEqual({ managed_schema: 'managed_schema.json' });
    }
    const { key: _key, ...rest } = selfHosted;
    expect(store).toEqual(rest);
    const files = filesOf('chrome');
    expect(files).toContain('manifest.json');
    expect(files).toContain('managed_schema.json');
    expect(files.some((f) => f.endsWith('.map'))).toBe(false);
    expect(filesOf('edge')).toEqual(files);
    expect(filesOf('chrome-selfhosted')).toEqual(files);
  });

  it('unpacked, the self-hosted build runs under the fixed id and a store build under another', async () => {
    const selfHosted = await launchWithExtension({ extensionPath: resolve(root, '.output/package/chrome-selfhosted'), sandboxPort: 9 });
    browsers.push(selfHosted);
    expect(selfHosted.extensionId).toBe(EXTENSION_ID);
    const store = await launchWithExtension({ extensionPath: resolve(root, '.output/package/chrome'), sandboxPort: 9 });
    browsers.push(store);
    expect(store.extensionId).toMatch(/^[a-p]{32}$/);
    expect(store.extensionId).not.toBe(EXTENSION_ID);
  });
});
