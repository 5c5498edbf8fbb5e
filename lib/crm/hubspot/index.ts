import type { StrategyRead } from '../strategies';
import { HUBSPOT } from '../descriptions/hubspot';
import { describedAdapter } from '../interpret';
import { BUILT_IN_PAGES } from '../pages';

/** HubSpot CRM (app.hubspot.com and regional app-<region>.hubspot.com): contacts and leads, read as its bundled description says. */
export const hubspot = describedAdapter(BUILT_IN_PAGES[2]!, HUBSPOT);

/** The lead a HubSpot record page shows; `via`: which strategy read each field. */
export const readHubSpotLead = (doc: Document, recordId: string): StrategyRead => hubspot.readLead(doc, recordId);

export { detectHubSpotPage, hubSpotRecordKeyFromUrl, hubSpotRecordKey, isHubSpotUrl } from './url';
