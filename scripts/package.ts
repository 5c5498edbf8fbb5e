import { zip, type InlineConfig } from 'wxt';

/**
 * `npm run package`: the zips to distribute, built into `.output/package/` (never over
 * `.output/chrome-mv3`, which the e2e tests load):
 * - `sal-bridge-<version>-chrome.zip`: for the Chrome Web Store. The store refuses a manifest with
 *   `key` ("key field is not allowed in manifest") and gives the item its own id, so it is left out.
 * - `sal-bridge-<version>-edge.zip`: for Microsoft Edge Add-ons (Partner Center), which also
 *   assigns the id; same manifest as the Chrome store one.
 * - `sal-bridge-<version>-chrome-selfhosted.zip`: for a self-hosted install (ExtensionInstallForcelist
 *   with the company's update URL): keeps `key`, so the id stays ecedhdaembmmekajpokfnlphejicnojd
 *   (lib/protocol/extension-id.ts) once packed into a CRX with the matching private key. With
 *   SAL_UPDATE_URL set, its manifest names that update URL.
 * The README ("Packaging") says how the id stays fixed in each case.
 */

export interface PackageTarget {
  /** The zip's suffix and the build directory under .output/package/. */
  name: 'chrome' | 'edge' | 'chrome-selfhosted';
  browser: 'chrome' | 'edge';
  /** Whether the manifest keeps `key` (the fixed id); stores refuse it. */
  keepKey: boolean;
}

export const PACKAGE_TARGETS: readonly PackageTarget[] = [
  { name: 'chrome', browser: 'chrome', keepKey: false },
  { name: 'edge', browser: 'edge', keepKey: false },
  { name: 'chrome-selfhosted', browser: 'chrome', keepKey: true },
];

/** Where the zips go, relative to the project root. */
export const PACKAGE_DIR = '.output/package';

type Manifest = Record<string, unknown>;

/**
 * The manifest as shipped for `target`: without `key` for a store, with `update_url` for a
 * self-hosted build when one is given (https only: Chrome fetches updates from it unattended).
 * Edits the manifest in place (WXT's `build:manifestGenerated` hook hands it over to be edited).
 * @throws Error when `updateUrl` is not an https URL.
 */
export function shipManifest(manifest: Manifest, target: PackageTarget, updateUrl?: string): Manifest {
  if (!target.keepKey) delete manifest.key;
  if (target.keepKey && updateUrl) {
    if (new URL(updateUrl).protocol !== 'https:') throw new Error(`SAL_UPDATE_URL must be https: ${updateUrl}`);
    manifest.update_url = updateUrl;
  }
  return manifest;
}

/** WXT's config for building and zipping one target (the project's wxt.config.ts, plus this). */
export function packageConfig(target: PackageTarget, updateUrl?: string): InlineConfig {
  return {
    browser: target.browser,
    mode: 'production',
    outDir: PACKAGE_DIR,
    outDirTemplate: target.name,
    zip: { artifactTemplate: `{{name}}-{{version}}-${target.name}.zip` },
    hooks: { 'build:manifestGenerated': (_wxt, manifest) => void shipManifest(manifest as unknown as Manifest, target, updateUrl) },
  };
}

/** Builds and zips every target in turn; resolves to the zips' paths. */
export async function packageAll(updateUrl = process.env.SAL_UPDATE_URL || undefined): Promise<string[]> {
  const zips: string[] = [];
  for (const target of PACKAGE_TARGETS) zips.push(...(await zip(packageConfig(target, updateUrl))));
  return zips;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  packageAll().then(
    (zips) => console.log(zips.join('\n')),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
