import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { SalDatabase } from '../../../lib/db/schema';
import { readKv, writeKv } from '../../../lib/db/kv';
import { definitionKv } from '../../../lib/db/reads';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { definitionInForce, forgetPolicy, interactivePolicy, lastPolicyKv, onPolicyLearned, policyInForce, warmPolicy } from '../../../lib/settings/policy-definition';
import { applyHandoffRule } from '../../../lib/background/rule-handoffs';
import { NO_POLICY, parsePolicy } from '../../../lib/settings/policy';

/**
 * The policy in the first seconds after a browser starts: Chromium answers `storage.managed` only
 * once its policy service has loaded (about 2 s), and the first CRM pages of the day are read
 * in those seconds. Here the managed storage answers only when the test says so.
 */

const RULES = { 'salesforce-lightning': { field: 'status', values: ['Open - Not Contacted'] } };
const LEAD = 'salesforce:00Q5g00000AbCdEEAV';
const READ_AT = Date.parse('2026-11-30T00:00:05Z');

const managed = fakeBrowser.storage.managed as unknown as { get: () => Promise<Record<string, unknown>> };
const unmanaged = managed.get;

/** Chromium's policy service, not loaded yet: `get` answers when `load` is called. */
function slowPolicyService(value: Record<string, unknown>): { load(): void; asked: () => number } {
  const waiting: Array<(v: Record<string, unknown>) => void> = [];
  managed.get = () => new Promise((resolve) => waiting.push(resolve));
  return {
    load() {
      managed.get = () => Promise.resolve(value);
      for (const resolve of waiting.splice(0)) resolve(value);
    },
    asked: () => waiting.length,
  };
}

/** Counts the timers of the first-start wait (150 ms) started from now on: timing them would be a timed assertion on a shared machine. */
function firstWaits(): () => number {
  const spy = vi.spyOn(globalThis, 'setTimeout');
  const from = spy.mock.calls.length;
  return () => spy.mock.calls.slice(from).filter(([, ms]) => ms === 150).length;
}

async function freshDb(): Promise<SalDatabase> {
  const db = new SalDatabase(`policy-start-${Math.random()}`);
  await writeKv(db, definitionKv, { ...DEFAULT_DEFINITION, version: 4 });
  return db;
}

afterEach(() => {
  vi.restoreAllMocks();
  managed.get = unmanaged;
  forgetPolicy();
  vi.useRealTimers();
});

describe('the policy before Chromium answers', () => {
  it('a browser with a remembered policy applies it at once, without waiting, and learns the real one when Chromium answers', async () => {
    const db = await freshDb();
    await writeKv(db, lastPolicyKv, { handoffRules: RULES });
    forgetPolicy();
    const service = slowPolicyService({ handoffRules: RULES, lockedSettings: ['language'] });
    const learned: Array<[unknown, unknown]> = [];
    const stop = onPolicyLearned((policy, before) => learned.push([[...policy.locked], [...before.locked]]));
    try {
      const waits = firstWaits();
      const view = await interactivePolicy(db);
      // the answer did not wait for Chromium: no first-start wait was even started
      expect(waits()).toBe(0);
      expect(view.known).toBe(false);
      expect(view.policy.handoffRules).toEqual(RULES);
      expect((await definitionInForce(db)).handoffRules).toEqual(RULES);
      expect(service.asked()).toBeGreaterThan(0);

      service.load();
      await vi.waitFor(async () => expect((await interactivePolicy(db)).known).toBe(true));
      expect([...(await interactivePolicy(db)).policy.locked].sort()).toEqual(['handoffRules', 'language']);
      // learners heard it once, with what reads had used before (the remembered policy)
      expect(learned).toEqual([[['handoffRules', 'language'], ['handoffRules']]]);
      // and it is remembered for the next start, as Chromium gave it
      await vi.waitFor(async () => expect(await readKv(db, lastPolicyKv)).toEqual({ handoffRules: RULES, lockedSettings: ['language'] }));
    } finally {
      stop();
      db.close();
    }
  });

  it('a browser that never had one waits for Chromium once (150 ms), then goes on with none until it answers', async () => {
    const db = await freshDb();
    forgetPolicy();
    const service = slowPolicyService({});
    try {
      const waits = firstWaits();
      expect(await interactivePolicy(db)).toEqual({ policy: NO_POLICY, known: false });
      expect(waits()).toBe(1);
      expect(await interactivePolicy(db)).toEqual({ policy: NO_POLICY, known: false });
      // once per worker: the second read goes on at once
      expect(waits()).toBe(1);
      service.load();
      await vi.waitFor(async () => expect(await interactivePolicy(db)).toEqual({ policy: NO_POLICY, known: true }));
      // an empty managed storage is remembered too: the next start applies "no policy" at once
      await vi.waitFor(async () => expect(await readKv(db, lastPolicyKv)).toEqual({}));
    } finally {
      db.close();
    }
  });

  it('a policy Chromium gives within the first wait is used for that very read', async () => {
    const db = await freshDb();
    forgetPolicy();
    const service = slowPolicyService({ handoffRules: RULES });
    try {
      setTimeout(() => service.load(), 20);
      const view = await interactivePolicy(db);
      expect(view.known).toBe(true);
      expect(view.policy.handoffRules).toEqual(RULES);
    } finally {
      db.close();
    }
  });

  it('a page read before Chromium answers is handed over by the policy’s rule when it does, at the time it was read', async () => {
    const db = await freshDb();
    await writeKv(db, lastPolicyKv, {});
    forgetPolicy();
    const service = slowPolicyService({ handoffRules: RULES });
    const late = vi.fn();
    try {
      // judged under the remembered policy (none) and the team's definition (no rule): nothing yet
      const now = await applyHandoffRule(db, 'salesforce-lightning', [{ leadKey: LEAD, input: { status: 'Open - Not Contacted' } }], READ_AT, late);
      expect(now).toEqual(new Set());
      expect(await db.events.count()).toBe(0);

      service.load();
      await vi.waitFor(() => expect(late).toHaveBeenCalledWith(new Set([LEAD])));
      const [stored] = await db.events.toArray();
      expect(stored?.event).toMatchObject({ type: 'handed_over', leadKey: LEAD, occurredAt: new Date(READ_AT).toISOString(), definitionVersion: 4, payload: { sourceKind: 'crm-rule' } });
      expect(late).toHaveBeenCalledTimes(1);
    } finally {
      db.close();
    }
  });

  it('reads judged under the rules Chromium then confirms are not judged again', async () => {
    const db = await freshDb();
    await writeKv(db, lastPolicyKv, { handoffRules: RULES });
    forgetPolicy();
    const service = slowPolicyService({ handoffRules: RULES });
    const late = vi.fn();
    try {
      const now = await applyHandoffRule(db, 'salesforce-lightning', [{ leadKey: LEAD, input: { status: 'Open - Not Contacted' } }], READ_AT, late);
      expect(now).toEqual(new Set([LEAD]));
      const learned = new Promise((resolve) => onPolicyLearned(resolve));
      service.load();
      await learned;
      // give a second judgement the time it would take, then check there was none
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(late).not.toHaveBeenCalled();
      expect(await db.events.count()).toBe(1);
    } finally {
      db.close();
    }
  });

  it('a corrupt remembered policy reads as none, and the options page’s view still waits for Chromium', async () => {
    const db = await freshDb();
    await db.kv.put({ key: lastPolicyKv.key, value: 'not a policy' });
    forgetPolicy();
    const service = slowPolicyService({ serverUrl: 'https://sal.example.co.jp' });
    try {
      setTimeout(() => service.load(), 30);
      warmPolicy(db);
      const policy = await policyInForce(db);
      expect(policy.serverUrl).toBe('https://sal.example.co.jp');
      expect(policy).toEqual(parsePolicy({ serverUrl: 'https://sal.example.co.jp' }));
    } finally {
      db.close();
    }
  });
});
