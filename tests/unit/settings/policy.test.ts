import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  BUILT_IN_CRM_IDS,
  LOCKABLE_SETTINGS,
  NO_POLICY,
  SIGN_IN_METHODS,
  builtInCrmEnabled,
  customCrmsRecordUnderPolicy,
  definitionUnderPolicy,
  effectiveBackend,
  parsePolicy,
  readPolicy,
} from '../../../lib/settings/policy';
import { CUSTOM_CRM_EXAMPLE, CustomCrmConfigSchema, parseCustomCrms } from '../../../lib/settings/custom-crms';
import { ADAPTERS } from '../../../lib/crm/registry';
import { readBackend } from '../../../lib/background/sync-service';
import { SalDatabase } from '../../../lib/db/schema';
import { writeKv } from '../../../lib/db/kv';
import { backendKv } from '../../../lib/settings/backend';
import { definitionKv } from '../../../lib/db/reads';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { HandoffRuleSchema } from '../../../lib/domain/handoff-rules';
import { SALESFORCE_WRITEBACK_EXAMPLE, WRITEBACK_TRIGGERS, WritebackSourceSchema } from '../../../lib/domain/writeback';
import { definitionInForce, forgetPolicy } from '../../../lib/settings/policy-definition';
import { applyHandoffRule } from '../../../lib/background/rule-handoffs';

const SERVER = 'https://sal.example.co.jp';
const token = { mode: 'server' as const, url: SERVER, token: 'rep-token' };

describe('reading the enterprise policy', () => {
  it('an unmanaged browser (empty managed storage, or get throwing) has no policy', async () => {
    expect(await readPolicy({ get: () => Promise.resolve({}) })).toEqual(NO_POLICY);
    expect(await readPolicy({ get: () => Promise.reject(new Error('Managed storage is not available')) })).toEqual(NO_POLICY);
    expect(await readPolicy(undefined)).toEqual(NO_POLICY);
    for (const value of [null, 'x', 3, []]) expect(parsePolicy(value)).toEqual(NO_POLICY);
  });

  it('takes what IT set, normalises the URL, and locks every setting it gives a value for plus the listed ones', () => {
    const policy = parsePolicy({
      serverUrl: `${SERVER}/`,
      signInMethod: 'token',
      builtInCrms: ['salesforce', 'salesforce'],
      customCrms: { version: 1, crms: [CUSTOM_CRM_EXAMPLE] },
      lockedSettings: ['language'],
      someFutureSetting: true,
    });
    expect(policy.serverUrl).toBe(SERVER);
    expect(policy.signInMethod).toBe('token');
    expect(policy.builtInCrms).toEqual(['salesforce']);
    expect(policy.customCrms).toEqual([CUSTOM_CRM_EXAMPLE]);
    expect([...policy.locked].sort()).toEqual(['builtInCrms', 'customCrms', 'language', 'serverUrl', 'signInMethod']);
    expect(policy.problems).toEqual([]);
  });

  it('drops a wrong field with a reason and keeps the others (a clear-text URL never becomes the server)', () => {
    const policy = parsePolicy({ serverUrl: 'http://sal.example.co.jp', builtInCrms: ['hubspot', 'zoho'], lockedSettings: ['language'], signInMethod: 'oidc' });
    expect(policy.serverUrl).toBeUndefined();
    expect(policy.builtInCrms).toBeUndefined();
    expect(policy.signInMethod).toBe('oidc');
    expect([...policy.locked].sort()).toEqual(['language', 'signInMethod']);
    expect(policy.problems).toHaveLength(2);
    expect(policy.problems[0]).toMatch(/^serverUrl: insecure_url/);
    expect(policy.problems[1]).toMatch(/^builtInCrms: /);
  });

  it('a configured CRM the rules refuse is left out of the policy list, like a stored one', () => {
    const policy = parsePolicy({ customCrms: { version: 1, crms: [CUSTOM_CRM_EXAMPLE, { ...CUSTOM_CRM_EXAMPLE, slug: 'bad', host: 'co.jp' }] } });
    expect(policy.customCrms).toEqual([CUSTOM_CRM_EXAMPLE]);
  });

  it('reads browser.storage.managed through readBackend in the background', async () => {
    const db = new SalDatabase(`policy-${Math.random()}`);
    await writeKv(db, backendKv, { mode: 'server', url: 'https://other.example.com', token: 'old' });
    expect(await readBackend(db)).toEqual({ mode: 'server', url: 'https://other.example.com', token: 'old' });
    // the fake browser's managed area is read-only like the real one: IT's policy stands in here
    const managed = fakeBrowser.storage.managed as unknown as { get: () => Promise<Record<string, unknown>> };
    const unmanaged = managed.get;
    managed.get = () => Promise.resolve({ serverUrl: SERVER });
    try {
      expect(await readBackend(db)).toEqual({ mode: 'local' });
      await writeKv(db, backendKv, token);
      expect(await readBackend(db)).toEqual(token);
    } finally {
      managed.get = unmanaged;
      db.close();
    }
  });
});

describe('settings in force under a policy', () => {
  it('the server URL set by policy wins: a token saved for another server is never sent to it', () => {
    const policy = parsePolicy({ serverUrl: SERVER });
    expect(effectiveBackend(token, policy)).toEqual(token);
    expect(effectiveBackend({ ...token, url: 'https://attacker.example' }, policy)).toEqual({ mode: 'local' });
    expect(effectiveBackend({ mode: 'local' }, policy)).toEqual({ mode: 'local' });
    expect(effectiveBackend({ ...token, url: 'https://attacker.example' }, NO_POLICY)).toEqual({ ...token, url: 'https://attacker.example' });
  });

  it("the policy's configured CRMs replace the rep's, in the stored record's shape", () => {
    const mine = { version: 1, crms: [{ ...CUSTOM_CRM_EXAMPLE, slug: 'mine', host: 'mine.example.com' }] };
    expect(customCrmsRecordUnderPolicy(mine, NO_POLICY)).toBe(mine);
    expect(parseCustomCrms(customCrmsRecordUnderPolicy(mine, parsePolicy({ customCrms: { version: 1, crms: [CUSTOM_CRM_EXAMPLE] } })))).toEqual([CUSTOM_CRM_EXAMPLE]);
    expect(parseCustomCrms(customCrmsRecordUnderPolicy(mine, parsePolicy({ customCrms: { version: 1, crms: [] } })))).toEqual([]);
  });

  it('built-in CRMs are all on without a policy list (or with one refused as a whole), only the listed ones with it', () => {
    const listed = parsePolicy({ builtInCrms: ['hubspot'] });
    for (const id of BUILT_IN_CRM_IDS) {
      expect(builtInCrmEnabled(id, NO_POLICY)).toBe(true);
      expect(builtInCrmEnabled(id, listed)).toBe(id === 'hubspot');
      expect(builtInCrmEnabled(id, parsePolicy({ builtInCrms: [] }))).toBe(false);
      expect(builtInCrmEnabled(id, parsePolicy({ builtInCrms: ['hubspot', 'zoho'] }))).toBe(true);
    }
  });

  it('every built-in adapter can be named in the policy', () => {
    for (const adapter of ADAPTERS) expect(BUILT_IN_CRM_IDS as readonly string[]).toContain(adapter.id);
  });
});

describe('public/managed_schema.json (what Chrome checks the policy against)', () => {
  type Node = { type?: string; id?: string; $ref?: string; enum?: unknown[]; properties?: Record<string, Node>; items?: Node; additionalProperties?: Node };
  const schema = JSON.parse(readFileSync(resolve(process.cwd(), 'public/managed_schema.json'), 'utf8')) as Node;
  const props = schema.properties!;

  it('names the same settings, values and CRM fields as the zod schema', () => {
    expect(schema.type).toBe('object');
    expect(Object.keys(props).sort()).toEqual(['builtInCrms', 'customCrms', 'handoffRules', 'lockedSettings', 'serverUrl', 'signInMethod', 'writeback']);
    expect(props.signInMethod!.enum).toEqual([...SIGN_IN_METHODS]);
    expect(props.builtInCrms!.items!.enum).toEqual([...BUILT_IN_CRM_IDS]);
    expect(props.lockedSettings!.items!.enum).toEqual([...LOCKABLE_SETTINGS]);
    const crm = props.customCrms!.properties!.crms!.items!.properties!;
    expect(Object.keys(crm).sort()).toEqual(Object.keys(CustomCrmConfigSchema.shape).sort());
    expect(Object.keys(crm.fields!.properties!).sort()).toEqual(Object.keys(CustomCrmConfigSchema.shape.fields.shape).sort());
    // hand-off rules: any CRM UI key, each a rule of the definition's shape
    const rule = props.handoffRules!.additionalProperties!;
    expect(Object.keys(rule.properties!).sort()).toEqual(Object.keys(HandoffRuleSchema.shape).sort());
    expect(rule.properties!.field!.enum).toEqual(HandoffRuleSchema.shape.field.options);
    // write-back: the same triggers and value sources for every CRM (one node, referenced), and the connected app
    const wb = props.writeback!.properties!;
    expect(Object.keys(wb).sort()).toEqual(['dynamics', 'hubspot', 'salesforce']);
    const on = wb.salesforce!.properties!.on!;
    expect(on.id).toBe('WritebackOn');
    expect(wb.hubspot!.properties!.on).toEqual({ $ref: 'WritebackOn' });
    expect(wb.dynamics!.properties!.on).toEqual({ $ref: 'WritebackOn' });
    expect(Object.keys(on.properties!)).toEqual([...WRITEBACK_TRIGGERS]);
    expect(on.properties!.accepted!.additionalProperties!.properties!.from!.enum).toEqual(WritebackSourceSchema.options);
    expect(Object.keys(wb.salesforce!.properties!.oauth!.properties!)).toEqual(['clientId']);
  });

  it('uses only the JSON-schema keywords Chrome accepts for extension policies', () => {
    const allowed = new Set(['type', 'properties', 'additionalProperties', 'items', 'enum', 'pattern', 'title', 'description', 'id', '$ref']);
    const ids = new Set<string>();
    const refs: string[] = [];
    const walk = (node: Node): void => {
      for (const key of Object.keys(node)) expect(allowed, key).toContain(key);
      // Chrome: each schema has a $ref or exactly one type
      expect(node.$ref === undefined ? typeof node.type : 'ref', JSON.stringify(node).slice(0, 80)).toMatch(/^(string|ref)$/);
      if (node.id) ids.add(node.id);
      if (node.$ref) refs.push(node.$ref);
      Object.values(node.properties ?? {}).forEach(walk);
      if (node.items) walk(node.items);
      if (node.additionalProperties) walk(node.additionalProperties);
    };
    walk(schema);
    for (const ref of refs) expect(ids).toContain(ref);
    expect(schema).not.toHaveProperty('additionalProperties');
  });
});

describe('hand-off rules and write-back set by policy', () => {
  const RULES = { 'salesforce-lightning': { field: 'status' as const, values: ['MQL', 'Open - Not Contacted'] } };
  const WRITEBACK = { salesforce: { on: { accepted: { Status: { value: 'Working - Contacted' } } }, oauth: { clientId: '3MVG9Example.Key' } } };

  it('takes them in the team definition’s own schemas, locks them, and refuses a wrong one with a reason', () => {
    const policy = parsePolicy({ handoffRules: RULES, writeback: WRITEBACK });
    expect(policy.handoffRules).toEqual(RULES);
    expect(policy.writeback).toEqual(WRITEBACK);
    expect([...policy.locked].sort()).toEqual(['handoffRules', 'writeback']);
    const wrong = parsePolicy({ handoffRules: { 'salesforce-lightning': { field: 'status', values: [] } }, writeback: { salesforce: { on: { accepted: { 'Bad Field': { value: 'x' } } } } } });
    expect(wrong.handoffRules).toBeUndefined();
    expect(wrong.writeback).toBeUndefined();
    expect(wrong.problems.map((p) => p.split(':')[0])).toEqual(['handoffRules', 'writeback']);
    // Chrome's schema has one type per key: numbers, booleans and a cleared field have keys of their own
    const typed = parsePolicy({
      writeback: { dynamics: { on: { accepted: { statecode: { number: 0 }, statuscode: { number: 2 } } } }, hubspot: { on: { rejected: { done: { boolean: true }, note: { clear: true } } } } },
    });
    expect(typed.writeback).toEqual({
      dynamics: { on: { accepted: { statecode: { value: 0 }, statuscode: { value: 2 } } } },
      hubspot: { on: { rejected: { done: { value: true }, note: { value: null } } } },
    });
    // locked without a value: the team's own stay, and reps cannot edit them
    expect([...parsePolicy({ lockedSettings: ['handoffRules'] }).locked]).toEqual(['handoffRules']);
  });

  it('replace the definition’s, leaving everything else of it (and the definition itself without a policy)', () => {
    const team = { ...DEFAULT_DEFINITION, version: 7, handoffRules: { hubspot: { field: 'status' as const, values: ['MQL'] } }, writeback: SALESFORCE_WRITEBACK_EXAMPLE };
    expect(definitionUnderPolicy(team, NO_POLICY)).toBe(team);
    const ruled = definitionUnderPolicy(team, parsePolicy({ handoffRules: RULES }));
    expect(ruled).toEqual({ ...team, handoffRules: RULES });
    expect(definitionUnderPolicy(team, parsePolicy({ writeback: WRITEBACK }))).toEqual({ ...team, writeback: WRITEBACK });
    // an empty set is a set: IT turns the rules off for everyone
    expect(definitionUnderPolicy(team, parsePolicy({ handoffRules: {} })).handoffRules).toEqual({});
  });

  it('the service worker applies the policy’s rule to a page read, and the team’s own again once IT removes it', async () => {
    const db = new SalDatabase(`policy-rules-${Math.random()}`);
    await writeKv(db, definitionKv, { ...DEFAULT_DEFINITION, version: 3 });
    const managed = fakeBrowser.storage.managed as unknown as { get: () => Promise<Record<string, unknown>> };
    const unmanaged = managed.get;
    forgetPolicy();
    managed.get = () => Promise.resolve({ handoffRules: RULES, writeback: WRITEBACK });
    try {
      const inForce = await definitionInForce(db);
      expect(inForce.handoffRules).toEqual(RULES);
      expect(inForce.writeback?.salesforce?.oauth?.clientId).toBe('3MVG9Example.Key');
      const handed = await applyHandoffRule(db, 'salesforce-lightning', [{ leadKey: 'salesforce:00Q5g00000AbCdEEAV', input: { status: 'Open - Not Contacted' } }], Date.parse('2026-11-30T01:00:00Z'));
      expect([...handed]).toEqual(['salesforce:00Q5g00000AbCdEEAV']);
      const [stored] = await db.events.toArray();
      // a policy rule's hand-off names the definition in force's version
      expect(stored?.event).toMatchObject({ type: 'handed_over', definitionVersion: 3, payload: { sourceKind: 'crm-rule' } });
    } finally {
      managed.get = unmanaged;
      forgetPolicy();
    }
    // the stored definition was never changed by the policy
    expect((await definitionInForce(db)).handoffRules).toBeUndefined();
    expect(await applyHandoffRule(db, 'salesforce-lightning', [{ leadKey: 'salesforce:00Q5g00000FgHiJEAV', input: { status: 'Open - Not Contacted' } }], Date.now())).toEqual(new Set());
    db.close();
  });
});
