import { browser } from 'wxt/browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { adapterFor } from '../lib/crm/registry';
import { customAdapters } from '../lib/crm/custom';
import { startContentRouter } from '../lib/content/router';
import { CUSTOM_CRMS_STORAGE_KEY } from '../lib/settings/storage-keys';

/**
 * The content script on the team's configured CRMs (registered at run time by
 * lib/background/custom-crms.ts, only on hosts the user granted). It builds the adapter from
 * the stored configuration and runs the same router as the built-in CRMs. The stored value is
 * checked by `customAdapters` (never throws), not by zod, to keep zod out of the page.
 */
export default defineUnlistedScript(() => {
  void browser.storage.local.get(CUSTOM_CRMS_STORAGE_KEY).then((items) => {
    const stored = items[CUSTOM_CRMS_STORAGE_KEY] as { crms?: unknown } | undefined;
    const crms = Array.isArray(stored?.crms) ? (stored.crms as unknown[]) : [];
    const url = new URL(location.href);
    // a built-in CRM host has its own content script
    const adapter = adapterFor(url) ? null : adapterFor(url, customAdapters(crms));
    if (adapter) startContentRouter(new ContentScriptContext('crm-custom'), adapter, document);
  });
});
