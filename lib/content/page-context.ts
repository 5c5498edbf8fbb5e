import { browser } from 'wxt/browser';

/** The Navigation API's `navigate` event, as far as used here (not in TypeScript's DOM lib yet). */
interface NavigateEvent extends Event {
  readonly destination: { readonly url: string };
}
interface NavigationTarget {
  addEventListener(type: 'navigate', listener: (event: NavigateEvent) => void, options: { signal: AbortSignal }): void;
}

/** The content script's life on one CRM document: when it ends, and where the tab navigates. */
export interface PageContext {
  /** Aborted when this copy of the content script must stop (its extension was updated or removed). */
  readonly signal: AbortSignal;
  onInvalidated(cb: () => void): void;
  /** Calls `cb` with each new URL of the document (SPA navigations), as the navigation starts. */
  onLocationChange(cb: (url: URL) => void): void;
}

/**
 * Our own context instead of WXT's `ContentScriptContext` (≈1.2 KB gzip of the 10 KB budget, and
 * it posts a message to the CRM page's window on every load to stop older copies — which MV3
 * never injects into an open page: an updated extension's scripts reach new documents only).
 * What remains is an orphaned copy (extension reloaded or removed under an open CRM tab): its
 * extension APIs are gone, so it is found out at the next navigation and stops there, taking its
 * panel frame with it. Navigations come from the Navigation API's `navigate` event (Chromium
 * 102+), as WXT's watcher did, else from polling once a second.
 */
export function createPageContext(): PageContext {
  const controller = new AbortController();
  const { signal } = controller;
  const listeners: Array<(url: URL) => void> = [];
  let last = location.href;
  const changed = (href: string) => {
    if (href === last || signal.aborted) return;
    last = href;
    if (!browser.runtime?.id) return controller.abort();
    for (const cb of listeners) cb(new URL(href));
  };
  const navigation = (globalThis as { navigation?: NavigationTarget }).navigation;
  if (navigation) navigation.addEventListener('navigate', (event) => changed(event.destination.url), { signal });
  else {
    const poll = setInterval(() => changed(location.href), 1000);
    signal.addEventListener('abort', () => clearInterval(poll));
  }
  return {
    signal,
    onInvalidated: (cb) => signal.addEventListener('abort', cb),
    onLocationChange: (cb) => void listeners.push(cb),
  };
}
