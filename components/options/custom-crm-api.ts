import { browser } from 'wxt/browser';
import { parseCustomCrms } from '../../lib/settings/custom-crms';
import { customCrmsStorage } from '../../lib/settings/storage-items';
import type { CustomCrmApi } from './CustomCrmSection';

/** CustomCrmSection's API on the real extension: storage.local and runtime host permissions. */
export const browserCustomCrmApi: CustomCrmApi = {
  load: async () => parseCustomCrms(await customCrmsStorage.getValue()),
  store: (value) => customCrmsStorage.setValue(value),
  subscribe(onChange) {
    const unwatch = customCrmsStorage.watch(onChange);
    browser.permissions.onAdded.addListener(onChange);
    browser.permissions.onRemoved.addListener(onChange);
    return () => {
      unwatch();
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
