import { browser } from 'wxt/browser';
import { CUSTOM_CRMS_STORAGE_KEY, parseCustomCrms } from '../../lib/settings/custom-crms';
import type { CustomCrmApi } from './CustomCrmSection';

/** CustomCrmSection's API on the real extension: storage.local and runtime host permissions. */
export const browserCustomCrmApi: CustomCrmApi = {
  load: async () => parseCustomCrms((await browser.storage.local.get(CUSTOM_CRMS_STORAGE_KEY))[CUSTOM_CRMS_STORAGE_KEY]),
  store: (value) => browser.storage.local.set({ [CUSTOM_CRMS_STORAGE_KEY]: value }),
  subscribe(onChange) {
    const onStorage = (changes: Record<string, unknown>, area: string) => {
      if (area === 'local' && CUSTOM_CRMS_STORAGE_KEY in changes) onChange();
    };
    browser.storage.onChanged.addListener(onStorage);
    browser.permissions.onAdded.addListener(onChange);
    browser.permissions.onRemoved.addListener(onChange);
    return () => {
      browser.storage.onChanged.removeListener(onStorage);
      browser.permissions.onAdded.removeListener(onChange);
      browser.permissions.onRemoved.removeListener(onChange);
    };
  },
  hasAccess: (pattern) => browser.permissions.contains({ origins: [pattern] }),
  requestAccess: (pattern) => browser.permissions.request({ origins: [pattern] }),
  revokeAccess: async (pattern) => {
    await browser.permissions.remove({ origins: [pattern] });
  },
};
