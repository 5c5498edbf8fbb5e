import { defineConfig } from 'wxt';
import { CRM_MATCHES, LEAD_PAGE_MATCHES } from './lib/crm/matches';
import { EXTENSION_PUBLIC_KEY } from './lib/protocol/extension-id';
import { FOCUS_PANEL_COMMAND, FOCUS_PANEL_KEYS } from './lib/background/commands';

/**
 * e2e only: host patterns to grant at install, standing in for the user's "Allow" on the
 * permission prompt of a configured CRM (headless Chromium shows no prompt a test can click).
 * Set by tests/e2e/custom-crm.test.ts for its own build; never in a release build.
 */
const E2E_GRANTED_HOSTS = (process.env.SAL_E2E_GRANTED_HOSTS ?? '').split(',').filter(Boolean);

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  // a second build (the e2e one above) must not overwrite the one the other suites use
  ...(process.env.SAL_OUT_DIR ? { outDir: process.env.SAL_OUT_DIR } : {}),
  manifest: {
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'ja',
    // a fixed id (lib/protocol/extension-id.ts): the server's CORS allow-list names it
    key: EXTENSION_PUBLIC_KEY,
    // enterprise policy (lib/settings/policy.ts): what IT may set in storage.managed
    storage: { managed_schema: 'managed_schema.json' },
    // storage: session store for the lead each tab shows; alarms: sync every 30 s (MV3 minimum)
    // scripting: the content script for the team's configured CRMs is registered at run time, and
    // Dynamics write-backs run in the CRM's own tab (lib/background/writeback-service.ts)
    // cookies: write-back to Salesforce reads the rep's `sid` of the org's my.salesforce.com host
    // (already a host permission: no new host is granted for it)
    // identity: single sign-on through chrome.identity.launchWebAuthFlow (options page, lib/sync/session.ts)
    permissions: ['storage', 'alarms', 'notifications', 'scripting', 'cookies', 'identity'],
    // The CRM hosts are needed for the content script; nothing else is granted up front.
    host_permissions: [...CRM_MATCHES, ...E2E_GRANTED_HOSTS],
    // The team's backend is asked for at run time, for its origin only (options page).
    optional_host_permissions: ['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*'],
    // The content script comes in two stages (issue 4: a page SAL Bridge does not act on must cost
    // next to nothing): crm-watch.js only classifies URLs and, on a lead record or list, imports
    // crm-main.js (readers, panel frame, badges), which must therefore be web-accessible.
    // document_start (issue 14): the second stage is then loaded before the CRM renders the
    // record, so the panel takes its place in the same frame as the record's header instead of
    // making the browser lay out and repaint the whole record page again a moment later.
    // A page loaded at a lead page's URL (LEAD_PAGE_MATCHES: Lightning lead records and lists,
    // told apart by match pattern) gets the second stage straight away instead, without the first
    // stage and its module import (issue 14); exactly one of the two runs on any page.
    content_scripts: [
      { matches: CRM_MATCHES, exclude_matches: LEAD_PAGE_MATCHES, js: ['crm-watch.js'], run_at: 'document_start' },
      { matches: LEAD_PAGE_MATCHES, js: ['crm-main.js'], run_at: 'document_start' },
    ],
    // crm-main.js (the content script's second stage) is imported by crm-watch.js on the built-in CRMs only.
    // The panel page is framed by our content script on CRM pages; a configured CRM can be on any
    // https host and web_accessible_resources cannot grow at run time, so it is loadable from
    // every https page. `use_dynamic_url` makes it reachable only through a per-session URL that
    // our content script gets from runtime.getURL, so another site cannot frame it (clickjacking)
    // or probe for it; the panel also refuses to render unless its parent is the CRM page of its
    // tab, and the background answers it only for the lead that tab's URL shows (issue 9).
    web_accessible_resources: [
      { resources: ['crm-main.js'], matches: CRM_MATCHES },
      { resources: ['panel.html'], matches: ['https://*/*'], use_dynamic_url: true },
    ],
    action: { default_title: 'SAL Bridge' },
    // issue 13: from the CRM page to the panel's first control (受領) by keyboard; listed in the
    // panel's help and the README. Plain text: chrome://extensions/shortcuts shows it as is.
    commands: {
      [FOCUS_PANEL_COMMAND]: { suggested_key: FOCUS_PANEL_KEYS, description: 'SAL Bridge パネルへ移動 / Focus the SAL Bridge panel' },
    },
  },
});
