import { detectLightningPage } from '../crm/salesforce-lightning/url';
import { detectClassicPage } from '../crm/salesforce-classic/url';
import { detectHubSpotPage } from '../crm/hubspot/url';
import { detectDynamicsPage } from '../crm/dynamics/url';
import type { PageKind } from '../crm/types';

/**
 * The URL classifiers of every adapter in `lib/crm/registry.ts`, imported without the adapters'
 * DOM readers: the content script's first stage (`entrypoints/crm-watch.ts`) runs on every CRM
 * page and must stay a few KB. `tests/unit/content/lead-pages.test.ts` fails when an adapter is
 * added to the registry but not here.
 */
export const PAGE_DETECTORS: ReadonlyArray<(url: URL) => PageKind> = [detectLightningPage, detectClassicPage, detectHubSpotPage, detectDynamicsPage];

/** True when `url` is a lead record or lead list of a supported CRM (the pages SAL Bridge acts on). */
export function isLeadPage(url: URL): boolean {
  for (const detect of PAGE_DETECTORS) if (detect(url).kind !== 'other') return true;
  return false;
}
