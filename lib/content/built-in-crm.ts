import { createPageContext } from './page-context';
import { builtInPagesFor } from '../crm/pages';
import { describedAdapter } from '../crm/interpret';
import { startContentRouter } from './router';
import { sendRequest } from '../messaging/client';
import { builtInCrmAllowedByPolicy } from '../settings/policy-crms';

/**
 * The content script's work on a built-in CRM once the tab shows a lead record or lead list: the
 * adapter interpreter, the panel frame and list badges. From then on it routes every navigation
 * of the tab itself (other pages included: it hides the panel there). How to read the page comes
 * from the service worker (the bundled adapter description, or the team's newer one), asked
 * while the policy is read; the router's first route is on the URL of the page when they answer
 * (a same-document navigation that started this has committed by then).
 */
export function startBuiltInCrm(): void {
  const pages = builtInPagesFor(new URL(location.href));
  if (!pages) return;
  // a built-in CRM IT turned off by enterprise policy gets no panel and no badges
  void Promise.all([builtInCrmAllowedByPolicy(pages.id), sendRequest({ type: 'page.adapter', ui: pages.ui })])
    .then(([on, { description }]) => on && startContentRouter(createPageContext(), describedAdapter(pages, description), document))
    .catch((error: unknown) => console.error('[sal-bridge] adapter not available', error));
}
