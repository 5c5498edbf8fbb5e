import { defineConfig } from 'wxt';
import { CRM_MATCHES } from './lib/crm/matches';

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  manifest: {
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'ja',
    // storage: session store for the lead each tab shows; alarms: sync every 30 s (MV3 minimum)
    permissions: ['storage', 'alarms', 'notifications'],
    // The CRM hosts are needed for the content script; nothing else is granted up front.
    host_permissions: CRM_MATCHES,
    // The team's backend is asked for at run time, for its origin only (options page).
    optional_host_permissions: ['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*'],
    // The content script comes in two stages (issue 4: a page SAL Bridge does not act on must cost
    // next to nothing): crm-watch.js only classifies URLs and, on a lead record or list, imports
    // crm-main.js (readers, panel frame, badges), which must therefore be web-accessible.
    content_scripts: [{ matches: CRM_MATCHES, js: ['crm-watch.js'], run_at: 'document_idle' }],
    web_accessible_resources: [{ resources: ['panel.html', 'crm-main.js'], matches: CRM_MATCHES }],
    action: { default_title: 'SAL Bridge' },
  },
});
