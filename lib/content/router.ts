import { browser } from 'wxt/browser';
import type { CrmAdapter, PageKind } from '../crm/types';
import { sendRequest } from '../messaging/client';
import type { BackgroundMessage, BackgroundResponseMap } from '../messaging/protocol';
import { createPanelFrame, type PanelFrame } from './panel-frame';
import { runLeadRecord, type ShownRecord } from './lead-record';
import { startListBadges } from './list-badges';
import type { PageContext } from './page-context';

/**
 * The content script's page router: on every URL change (SPA navigation included) it stops the
 * previous page's feature and starts the one for the new page. Pages that are neither a lead
 * record nor a lead list cost one URL check.
 */
export function startContentRouter(ctx: PageContext, adapter: CrmAdapter, doc: Document): void {
  let current: { key: string; controller: AbortController } | null = null;
  let frame: PanelFrame | null = null;
  let badges: { refresh(): void } | null = null;
  // the record the panel was last shown next to (see runLeadRecord: a URL that moves without the page)
  let shown: ShownRecord | null = null;

  // `url` comes from the location change (lib/content/page-context.ts): the Navigation API's
  // `navigate` event fires before `location` is updated, so `location.href` still gives the old page.
  const route = (url: URL) => {
    const page: PageKind = adapter.detectPage(url);
    const key = page.kind === 'lead-record' ? `record:${page.recordId}` : page.kind;
    if (current?.key === key) return;
    const wasRecord = current?.key.startsWith('record:') ?? false;
    current?.controller.abort();
    current = null;
    badges = null;
    if (page.kind !== 'lead-record') {
      frame?.hide();
      if (wasRecord) void sendRequest({ type: 'page.leave' }).catch(() => undefined);
    }
    if (page.kind === 'other') return;

    const controller = new AbortController();
    ctx.onInvalidated(() => controller.abort());
    current = { key, controller };
    if (page.kind === 'lead-record') {
      frame ??= createPanelFrame(doc, ctx.signal);
      frame.hide();
      void runLeadRecord(adapter, page.recordId, frame, doc, controller.signal, shown, (s) => (shown = s));
    } else {
      badges = startListBadges(adapter, doc, controller.signal);
    }
  };

  // Badges change when a decision is made or other reps' decisions are pulled.
  const onMessage = (message: unknown): Promise<BackgroundResponseMap['bg.ping']> | undefined => {
    const type = (message as { type?: unknown } | null)?.type;
    if (type === ('bg.statusesChanged' satisfies BackgroundMessage['type'])) badges?.refresh();
    // the background asks whether this document still exists (lib/background/tab-leads.ts)
    if (type === ('bg.ping' satisfies BackgroundMessage['type'])) return Promise.resolve(true);
    return undefined;
  };
  // Answering with a promise is the extension messaging contract (see lib/background/router.ts).
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  browser.runtime.onMessage.addListener(onMessage);
  ctx.onInvalidated(() => {
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    browser.runtime.onMessage.removeListener(onMessage);
    frame?.remove();
  });
  ctx.onLocationChange(route);
  route(new URL(location.href));
}
