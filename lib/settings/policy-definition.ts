import { z } from 'zod';
import type { SalDatabase } from '../db/schema';
import { defineKvItem, readKv, writeKv } from '../db/kv';
import { activeDefinition } from '../db/reads';
import type { SalDefinition } from '../domain/definition';
import { NO_POLICY, checkedPolicy, definitionUnderPolicy, readManagedValue, subscribePolicy, type Policy } from './policy';

/**
 * The definition the service worker applies (hand-off rules, write-back mapping): the stored
 * team definition under the enterprise policy (`definitionUnderPolicy`). Kept apart from
 * `activeDefinition`, which stays the team's own definition, so a page that edits and saves the
 * definition never writes the policy's values into it.
 *
 * Chromium answers a `storage.managed` read only once its policy service has loaded, about 2 s
 * after the browser starts, and the first CRM pages of the day load in those seconds. A page's
 * read or a rep's click must not wait for it: until Chromium answers, the policy it gave last
 * time (kept in IndexedDB, `lastPolicyKv`) applies, or none in a browser that never had one;
 * and when it answers, the hand-offs a rule would have made of the reads made meanwhile are made
 * then (`onPolicyLearned`, lib/background/rule-handoffs.ts). A policy changed while the browser
 * was closed so applies from Chromium's first answer on, as a change made while it runs does.
 */

/**
 * What Chromium's managed storage held when it last answered (the raw value, checked again by
 * `parsePolicy` when read). In IndexedDB, which only the extension's own pages and worker reach:
 * `chrome.storage.local` is open to content scripts, which must not be able to plant a policy.
 */
export const lastPolicyKv = defineKvItem('lastPolicy', z.record(z.string(), z.unknown()).nullable(), null);

/** How long a non-interactive read (the options page's connection list) waits for Chromium. */
const POLICY_WAIT_MS = 3000;
/**
 * How long a page read or a decision waits for Chromium when this browser has no policy
 * remembered (its first start with the extension), once per worker: a managed browser's
 * policy service has usually loaded by the time it installs an extension IT forces.
 */
const FIRST_POLICY_WAIT_MS = 150;

/** The policy in force, and whether Chromium gave it (`known`) or it is the remembered one. */
export interface PolicyView {
  policy: Policy;
  known: boolean;
}

let known: Policy | null = null;
let asking: Promise<Policy> | null = null;
let remembered: Promise<Policy | null> | null = null;
let rememberedJson: string | null | undefined;
/** The remembered policy once read (what reads use until Chromium answers). */
let rememberedValue: Policy | null = null;
let waitedOnce = false;
let subscribed = false;
const learners = new Set<(policy: Policy, before: Policy) => void>();

/** The one read of Chromium's managed storage in flight; its answer becomes `known`, is remembered and told to the learners. */
function askChromium(db: SalDatabase | undefined): Promise<Policy> {
  if (!subscribed) {
    subscribed = true;
    // IT changed the policy while the browser runs: read again; until the answer (milliseconds,
    // the policy service is loaded by then) the previous policy stays in force
    subscribePolicy(() => {
      asking = null;
      void askChromium(db).catch(() => undefined);
    });
  }
  const current = (asking ??= readManagedValue().then((value) => {
    const policy = checkedPolicy(value);
    if (asking === current) {
      const before = known ?? rememberedValue ?? NO_POLICY;
      known = policy;
      if (db) void remember(db, value);
      for (const learner of learners) learner(policy, before);
    }
    return policy;
  }));
  return current;
}

async function remember(db: SalDatabase, value: Record<string, unknown>): Promise<void> {
  const json = JSON.stringify(value);
  if (rememberedJson === undefined) rememberedJson = JSON.stringify(await readKv(db, lastPolicyKv));
  if (json === rememberedJson) return;
  rememberedJson = json;
  await writeKv(db, lastPolicyKv, value).catch((error: unknown) => console.warn('[sal-bridge] enterprise policy: not remembered', error));
}

function rememberedPolicy(db: SalDatabase | undefined): Promise<Policy | null> {
  if (!db) return Promise.resolve(null);
  return (remembered ??= readKv(db, lastPolicyKv).then(
    (value) => {
      rememberedJson ??= JSON.stringify(value);
      return (rememberedValue = value ? checkedPolicy(value) : null);
    },
    () => null,
  ));
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * The policy for a page read or a decision: Chromium's answer when it has given one; else, at
 * once, the remembered one; else (no policy ever remembered) Chromium's answer if it comes within
 * FIRST_POLICY_WAIT_MS, once per worker, and no policy meanwhile.
 */
export async function interactivePolicy(db?: SalDatabase): Promise<PolicyView> {
  if (known) return { policy: known, known: true };
  const answer = askChromium(db);
  const last = await rememberedPolicy(db);
  if (known) return { policy: known, known: true };
  if (!last && !waitedOnce) {
    const answered = await within(answer, FIRST_POLICY_WAIT_MS).catch(() => null);
    if (answered) return { policy: answered, known: true };
    waitedOnce = true;
  }
  return { policy: last ?? NO_POLICY, known: false };
}

/** The policy, waiting up to `waitMs` for Chromium, then as `interactivePolicy` (for views that show it, not for a click). */
export async function policyInForce(db?: SalDatabase, waitMs = POLICY_WAIT_MS): Promise<Policy> {
  if (known) return known;
  const answered = await within(askChromium(db), waitMs).catch(() => null);
  return answered ?? (await interactivePolicy(db)).policy;
}

/** Starts reading the policy (the worker calls it at start, so a page or a decision finds it known). */
export function warmPolicy(db: SalDatabase): void {
  void askChromium(db).catch(() => undefined);
  void rememberedPolicy(db);
}

/**
 * Calls `learner` each time Chromium answers with the policy (its first answer in this worker,
 * and after each change), with the policy reads used before (the remembered one, or none, or the
 * previous answer). Returns the unsubscribe.
 */
export function onPolicyLearned(learner: (policy: Policy, before: Policy) => void): () => void {
  learners.add(learner);
  return () => learners.delete(learner);
}

/** The team definition with the policy in force, and which policy that was. `team`: the stored team definition when the caller holds it already (decisions keep it in memory). */
export async function definitionAndPolicy(db: SalDatabase, team?: SalDefinition): Promise<PolicyView & { definition: SalDefinition }> {
  const [definition, view] = await Promise.all([team ?? activeDefinition(db), interactivePolicy(db)]);
  return { ...view, definition: definitionUnderPolicy(definition, view.policy) };
}

/** The team definition with the policy's hand-off rules and write-back mapping in force (see `definitionAndPolicy`). */
export async function definitionInForce(db: SalDatabase, team?: SalDefinition): Promise<SalDefinition> {
  return (await definitionAndPolicy(db, team)).definition;
}

/** Whether `a` and `b` judge pages alike: the same hand-off rules (what a page's read is judged by). */
export function sameHandoffRules(a: Policy, b: Policy): boolean {
  return JSON.stringify(a.handoffRules) === JSON.stringify(b.handoffRules);
}

/** Forgets everything read (tests: another policy in the fake browser's managed storage, a new database). */
export function forgetPolicy(): void {
  known = null;
  asking = null;
  remembered = null;
  rememberedValue = null;
  rememberedJson = undefined;
  waitedOnce = false;
}
