import { dynamics } from './dynamics';
import { hubspot } from './hubspot';
import { salesforceClassic } from './salesforce-classic';
import { salesforceLightning } from './salesforce-lightning';
import type { CrmAdapter } from './types';

/** Every CRM UI SAL Bridge can read, most specific first. */
export const ADAPTERS: readonly CrmAdapter[] = [salesforceLightning, salesforceClassic, hubspot, dynamics];

/**
 * The adapter for pages at `url`, or null when no CRM UI matches (the content script idles).
 * `custom`: adapters of the team's configured CRMs (lib/crm/custom), tried after the built-in ones.
 */
export function adapterFor(url: URL, custom: readonly CrmAdapter[] = []): CrmAdapter | null {
  for (const adapter of ADAPTERS) if (adapter.matches(url)) return adapter;
  for (const adapter of custom) if (adapter.matches(url)) return adapter;
  return null;
}
