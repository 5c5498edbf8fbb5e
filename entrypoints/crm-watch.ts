import { browser } from 'wxt/browser';
import { isLeadPage } from '../lib/content/lead-pages';
import { startBuiltInCrm } from '../lib/content/built-in-crm';

/** The part of the Navigation API used here (not in TypeScript's DOM lib yet). */
interface NavigateEvent extends Event {
  readonly destination: { readonly url: string };
}
interface NavigationTarget {
  addEventListener(type: 'navigate', listener: (event: NavigateEvent) => void): void;
  removeEventListener(type: 'navigate', listener: (event: NavigateEvent) => void): void;
}

/**
 * The content script of the built-in CRMs, the only file the manifest injects into their pages
 * (see wxt.config.ts). It is an unlisted script, not a WXT content script, so nothing runs on a
 * page SAL Bridge does not act on but one URL check and one Navigation API listener: no
 * extension API is touched (their bindings are set up lazily, at a cost), no WXT context is
 * created, and the rest of the script is only compiled lazily (V8 pre-parses the functions it
 * does not call). When the tab is on, or navigates to, a lead record or lead list, it starts the
 * readers, the panel frame and the badges (lib/content/built-in-crm.ts), which take over routing
 * from there, and stops watching. They are part of this script rather than a second one it
 * imports: an import is a fetch, a module compile and a code cache made on every page load, a
 * few milliseconds of the page's main thread, and it delays the panel's first placement.
 */
export default defineUnlistedScript(() => {
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    navigation?.removeEventListener('navigate', onNavigate);
    clearInterval(poll);
    // the extension was updated or removed since this page loaded: this copy is orphaned
    if (browser.runtime?.id) startBuiltInCrm();
  };
  const onNavigate = (event: NavigateEvent) => {
    if (isLeadPage(new URL(event.destination.url))) start();
  };
  // Navigation API: Chromium 102+; older browsers poll once a second (WXT's own fallback).
  const navigation = (globalThis as { navigation?: NavigationTarget }).navigation;
  let last = location.href;
  const poll = navigation
    ? undefined
    : setInterval(() => {
        if (location.href !== last && isLeadPage(new URL((last = location.href)))) start();
      }, 1000);
  if (isLeadPage(new URL(location.href))) start();
  else navigation?.addEventListener('navigate', onNavigate);
});
