/**
 * Where the content script runs: the fixed SaaS hosts of the CRMs we have adapters for.
 * Customer-specific domains are added at run time (optional host permissions), not here.
 */
export const CRM_MATCHES = [
  'https://*.lightning.force.com/*',
  'https://*.my.salesforce.com/*',
  'https://app.hubspot.com/*',
  // HubSpot's other data centres (EU, second North American); match patterns cannot wildcard
  // the middle of a host, so each is listed
  'https://app-eu1.hubspot.com/*',
  'https://app-na2.hubspot.com/*',
  'https://*.dynamics.com/*',
];

/**
 * Lead pages whose URL alone says so, by match pattern: Lightning lead records
 * (`/lightning/r/Lead/<id>/…`, `/lightning/r/00Q…`) and the Lead list and object home. A page
 * loaded at one of these gets the content script's second stage (`crm-main.js`) injected by the
 * manifest at `document_start`, with no first stage: importing it from `crm-watch.js` would cost
 * the lead page a module fetch, compile, evaluation and code cache on every load. Every other CRM
 * page, and a tab that navigates to a lead page in the CRM's own app, gets `crm-watch.js`.
 * A pattern may match a page that is not a lead page (a lead's related list): the second stage
 * then shows nothing there and waits for the tab's next navigation, as after an SPA navigation.
 * Match patterns compare the path with its query string, so `?…` suffixes match too.
 */
export const LEAD_PAGE_MATCHES = ['https://*.lightning.force.com/lightning/r/Lead/*', 'https://*.lightning.force.com/lightning/r/00Q*', 'https://*.lightning.force.com/lightning/o/Lead/*'];
