import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createAdapterDescriptionHandlers, effectiveDescription, validDescriptions } from '../../../lib/background/adapter-descriptions';
import { SalDatabase } from '../../../lib/db/schema';
import { forgetPolicy } from '../../../lib/settings/policy-definition';
import { BUNDLED_DESCRIPTIONS } from '../../../lib/crm/descriptions';
import { HUBSPOT } from '../../../lib/crm/descriptions/hubspot';

describe('which description a page is read with', () => {
  const newer = { ...HUBSPOT, version: HUBSPOT.version + 1, scope: '[data-test-id="left-column"]' };

  it("uses the team server's when its version is above the bundled one's, else the bundled one", () => {
    expect(effectiveDescription('hubspot', [newer])).toEqual(newer);
    expect(effectiveDescription('hubspot', [{ ...newer, version: HUBSPOT.version }])).toBe(BUNDLED_DESCRIPTIONS.hubspot);
    expect(effectiveDescription('dynamics-365', [newer])).toBe(BUNDLED_DESCRIPTIONS['dynamics-365']);
    expect(effectiveDescription('hubspot', [])).toBe(BUNDLED_DESCRIPTIONS.hubspot);
  });

  it('keeps only valid descriptions, each on its own, the highest version per UI', () => {
    const broken = { ...newer, version: 99, fields: { name: [{ name: 'x', css: 'h1', run: 'alert(1)' }] } };
    const valid = validDescriptions([broken, newer, { ...newer, version: 2 }, 'nonsense', null]);
    expect(valid).toEqual([newer]);
  });
});

describe("a CRM page's question: its description, and whether the policy leaves its CRM on", () => {
  const managed = fakeBrowser.storage.managed as unknown as { get: () => Promise<Record<string, unknown>> };
  const unmanaged = managed.get;
  afterEach(() => {
    managed.get = unmanaged;
    forgetPolicy();
  });
  const ask = (ui: 'salesforce-lightning' | 'salesforce-classic' | 'hubspot' | 'dynamics-365') =>
    createAdapterDescriptionHandlers(new SalDatabase(`adapter-${Math.random()}`))['page.adapter'](
      { type: 'page.adapter', ui },
      { kind: 'page', tabId: 1, frameId: 0, url: new URL('https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view') },
    );

  it('every built-in CRM is on in an unmanaged browser', async () => {
    for (const ui of ['salesforce-lightning', 'salesforce-classic', 'hubspot', 'dynamics-365'] as const) {
      const reply = await ask(ui);
      expect(reply.on).toBe(true);
      expect(reply.description).toBe(BUNDLED_DESCRIPTIONS[ui]);
    }
  });

  it('a CRM the policy leaves out is off, for each of its UIs; a listed one stays on', async () => {
    managed.get = () => Promise.resolve({ builtInCrms: ['hubspot'] });
    expect((await ask('salesforce-lightning')).on).toBe(false);
    expect((await ask('salesforce-classic')).on).toBe(false);
    expect((await ask('dynamics-365')).on).toBe(false);
    const hubspot = await ask('hubspot');
    expect(hubspot.on).toBe(true);
    expect(hubspot.description).toBe(BUNDLED_DESCRIPTIONS.hubspot);
  });
});
