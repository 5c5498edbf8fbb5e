import { SALESFORCE_CLASSIC } from '../descriptions/salesforce-classic';
import { describedAdapter } from '../interpret';
import { BUILT_IN_PAGES } from '../pages';

/** Salesforce Classic, read as its bundled description says (lib/crm/descriptions/salesforce-classic.ts). */
export const salesforceClassic = describedAdapter(BUILT_IN_PAGES[1]!, SALESFORCE_CLASSIC);

export { classicLeadUrl, detectClassicPage } from './url';
