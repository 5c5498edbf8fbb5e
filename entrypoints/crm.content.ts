import { adapterFor } from '../lib/crm/registry';
import { startContentRouter } from '../lib/content/router';
import { CRM_MATCHES } from '../lib/crm/matches';

export default defineContentScript({
  matches: CRM_MATCHES,
  runAt: 'document_idle',
  main(ctx) {
    const adapter = adapterFor(new URL(location.href));
    if (adapter) startContentRouter(ctx, adapter, document);
  },
});
