import type { SalDatabase } from '../db/schema';
import { activeDefinition } from '../db/reads';
import type { SalDefinition } from '../domain/definition';
import { NO_POLICY, definitionUnderPolicy, readManagedPolicyWithin, subscribePolicy, type Policy } from './policy';

/**
 * The definition the service worker applies (hand-off rules, write-back mapping): the stored
 * team definition under the enterprise policy (`definitionUnderPolicy`). Kept apart from
 * `activeDefinition`, which stays the team's own definition, so a page that edits and saves the
 * definition never writes the policy's values into it.
 */

/** How long a first read waits for Chromium's policy service (it answers only once loaded, seconds after start). */
const POLICY_WAIT_MS = 3000;
/**
 * How long a rep's click or a page read waits for it (decisions, list badges, rule hand-offs): a
 * decision must not stall for seconds on a policy service that has not loaded yet. The worker
 * starts reading the policy when it starts (`warmPolicy`), so it is almost always known by then;
 * in the rare first seconds it is not, the team's own definition applies, as in a sync round.
 */
const INTERACTIVE_POLICY_WAIT_MS = 150;

let known: Policy | null = null;
let subscribed = false;

/**
 * The policy as last read, read again after IT changes it. Until Chromium first answers (within
 * POLICY_WAIT_MS), no policy: the team's own settings apply meanwhile, and the next call asks again.
 */
export async function policyInForce(read: (ms: number) => Promise<Policy | null> = readManagedPolicyWithin, waitMs = POLICY_WAIT_MS): Promise<Policy> {
  if (!subscribed) {
    subscribed = true;
    subscribePolicy(() => (known = null));
  }
  if (known) return known;
  const policy = await read(waitMs);
  if (policy) known = policy;
  return policy ?? NO_POLICY;
}

/** Starts reading the policy (the worker calls it at start, so a decision does not wait for it). */
export function warmPolicy(): void {
  void policyInForce().catch(() => undefined);
}

/**
 * The team definition with the policy's hand-off rules and write-back mapping in force. `team`:
 * the stored team definition when the caller holds it already (decisions keep it in memory).
 */
export async function definitionInForce(db: SalDatabase, team?: SalDefinition): Promise<SalDefinition> {
  const [definition, policy] = await Promise.all([team ?? activeDefinition(db), policyInForce(readManagedPolicyWithin, INTERACTIVE_POLICY_WAIT_MS)]);
  return definitionUnderPolicy(definition, policy);
}

/** Forgets the policy read (tests: another policy in the fake browser's managed storage). */
export function forgetPolicy(): void {
  known = null;
}
