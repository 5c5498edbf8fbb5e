import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { setupCustomCrms, syncCustomContentScripts, type CustomCrmApis } from '../../../lib/background/custom-crms';
import type { VerifiedSender } from '../../../lib/background/router';
import { CUSTOM_CRM_CONFIG } from '../../sandbox/custom-crm';

/** In-memory registration and permissions: what Chrome would hold. */
function fakeApis(stored: unknown, granted: string[]) {
  const state = { registered: null as string[] | null, calls: [] as string[] };
  const apis: CustomCrmApis = {
    closeStorageToContentScripts: () => Promise.resolve(true),
    readStored: () => Promise.resolve(stored),
    hasHostPermission: (pattern) => Promise.resolve(granted.includes(pattern)),
    registeredMatches: () => Promise.resolve(state.registered),
    register: (m) => ((state.registered = m), state.calls.push('register'), Promise.resolve()),
    update: (m) => ((state.registered = m), state.calls.push('update'), Promise.resolve()),
    unregister: () => ((state.registered = null), state.calls.push('unregister'), Promise.resolve()),
  };
  return { apis, state };
}

const other = { ...CUSTOM_CRM_CONFIG, slug: 'second', host: '*.example.co.jp', recordUrl: '^/k/1/show#record=(?<id>\\d+)' };
const stored = (...crms: unknown[]) => ({ version: 1, crms });

describe('the content script registration for configured CRMs', () => {
  it('matches exactly the granted hosts of the valid configurations', async () => {
    const { apis, state } = fakeApis(stored(CUSTOM_CRM_CONFIG, other), ['https://leads.example-crm.test/*']);
    expect(await syncCustomContentScripts(apis)).toEqual(['https://leads.example-crm.test/*']);
    expect(state.registered).toEqual(['https://leads.example-crm.test/*']);
    // nothing changed: no call to Chrome
    await syncCustomContentScripts(apis);
    expect(state.calls).toEqual(['register']);
  });

  it('follows a grant, and unregisters when nothing is granted or configured any more', async () => {
    const granted: string[] = ['https://leads.example-crm.test/*'];
    const { apis, state } = fakeApis(stored(CUSTOM_CRM_CONFIG, other), granted);
    await syncCustomContentScripts(apis);
    granted.push('https://*.example.co.jp/*');
    await syncCustomContentScripts(apis);
    expect(state.registered).toEqual(['https://leads.example-crm.test/*', 'https://*.example.co.jp/*']);
    granted.length = 0;
    await syncCustomContentScripts(apis);
    expect(state.registered).toBeNull();
    expect(state.calls).toEqual(['register', 'update', 'unregister']);
  });

  it('ignores a broken or foreign stored value instead of registering anything', async () => {
    for (const value of [undefined, 'junk', { version: 2, crms: [CUSTOM_CRM_CONFIG] }, stored({ ...CUSTOM_CRM_CONFIG, recordUrl: '(' })]) {
      const { apis, state } = fakeApis(value, ['https://leads.example-crm.test/*']);
      expect(await syncCustomContentScripts(apis)).toEqual([]);
      expect(state.calls).toEqual([]);
    }
  });
});

describe('configured CRMs are served only from storage content scripts cannot write', () => {
  beforeEach(() => {
    // fakeBrowser has no permission events; the registration's reaction to them is tested above
    vi.spyOn(browser.permissions.onAdded, 'addListener').mockImplementation(() => undefined);
    vi.spyOn(browser.permissions.onRemoved, 'addListener').mockImplementation(() => undefined);
  });
  const page = (href: string): VerifiedSender => ({ kind: 'page', tabId: 1, url: new URL(href), frameId: 0 });

  it("hands a configured CRM's content script its own host's description only", async () => {
    const { apis } = fakeApis(stored(CUSTOM_CRM_CONFIG, other), ['https://leads.example-crm.test/*']);
    const { handlers, adapters } = setupCustomCrms(apis);
    expect(await handlers['page.customCrm']({ type: 'page.customCrm' }, page('https://leads.example-crm.test/leads/1'))).toEqual({ crms: [CUSTOM_CRM_CONFIG] });
    expect(await handlers['page.customCrm']({ type: 'page.customCrm' }, page('https://sales.example.co.jp/k/1/show#record=4'))).toEqual({ crms: [other] });
    expect(await handlers['page.customCrm']({ type: 'page.customCrm' }, page('https://unrelated.example.com/'))).toEqual({ crms: [] });
    expect((await adapters()).length).toBe(2);
  });

  it('serves none and registers nothing when the browser cannot close storage.local to content scripts', async () => {
    const { apis, state } = fakeApis(stored(CUSTOM_CRM_CONFIG), ['https://leads.example-crm.test/*']);
    const { handlers, adapters } = setupCustomCrms({ ...apis, closeStorageToContentScripts: () => Promise.resolve(false) });
    expect(await adapters()).toEqual([]);
    expect(await handlers['page.customCrm']({ type: 'page.customCrm' }, page('https://leads.example-crm.test/leads/1'))).toEqual({ crms: [] });
    await new Promise((r) => setTimeout(r, 10));
    expect(state.registered).toBeNull();
  });
});
