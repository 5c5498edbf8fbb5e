import { browser, type Browser } from 'wxt/browser';
import { RequestSchema, type Request, type RequestOf, type RequestType, type ResponseMap } from '../messaging/protocol';
import { adapterFor } from '../crm/registry';
import type { CrmAdapter } from '../crm/types';

type Sender = Browser.runtime.MessageSender;

/**
 * Who sent a message, once checked: a content script in a CRM tab, or one of our extension pages.
 * `documentId`: the sending document (a reload or navigation makes a new one).
 * `tabUrl`: for an extension page inside a tab (the panel frame), the tab's current top-level URL.
 */
export type VerifiedSender =
  | { kind: 'page'; tabId: number; url: URL; frameId: number; documentId?: string | undefined }
  | { kind: 'extension'; tabId: number | null; url: URL; frameId?: number | undefined; tabUrl?: URL | null | undefined };

export type Handlers = {
  [T in RequestType]: (request: RequestOf<T>, sender: VerifiedSender) => Promise<ResponseMap[T]>;
};

/**
 * Decides whether a sender may send a request of this type. Page messages must come from our
 * content script in the top frame of a tab on a CRM page we support; everything else only from
 * our own extension pages. Page scripts cannot reach runtime messaging at all (no
 * externally_connectable), but a compromised or confused content script must still not be able
 * to record decisions: only `panel.*`/`app.*` write, and those require an extension page. (A
 * page read may make the team's hand-off rule hand a lead over — lib/background/rule-handoffs.ts
 * — for the sender's own CRM only; that is the rule's doing, not the page's choice.)
 */
export function verifySender(type: RequestType, sender: Sender, extensionBase: string, runtimeId: string, custom: readonly CrmAdapter[] = []): VerifiedSender | null {
  if (sender.id !== runtimeId || !sender.url) return null;
  let url: URL;
  try {
    url = new URL(sender.url);
  } catch {
    return null;
  }
  // Our own pages: the sender is this extension (checked above) and the document is an extension
  // page. The panel is framed through a per-session dynamic URL (use_dynamic_url), whose host is
  // not the extension id, so the scheme is what tells it from a content script (whose url is the
  // web page's). Compared as strings: URL.origin is "null" for chrome-extension: outside the browser.
  const fromExtension = sender.url.startsWith(extensionBase) || url.protocol === new URL(extensionBase).protocol;
  if (type.startsWith('page.')) {
    if (sender.tab?.id === undefined || sender.frameId !== 0 || fromExtension) return null;
    // After SPA navigation (pushState) Chromium keeps reporting the frame's first URL in
    // `sender.url`; the tab's URL is the one the user sees now. Both must be a CRM page.
    let current: URL;
    try {
      current = new URL(sender.tab.url ?? sender.url);
    } catch {
      return null;
    }
    if (!adapterFor(url, custom) || !adapterFor(current, custom) || current.origin !== url.origin) return null;
    return { kind: 'page', tabId: sender.tab.id, url: current, frameId: sender.frameId, documentId: sender.documentId };
  }
  if (!fromExtension) return null;
  return { kind: 'extension', tabId: sender.tab?.id ?? null, url, frameId: sender.frameId, tabUrl: parseUrl(sender.tab?.url) };
}

/**
 * Registers the one runtime message listener: parse, verify the sender, dispatch.
 * `customAdapters`: the team's configured CRMs, whose pages may send page messages too.
 */
export function registerMessageRouter(handlers: Handlers, customAdapters: () => Promise<readonly CrmAdapter[]> = () => Promise.resolve([])): void {
  const extensionBase = browser.runtime.getURL('/');
  // Answering with a promise is the extension messaging contract (the polyfilled `browser`
  // sends its resolved value back); returning undefined leaves the message to other listeners.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  browser.runtime.onMessage.addListener((raw: unknown, sender: Sender) => {
    const type = requestType(raw);
    if (!type) return undefined; // not ours: no answer
    const parsed = RequestSchema.safeParse(raw);
    const dispatch = (custom: readonly CrmAdapter[]) => {
      const verified = verifySender(type, sender, extensionBase, browser.runtime.id, custom);
      if (!verified) {
        console.warn('[sal-bridge] refused message', type, 'from', sender.url);
        return undefined;
      }
      // One of our requests that does not hold (a draft whose payload does not fit its event
      // type, say): the sender, checked above, learns why instead of waiting for an answer.
      if (!parsed.success) return Promise.resolve({ ok: false, error: 'invalid_request', issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      const request: Request = parsed.data;
      const handler = handlers[request.type] as (r: Request, s: VerifiedSender) => Promise<unknown>;
      return handler(request, verified).catch((error: unknown) => {
        console.error('[sal-bridge] handler failed', request.type, error);
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      });
    };
    // only a page message from a host no built-in adapter knows waits for the configured CRMs
    if (!type.startsWith('page.') || builtInCrmPage(sender.tab?.url ?? sender.url)) return dispatch([]);
    return customAdapters().then(dispatch);
  });
}

const REQUEST_TYPES: ReadonlySet<string> = new Set(RequestSchema.options.map((option) => option.shape.type.value));

/** The request type `raw` names when it is one of ours, else null. */
export function requestType(raw: unknown): RequestType | null {
  const type = (raw as { type?: unknown } | null)?.type;
  return typeof type === 'string' && REQUEST_TYPES.has(type) ? (type as RequestType) : null;
}

function parseUrl(href: string | undefined): URL | null {
  try {
    return href === undefined ? null : new URL(href);
  } catch {
    return null;
  }
}

function builtInCrmPage(href: string | undefined): boolean {
  try {
    return href !== undefined && adapterFor(new URL(href)) !== null;
  } catch {
    return false;
  }
}
