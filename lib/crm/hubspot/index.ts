import type { CrmAdapter } from '../types';
import { findHubSpotRecordAnchor, readHubSpotLead } from './lead-reader';
import { hubSpotListRows } from './list-reader';
import { detectHubSpotPage, isHubSpotUrl } from './url';

/** HubSpot CRM (app.hubspot.com and regional app-<region>.hubspot.com): contacts and leads. */
export const hubspot: CrmAdapter = {
  id: 'hubspot',
  ui: 'hubspot',
  matches: isHubSpotUrl,
  detectPage: detectHubSpotPage,
  readLead: readHubSpotLead,
  findRecordAnchor: findHubSpotRecordAnchor,
  listRows: hubSpotListRows,
};

export { detectHubSpotPage, hubSpotRecordKeyFromUrl, hubSpotRecordKey, isHubSpotUrl } from './url';
export { findHubSpotRecordAnchor, readHubSpotLead } from './lead-reader';
export { hubSpotListRows } from './list-reader';
