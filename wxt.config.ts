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
    web_accessible_resources: [{ resources: ['panel.html'], matches: CRM_MATCHES }],
    action: { default_title: 'SAL Bridge' },
  },
});
