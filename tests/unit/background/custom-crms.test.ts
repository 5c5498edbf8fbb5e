import { describe, expect, it } from 'vitest';
import { syncCustomContentScripts, type CustomCrmApis } from '../../../lib/background/custom-crms';
import { CUSTOM_CRM_CONFIG } from '../../sandbox/custom-crm';

/** In-memory registration and permissions: what Chrome would hold. */
function fakeApis(stored: unknown, granted: string[]) {
  const state = { registered: null as string[] | null, calls: [] as string[] };
  const apis: CustomCrmApis = {
    readStored: () => Promise.resolve(stored),
    hasHostPermission: (pattern) => Promise.resolve(granted.includes(pattern)),
    registeredMatches: () => Promise.resolve(state.registered),
    register: (m) => ((state.registered = m), state.calls.push('register'), Promise.resolve()),
    update: (m) => ((state.registered = m), state.calls.push('update'), Promise.resolve()),
    unregister: () => ((state.registered = null), state.calls.push('unregister'), Promise.resolve()),
  };
  return { apis, state };
}

const other = { ...CUSTOM_CRM_CONFIG, slug: 'second', host: '*.cybozu.com', recordUrl: '^/k/1/show#record=(?<id>\\d+)' };
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
    granted.push('https://*.cybozu.com/*');
    await syncCustomContentScripts(apis);
    expect(state.registered).toEqual(['https://leads.example-crm.test/*', 'https://*.cybozu.com/*']);
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
