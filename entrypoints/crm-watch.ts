import { browser } from 'wxt/browser';
import { isLeadPage } from '../lib/content/lead-pages';

/** The part of the Navigation API used here (not in TypeScript's DOM lib yet). */
interface NavigateEvent extends Event {
  readonly destination: { readonly url: string };
}
interface NavigationTarget {
  addEventListener(type: 'navigate', listener: (event: NavigateEvent) => void): void;
  removeEventListener(type: 'navigate', listener: (event: NavigateEvent) => void): void;
}

/**
 * The content script's first stage, the file the manifest injects into CRM pages but those a lead
 * page's URL pattern names (`LEAD_PAGE_MATCHES`, which get the second stage directly; see
 * wxt.config.ts). It is an unlisted script, not a WXT content script, so nothing runs on a page
 * SAL Bridge does not act on but one URL check and one Navigation API listener: no extension API
 * is touched (their bindings are set up lazily, at a cost), no WXT context is created.
 * When the tab is on, or navigates to, a lead record or lead list, it imports the second stage
 * (`entrypoints/crm-main.ts`, web-accessible; a dynamic import from a content script runs in its
 * isolated world), which takes over routing from there, and stops watching.
 */
export default defineUnlistedScript(() => {
  let loaded = false;
  const load = () => {
    if (loaded) return;
    loaded = true;
    navigation?.removeEventListener('navigate', onNavigate);
    clearInterval(poll);
    // the extension was updated or removed since this page loaded: this copy is orphaned
    if (!browser.runtime?.id) return;
    import(/* @vite-ignore */ browser.runtime.getURL('/crm-main.js')).catch((error: unknown) => console.error('[sal-bridge] content script failed to load', error));
  };
  // The navigate event fires before `location` changes; the second stage routes on the URL it
  // finds when it runs (after the import's fetch), by which time a same-document navigation has
  // committed, and then watches navigations itself.
  const onNavigate = (event: NavigateEvent) => {
    if (isLeadPage(new URL(event.destination.url))) load();
  };
  // Navigation API: Chromium 102+; older browsers poll once a second (WXT's own fallback).
  const navigation = (globalThis as { navigation?: NavigationTarget }).navigation;
  let last = location.href;
  const poll = navigation
    ? undefined
    : setInterval(() => {
        if (location.href !== last && isLeadPage(new URL((last = location.href)))) load();
      }, 1000);
  if (isLeadPage(new URL(location.href))) load();
  else navigation?.addEventListener('navigate', onNavigate);
});
