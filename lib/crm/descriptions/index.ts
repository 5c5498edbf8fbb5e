import type { AdapterDescription, DescribedUi } from '../description';
import { DYNAMICS } from './dynamics';
import { HUBSPOT } from './hubspot';
import { SALESFORCE_CLASSIC } from './salesforce-classic';
import { SALESFORCE_LIGHTNING } from './salesforce-lightning';

/**
 * The descriptions bundled with the extension, by UI: what the service worker hands the content
 * script unless the team server has a newer one (lib/background/adapter-descriptions.ts). Never
 * imported by the content script (they travel to it in the `page.adapter` answer).
 */
export const BUNDLED_DESCRIPTIONS: Readonly<Record<DescribedUi, AdapterDescription>> = {
  'salesforce-lightning': SALESFORCE_LIGHTNING,
  'salesforce-classic': SALESFORCE_CLASSIC,
  hubspot: HUBSPOT,
  'dynamics-365': DYNAMICS,
};
