import { createPageContext } from '../lib/content/page-context';
import { adapterFor } from '../lib/crm/registry';
import { startContentRouter } from '../lib/content/router';
import { builtInCrmAllowedByPolicy } from '../lib/settings/policy-crms';

/**
 * The content script's second stage: adapters' DOM readers, the panel frame and list badges.
 * Imported by the first stage (`entrypoints/crm-watch.ts`) once the tab shows a lead record or
 * lead list, so it runs in the content script's isolated world; from then on it routes every
 * navigation of the tab itself (other pages included: it hides the panel there).
 */
export default defineUnlistedScript(() => {
  const adapter = adapterFor(new URL(location.href));
  if (!adapter) return;
  // a built-in CRM IT turned off by enterprise policy gets no panel and no badges
  void builtInCrmAllowedByPolicy(adapter.id).then((on) => on && startContentRouter(createPageContext(), adapter, document));
});
