import { browser } from 'wxt/browser';
import type { CrmId } from '../domain';

// The part of the enterprise policy (lib/settings/policy.ts) the content script needs, free of
// zod so the CRM page's second stage stays small: whether the policy turned a built-in CRM off.

/** The built-in CRMs a policy can turn on or off (the adapters' `id`s; Salesforce is both UIs). */
export const BUILT_IN_CRM_IDS = ['salesforce', 'hubspot', 'dynamics'] as const satisfies readonly CrmId[];
export type BuiltInCrmId = (typeof BUILT_IN_CRM_IDS)[number];

/** The managed-storage key of the built-in CRMs that are on (absent: all of them). */
export const BUILT_IN_CRMS_POLICY_KEY = 'builtInCrms';

/**
 * Whether the policy value `builtInCrms` leaves the CRM `id` on. Same reading as parsePolicy: a
 * value that is not a list of known ids is refused as a whole, and then every CRM stays on.
 */
export function builtInCrmOn(value: unknown, id: string): boolean {
  if (!Array.isArray(value) || !value.every((v) => (BUILT_IN_CRM_IDS as readonly unknown[]).includes(v))) return true;
  return (value as unknown[]).includes(id);
}

/**
 * For the content script: whether IT left the built-in CRM `id` on. An unmanaged browser (empty
 * managed storage, or one whose `get` throws or has not answered within a second) has every CRM on.
 */
export async function builtInCrmAllowedByPolicy(id: string): Promise<boolean> {
  try {
    // Chromium answers only once its policy service has loaded (seconds after start, at worst):
    // the panel does not wait longer than a second for an IT preference (not a security boundary)
    const managed = await Promise.race([browser.storage.managed.get(BUILT_IN_CRMS_POLICY_KEY), new Promise<Record<string, unknown>>((r) => setTimeout(r, 1000, {}))]);
    return builtInCrmOn(managed[BUILT_IN_CRMS_POLICY_KEY], id);
  } catch {
    return true;
  }
}
