import type { DescribedUi } from './description';
import type { AdapterPages } from './interpret';
import { detectDynamicsPage, dynamicsLeadIdFromUrl, isDynamicsUrl } from './dynamics/url';
import { detectHubSpotPage, hubSpotRecordKeyFromUrl, isHubSpotUrl } from './hubspot/url';
import { classicMatches, classicRecordId, detectClassicPage } from './salesforce-classic/url';
import { detectLightningPage, isLightningUrl, recordFromUrl } from './salesforce-lightning/url';

/**
 * The URL side of every built-in CRM UI, most specific first: which pages are its, and which are
 * lead records (with the record id) or lead lists. Code, not description data (see
 * lib/crm/description.ts); free of the descriptions, so the content script can pick its UI before
 * it asks the service worker for that UI's description.
 */
export const BUILT_IN_PAGES: ReadonlyArray<AdapterPages & { ui: DescribedUi }> = [
  { id: 'salesforce', ui: 'salesforce-lightning', matches: isLightningUrl, detectPage: detectLightningPage, recordIdOf: (url) => recordFromUrl(url)?.recordId },
  { id: 'salesforce', ui: 'salesforce-classic', matches: classicMatches, detectPage: detectClassicPage, recordIdOf: classicRecordId },
  { id: 'hubspot', ui: 'hubspot', matches: isHubSpotUrl, detectPage: detectHubSpotPage, recordIdOf: hubSpotRecordKeyFromUrl },
  { id: 'dynamics', ui: 'dynamics-365', matches: isDynamicsUrl, detectPage: detectDynamicsPage, recordIdOf: dynamicsLeadIdFromUrl },
];

/** The built-in CRM UI of pages at `url`, or null. */
export function builtInPagesFor(url: URL): (AdapterPages & { ui: DescribedUi }) | null {
  return BUILT_IN_PAGES.find((p) => p.matches(url)) ?? null;
}
