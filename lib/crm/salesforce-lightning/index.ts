import { SALESFORCE_LIGHTNING } from '../descriptions/salesforce-lightning';
import { describedAdapter } from '../interpret';
import { BUILT_IN_PAGES } from '../pages';

/** Salesforce Lightning Experience (`*.lightning.force.com`), read as its bundled description says. */
export const salesforceLightning = describedAdapter(BUILT_IN_PAGES[0]!, SALESFORCE_LIGHTNING);

export { detectLightningPage, isLightningUrl, recordFromUrl } from './url';
