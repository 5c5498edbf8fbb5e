import { createPageContext } from '../lib/content/page-context';
import { builtInPagesFor } from '../lib/crm/pages';
import { describedAdapter } from '../lib/crm/interpret';
import { startContentRouter } from '../lib/content/router';
import { sendRequest } from '../lib/messaging/client';

/**
 * The content script's second stage: the adapter interpreter, the panel frame and list badges.
 * Injected by the manifest at `document_start` into pages loaded at a lead page's URL
 * (`LEAD_PAGE_MATCHES` in lib/crm/matches.ts), else imported by the first stage
 * (`entrypoints/crm-watch.ts`) once the tab shows a lead record or lead list; either way it runs
 * in the content script's isolated world, once per document. From then on it routes every
 * navigation of the tab itself (other pages included: it hides the panel there). How to read
 * the page comes from the service worker (the bundled adapter description, or the team's newer
 * one), with whether the enterprise policy leaves the CRM on.
 */
export default defineUnlistedScript(() => {
  const pages = builtInPagesFor(new URL(location.href));
  if (!pages) return;
  // a built-in CRM IT turned off by enterprise policy gets no panel and no badges (`on`)
  void sendRequest({ type: 'page.adapter', ui: pages.ui })
    .then(({ description, on }) => on && startContentRouter(createPageContext(), describedAdapter(pages, description), document))
    .catch((error: unknown) => console.error('[sal-bridge] adapter not available', error));
});
