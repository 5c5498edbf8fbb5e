import { describe, expect, it } from 'vitest';
import { PACKAGE_TARGETS, packageConfig, shipManifest, type PackageTarget } from '../../../scripts/package';
import { EXTENSION_PUBLIC_KEY } from '../../../lib/protocol/extension-id';

/** The manifest each zip ships with (the zips themselves: tests/e2e/package.test.ts). */

const target = (name: PackageTarget['name']) => PACKAGE_TARGETS.find((t) => t.name === name)!;
const built = () => ({ manifest_version: 3, name: '__MSG_extName__', key: EXTENSION_PUBLIC_KEY, storage: { managed_schema: 'managed_schema.json' } });

describe('npm run package: the manifest of each zip', () => {
  it('the store zips (Chrome Web Store, Edge Add-ons) leave `key` out; everything else is kept', () => {
    for (const name of ['chrome', 'edge'] as const) {
      const manifest = shipManifest(built(), target(name), 'https://updates.example.co.jp/sal.xml');
      expect(manifest).toEqual({ manifest_version: 3, name: '__MSG_extName__', storage: { managed_schema: 'managed_schema.json' } });
    }
  });

  it('the self-hosted zip keeps `key` (the fixed id) and names the update URL when one is given, https only', () => {
    expect(shipManifest(built(), target('chrome-selfhosted'))).toEqual(built());
    expect(shipManifest(built(), target('chrome-selfhosted'), 'https://updates.example.co.jp/sal.xml')).toEqual({ ...built(), update_url: 'https://updates.example.co.jp/sal.xml' });
    expect(() => shipManifest(built(), target('chrome-selfhosted'), 'http://updates.example.co.jp/sal.xml')).toThrow(/https/);
  });

  it('each target builds into its own directory under .output/package, never over the e2e build', () => {
    const dirs = PACKAGE_TARGETS.map((t) => packageConfig(t).outDirTemplate);
    expect(new Set(dirs).size).toBe(PACKAGE_TARGETS.length);
    for (const t of PACKAGE_TARGETS) {
      const config = packageConfig(t);
      expect(config.outDir).toBe('.output/package');
      expect(config.browser).toBe(t.browser);
      expect(config.zip?.artifactTemplate).toBe(`{{name}}-{{version}}-${t.name}.zip`);
    }
  });
});
