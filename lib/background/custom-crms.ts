import { browser } from 'wxt/browser';
import { createCustomAdapter, customAdapters, customMatchPattern } from '../crm/custom';
import type { CrmAdapter } from '../crm/types';
import type { CustomCrmConfig } from '../crm/custom';
import type { Handlers } from './router';
import { parseCustomCrms } from '../settings/custom-crms';
import { customCrmsStorage } from '../settings/storage-items';
import { customCrmsRecordUnderPolicy, readManagedPolicy, type Policy } from '../settings/policy';

/** The one dynamic content script that serves every configured CRM the user granted. */
export const CUSTOM_SCRIPT_ID = 'sal-bridge-custom-crm';
/** Built by entrypoints/crm-custom.ts. */
export const CUSTOM_SCRIPT_FILE = 'crm-custom.js';

/** The extension APIs the registration needs (the real ones in the worker, fakes in tests). */
export interface CustomCrmApis {
  /**
   * Closes storage.local to content scripts (TRUSTED_CONTEXTS), where the configurations live;
   * false when the browser cannot, and then no configured CRM is served (fail closed).
   */
  closeStorageToContentScripts(): Promise<boolean>;
  readStored(): Promise<unknown>;
  /** Reads the enterprise policy for `readStored` (see `knownPolicy`); the registration is redone once it resolves. */
  policyKnown?(): Promise<unknown>;
  hasHostPermission(pattern: string): Promise<boolean>;
  /** The matches of our registered script, or null when none is registered. */
  registeredMatches(): Promise<string[] | null>;
  register(matches: string[]): Promise<void>;
  update(matches: string[]): Promise<void>;
  unregister(): Promise<void>;
}

/**
 * Makes the registered content script match exactly the hosts of the valid configured CRMs
 * whose host permission the user granted (a host not granted gets no script: Chrome would not
 * inject it anyway, and the options page offers to grant it). Returns the patterns registered.
 */
export async function syncCustomContentScripts(api: CustomCrmApis): Promise<string[]> {
  const configs = parseCustomCrms(await api.readStored()).filter((c) => createCustomAdapter(c).ok);
  const patterns = [...new Set(configs.map(customMatchPattern))];
  const granted: string[] = [];
  for (const pattern of patterns) if (await api.hasHostPermission(pattern)) granted.push(pattern);
  const current = await api.registeredMatches();
  if (granted.length === 0) {
    if (current) await api.unregister();
    return [];
  }
  if (!current) await api.register(granted);
  else if (current.length !== granted.length || current.some((m) => !granted.includes(m))) await api.update(granted);
  return granted;
}

/**
 * The enterprise policy as last read, null until Chromium first answers. Chromium answers a
 * `storage.managed` read only once its policy service has loaded: 2 s after start in a quiet e2e
 * run, never within a 20 s test in a loaded one. So nothing waits for it: until it is known the
 * rep's own configuration is served, and when it is (`policyKnown`), the registration is redone
 * under it, so the policy's CRMs, if it sets any, replace the rep's.
 */
let knownPolicy: Policy | null = null;

const browserApis: CustomCrmApis = {
  closeStorageToContentScripts: async () => {
    const local = browser.storage.local as typeof browser.storage.local & { setAccessLevel?: (o: { accessLevel: string }) => Promise<void> };
    if (!local.setAccessLevel) return false;
    try {
      await local.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
      return true;
    } catch (error) {
      console.error('[sal-bridge] cannot close storage.local to content scripts; configured CRMs are off', error);
      return false;
    }
  },
  readStored: async () => {
    const stored = await customCrmsStorage.getValue();
    return knownPolicy ? customCrmsRecordUnderPolicy(stored, knownPolicy) : stored;
  },
  policyKnown: async () => {
    knownPolicy = await readManagedPolicy();
  },
  hasHostPermission: (pattern) => browser.permissions.contains({ origins: [pattern] }),
  registeredMatches: async () => (await browser.scripting.getRegisteredContentScripts({ ids: [CUSTOM_SCRIPT_ID] }))[0]?.matches ?? null,
  register: (matches) => browser.scripting.registerContentScripts([{ id: CUSTOM_SCRIPT_ID, matches, js: [CUSTOM_SCRIPT_FILE], runAt: 'document_idle', persistAcrossSessions: true }]),
  update: (matches) => browser.scripting.updateContentScripts([{ id: CUSTOM_SCRIPT_ID, matches, js: [CUSTOM_SCRIPT_FILE] }]),
  unregister: () => browser.scripting.unregisterContentScripts({ ids: [CUSTOM_SCRIPT_ID] }),
};

/**
 * Wires the configured CRMs into the worker: the content script registration follows the
 * stored configurations and the granted permissions (at start, on install, on every change),
 * and `adapters()` gives their adapters for judging which pages may send page messages.
 */
export function setupCustomCrms(apis: CustomCrmApis = browserApis): {
  adapters: () => Promise<CrmAdapter[]>;
  handlers: Pick<Handlers, 'page.customCrm'>;
} {
  let adapters: Promise<CrmAdapter[]> | null = null;
  const closed = apis.closeStorageToContentScripts();
  // while storage.local is open to content scripts its contents cannot be trusted: serve none
  const stored = async () => ((await closed) ? apis.readStored() : undefined);
  const trusted: CustomCrmApis = { ...apis, readStored: stored };
  // one sync at a time: a save fires a storage change and a permission grant together
  let chain: Promise<unknown> = Promise.resolve();
  const sync = () => {
    chain = chain.then(() => syncCustomContentScripts(trusted)).catch((error: unknown) => console.error('[sal-bridge] custom CRM registration failed', error));
  };
  const changed = () => {
    adapters = null;
    sync();
  };
  customCrmsStorage.watch(changed);
  // the policy (read once known, and again on every change of storage.managed) may set or clear
  // the configured CRMs too
  const learnPolicy = () => void apis.policyKnown?.().then(changed, () => undefined);
  learnPolicy();
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'managed') learnPolicy();
  });
  browser.permissions.onAdded.addListener(sync);
  browser.permissions.onRemoved.addListener(sync);
  sync();
  const configs = async (): Promise<CustomCrmConfig[]> => parseCustomCrms(await stored());
  return {
    adapters: () => (adapters ??= configs().then(customAdapters)),
    handlers: {
      // the router has checked the sender is our content script on a configured CRM's page
      async 'page.customCrm'(_request, sender) {
        if (sender.kind !== 'page') return { crms: [] };
        return { crms: (await configs()).filter((c) => customAdapters([c])[0]?.matches(sender.url)) };
      },
    },
  };
}
