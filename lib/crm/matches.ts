/**
 * Where the content script runs: the fixed SaaS hosts of the CRMs we have adapters for.
 * Customer-specific domains are added at run time (optional host permissions), not here.
 */
export const CRM_MATCHES = [
  'https://*.lightning.force.com/*',
  'https://*.my.salesforce.com/*',
  'https://app.hubspot.com/*',
  'https://*.dynamics.com/*',
];
