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
