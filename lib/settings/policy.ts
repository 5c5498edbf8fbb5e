import { browser } from 'wxt/browser';
import { z } from 'zod';
import type { CustomCrmConfig } from '../crm/custom';
import type { BackendConfig } from './backend';
import { normaliseBackendUrl } from './backend';
import { parseCustomCrms } from './custom-crms';
import type { CrmId } from '../domain/lead-key';
import type { SalDefinition } from '../domain/definition';
import { HandoffRulesSchema, type HandoffRules } from '../domain/handoff-rules';
import { WritebackSchema, type Writeback } from '../domain/writeback';

// Enterprise policy: what IT sets centrally for every rep, through Chrome's managed storage
// (`chrome.storage.managed`, filled from the `3rdparty.extensions.<id>` policy and checked by
// Chrome against public/managed_schema.json). Read-only for the extension. A value the policy
// gives always wins over the rep's own setting and is shown locked; `lockedSettings` locks
// settings the policy gives no value for (the rep keeps the default or what is there).

/**
 * The built-in CRMs a policy can turn on or off (the adapters' `id`s; Salesforce is both UIs).
 * The service worker applies it: a CRM page asks it (`page.adapter`) before it shows anything.
 */
export const BUILT_IN_CRM_IDS = ['salesforce', 'hubspot', 'dynamics'] as const satisfies readonly CrmId[];
export type BuiltInCrmId = (typeof BUILT_IN_CRM_IDS)[number];

/** Settings a policy can lock, by the names IT writes in `lockedSettings`. */
export const LOCKABLE_SETTINGS = ['serverUrl', 'signInMethod', 'builtInCrms', 'customCrms', 'language', 'handoffRules', 'writeback'] as const;
export type LockableSetting = (typeof LOCKABLE_SETTINGS)[number];

/** How a rep signs in to the team's server: a personal token today; "oidc" is reserved for single sign-on. */
export const SIGN_IN_METHODS = ['token', 'oidc'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

const serverUrl = z.string().transform((input, ctx) => {
  const checked = normaliseBackendUrl(input);
  if (checked.ok) return checked.url;
  ctx.addIssue({ code: 'custom', message: checked.error });
  return z.NEVER;
});

/** Each field on its own: one wrong field is dropped (and reported), the others still apply. */
const FIELDS = {
  serverUrl,
  signInMethod: z.enum(SIGN_IN_METHODS),
  builtInCrms: z.array(z.enum(BUILT_IN_CRM_IDS)),
  // the same record the options page stores (lib/settings/custom-crms.ts); an invalid CRM in it
  // is left out like a stored one would be
  customCrms: z.object({ version: z.literal(1), crms: z.array(z.unknown()) }).transform((value) => parseCustomCrms(value)),
  lockedSettings: z.array(z.enum(LOCKABLE_SETTINGS)),
  // the team definition's own schemas (lib/domain/handoff-rules.ts, writeback.ts): one schema
  // whether the rules come from the team's server, the options page or IT
  handoffRules: HandoffRulesSchema,
  writeback: z.preprocess(writebackFromPolicy, WritebackSchema),
} as const;

/**
 * Chrome's policy schema gives each value one type, and drops a policy whose value has another
 * (or strips a key it does not declare): a fixed write-back value in a policy is therefore written
 * `{"value": "text"}`, `{"number": 2}`, `{"boolean": true}` or `{"clear": true}`
 * (public/managed_schema.json), and read here as the definition's `{"value": …}` before the
 * definition's own schema checks it. Anything else passes through unchanged.
 */
function writebackFromPolicy(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const value = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const { number, boolean, clear, ...rest } = v as Record<string, unknown>;
    if (number !== undefined) return { ...rest, value: number };
    if (boolean !== undefined) return { ...rest, value: boolean };
    if (clear === true) return { ...rest, value: null };
    return v;
  };
  const map = (o: unknown, f: (v: unknown) => unknown): unknown => (typeof o === 'object' && o !== null && !Array.isArray(o) ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)])) : o);
  // { crm: { on: { trigger: { field: value } }, oauth } }
  return map(input, (crm) => {
    if (typeof crm !== 'object' || crm === null) return crm;
    const c = crm as Record<string, unknown>;
    return c.on === undefined ? c : { ...c, on: map(c.on, (fields) => map(fields, value)) };
  });
}

export interface Policy {
  serverUrl?: string;
  signInMethod?: SignInMethod;
  builtInCrms?: BuiltInCrmId[];
  customCrms?: CustomCrmConfig[];
  /** Hand-off rules per CRM UI; replace the team definition's (see `definitionUnderPolicy`). */
  handoffRules?: HandoffRules;
  /** The write-back mapping (and Salesforce connected app); replaces the team definition's. */
  writeback?: Writeback;
  /** Every setting the rep may not change: the ones the policy gives a value for, and `lockedSettings`. */
  locked: ReadonlySet<LockableSetting>;
  /** Fields of the managed storage that were refused ("serverUrl: insecure_url"), for the options page and the logs. */
  problems: string[];
}

/** No policy: nothing set, nothing locked (an unmanaged browser). */
export const NO_POLICY: Policy = { locked: new Set(), problems: [] };

/**
 * The policy in what `storage.managed.get()` returned. Anything that is not an object is no
 * policy; unknown keys are ignored (a newer policy template on an older extension).
 */
export function parsePolicy(managed: unknown): Policy {
  if (typeof managed !== 'object' || managed === null || Array.isArray(managed)) return NO_POLICY;
  const raw = managed as Record<string, unknown>;
  const policy: Omit<Policy, 'locked'> & { locked: Set<LockableSetting> } = { locked: new Set(), problems: [] };
  const take = <K extends keyof typeof FIELDS>(key: K): z.output<(typeof FIELDS)[K]> | undefined => {
    if (raw[key] === undefined) return undefined;
    const parsed = FIELDS[key].safeParse(raw[key]);
    if (parsed.success) return parsed.data as z.output<(typeof FIELDS)[K]>;
    policy.problems.push(`${key}: ${parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')} ` : '') + i.message).join('; ')}`);
    return undefined;
  };
  const url = take('serverUrl');
  if (url !== undefined) policy.serverUrl = url;
  const method = take('signInMethod');
  if (method !== undefined) policy.signInMethod = method;
  const builtIn = take('builtInCrms');
  if (builtIn !== undefined) policy.builtInCrms = [...new Set(builtIn)];
  const custom = take('customCrms');
  if (custom !== undefined) policy.customCrms = custom;
  const rules = take('handoffRules');
  if (rules !== undefined) policy.handoffRules = rules;
  const writeback = take('writeback');
  if (writeback !== undefined) policy.writeback = writeback;
  for (const key of ['serverUrl', 'signInMethod', 'builtInCrms', 'customCrms', 'handoffRules', 'writeback'] as const) if (policy[key] !== undefined) policy.locked.add(key);
  for (const key of take('lockedSettings') ?? []) policy.locked.add(key);
  return policy;
}

/** The part of `browser.storage.managed` read here (a fake in tests). */
export interface ManagedStorage {
  get(): Promise<Record<string, unknown>>;
}

/**
 * Reads and checks the policy. An unmanaged browser has an empty managed storage, and some
 * browsers (or a missing schema) make `get` throw: both are no policy, not an error.
 */
export async function readPolicy(managed: ManagedStorage | undefined): Promise<Policy> {
  return checkedPolicy(await readManagedValue(managed));
}

/** What `storage.managed.get()` returned, or `{}` (no policy) when there is none or it throws. */
export async function readManagedValue(managed: ManagedStorage | undefined = browser.storage.managed as ManagedStorage | undefined): Promise<Record<string, unknown>> {
  if (!managed) return {};
  try {
    return await managed.get();
  } catch {
    return {};
  }
}

/** `parsePolicy`, logging what it refused (IT reads the logs when a setting seems ignored). */
export function checkedPolicy(value: unknown): Policy {
  const policy = parsePolicy(value);
  if (policy.problems.length > 0) console.warn('[sal-bridge] enterprise policy: refused', policy.problems);
  return policy;
}

/**
 * The backend the extension uses under `policy`: the rep's own when the policy sets no server.
 * With a server URL set by policy, sync goes there only: the rep's token is kept when it was saved
 * for that same URL, and otherwise there is none yet (no sync until the rep enters one; a token
 * saved for another server is never sent to this one). Local-only mode is off under a set URL.
 */
export function effectiveBackend(local: BackendConfig, policy: Policy): BackendConfig {
  if (policy.serverUrl === undefined) return local;
  if (local.mode === 'server' && local.url === policy.serverUrl) return local;
  return { mode: 'local' };
}

/** Whether the built-in CRM `id` is on: all are unless the policy lists the ones that are. */
export function builtInCrmEnabled(id: string, policy: Policy): boolean {
  return policy.builtInCrms === undefined || (policy.builtInCrms as readonly string[]).includes(id);
}

/** The policy in force in this browser (`browser.storage.managed`). */
export function readManagedPolicy(): Promise<Policy> {
  return readPolicy(browser.storage.managed as ManagedStorage | undefined);
}

/**
 * The policy, or null when Chromium has not answered within `ms`. Chromium answers a
 * `storage.managed` read only once its policy service has loaded, which can take seconds after
 * start (and, in loaded e2e runs, longer than a test waits): callers that must not stall, such as
 * a sync round, go on with the rep's own settings meanwhile.
 */
export async function readManagedPolicyWithin(ms: number): Promise<Policy | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([readManagedPolicy(), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Calls back when IT changes the policy (Chrome reloads policies while running). Returns the unsubscribe. */
export function subscribePolicy(onChange: () => void): () => void {
  const listener = (_changes: unknown, area: string) => {
    if (area === 'managed') onChange();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

/**
 * The stored configured-CRM record (browser.storage.local) as it is in force: replaced by the
 * policy's list when the policy gives one (same shape, so readers need not know about policy).
 */
export function customCrmsRecordUnderPolicy(stored: unknown, policy: Policy): unknown {
  return policy.customCrms === undefined ? stored : { version: 1, crms: policy.customCrms };
}

/**
 * The team definition as it is in force under `policy`: the policy's hand-off rules and write-back
 * mapping, when it gives them, replace the definition's (whether the definition came from the
 * team's server or the options page). Hand-offs a policy rule makes name the definition's version
 * (a policy has none of its own); a policy change applies from the next read on, like a rule
 * change. Pure; the definition is returned as is when the policy sets neither.
 */
export function definitionUnderPolicy(definition: SalDefinition, policy: Policy): SalDefinition {
  if (policy.handoffRules === undefined && policy.writeback === undefined) return definition;
  return {
    ...definition,
    ...(policy.handoffRules !== undefined ? { handoffRules: policy.handoffRules } : {}),
    ...(policy.writeback !== undefined ? { writeback: policy.writeback } : {}),
  };
}
