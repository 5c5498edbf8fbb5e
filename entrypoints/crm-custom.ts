import { createPageContext } from '../lib/content/page-context';
import { builtInPagesFor } from '../lib/crm/pages';
import { customAdapters } from '../lib/crm/custom';
import { startContentRouter } from '../lib/content/router';
import { sendRequest } from '../lib/messaging/client';

/**
 * The content script on the team's configured CRMs (registered at run time by
 * lib/background/custom-crms.ts, only on hosts the user granted). It asks the background for this
 * host's description (content scripts cannot read the extension's storage, see
 * lib/settings/custom-crms.ts), builds the adapter and runs the same router as the built-in CRMs.
 */
export default defineUnlistedScript(() => {
  void sendRequest({ type: 'page.customCrm' })
    .then(({ crms }) => {
      const url = new URL(location.href);
      // a built-in CRM host has its own content script (checked by URL alone: the built-in
      // descriptions stay out of this script)
      const adapter = builtInPagesFor(url) ? null : (customAdapters(crms).find((a) => a.matches(url)) ?? null);
      if (adapter) startContentRouter(createPageContext(), adapter, document);
    })
    .catch((error: unknown) => console.error('[sal-bridge] configured CRM not available', error));
});
