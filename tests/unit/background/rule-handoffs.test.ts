import { describe, expect, it, vi } from 'vitest';
import { SalDatabase } from '../../../lib/db/schema';
import { writeKv } from '../../../lib/db/kv';
import { storeServerEvents } from '../../../lib/db/events-repo';
import { createLeadHandlers } from '../../../lib/background/lead-service';
import { applyHandoffRule } from '../../../lib/background/rule-handoffs';
import { definitionKv } from '../../../lib/db/reads';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { ruleHandoffId } from '../../../lib/domain/handoff-rules';
import type { VerifiedSender } from '../../../lib/background/router';
import type { PageLeadRead } from '../../../lib/crm/types';
import { handedOver, MARKETER } from '../domain/builders';

let n = 0;
const NOW = Date.parse('2026-11-24T01:00:00Z');
const leadUrl = new URL('https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view');
const listUrl = new URL('https://acme.lightning.force.com/lightning/o/Lead/list?filterName=Recent');
const pageSender: VerifiedSender = { kind: 'page', tabId: 3, url: leadUrl, frameId: 0 };
const listSender: VerifiedSender = { kind: 'page', tabId: 4, url: listUrl, frameId: 0 };
const hubspotSender: VerifiedSender = { kind: 'page', tabId: 5, url: new URL('https://app.hubspot.com/contacts/1/objects/0-1/views/all/list'), frameId: 0 };
const KEY = 'salesforce:00Q5g00000AbCdEEAV';
const OTHER = '00Q5g00000FgHiJEAV';
const read = (status: string): PageLeadRead => ({ crm: 'salesforce', recordId: '00Q5g00000AbCdE', status: 'complete', lead: { name: '山田 太郎', status }, missing: [] });

async function setup(withRule = true) {
  const db = new SalDatabase(`rule-handoffs-${n++}`);
  if (withRule) await writeKv(db, definitionKv, { ...DEFAULT_DEFINITION, version: 2, handoffRules: { 'salesforce-lightning': { field: 'status', values: ['MQL'] } } });
  const onRecorded = vi.fn();
  const handlers = createLeadHandlers({ db, now: () => NOW, languages: () => ['ja'], onRecorded });
  return { db, handlers, onRecorded };
}

describe('hand-off rules in the service worker', () => {
  it('a lead page whose read matches the rule is handed over once, by the rule, under the definition version', async () => {
    const { db, handlers, onRecorded } = await setup();
    await handlers['page.lead']({ type: 'page.lead', read: read('MQL') }, pageSender);
    await handlers['page.lead']({ type: 'page.lead', read: read('MQL') }, pageSender);
    const events = await db.events.toArray();
    expect(events).toHaveLength(1);
    expect(events[0]?.event).toMatchObject({
      id: await ruleHandoffId('local', KEY, 0),
      type: 'handed_over',
      definitionVersion: 2,
      actor: { id: 'crm-rule' },
      lead: { name: '山田 太郎', url: leadUrl.href },
      payload: { sourceKind: 'crm-rule' },
    });
    expect(await db.outbox.count()).toBe(1);
    expect(onRecorded).toHaveBeenCalledOnce();
  });

  it('does nothing without a rule, or when the read does not match', async () => {
    const bare = await setup(false);
    await bare.handlers['page.lead']({ type: 'page.lead', read: read('MQL') }, pageSender);
    expect(await bare.db.events.count()).toBe(0);
    const ruled = await setup();
    await ruled.handlers['page.lead']({ type: 'page.lead', read: read('Working - Contacted') }, pageSender);
    expect(await ruled.db.events.count()).toBe(0);
  });

  it('never hands over a lead already handed over in its cycle (by marketing, through the CSV)', async () => {
    const { db, handlers } = await setup();
    await storeServerEvents(db, [{ seq: 1, receivedAt: '2026-11-24T00:00:00.000Z', event: handedOver({ at: '2026-11-24T00:00:00Z', actor: MARKETER }, { sourceKind: 'csv' }) }], NOW);
    await handlers['page.lead']({ type: 'page.lead', read: read('MQL') }, pageSender);
    expect(await db.events.count()).toBe(1);
  });

  it('badges the list rows the rule matches pending (受領待ち) in the same answer, and says the CRM has a rule', async () => {
    const { db, handlers } = await setup();
    const reply = await handlers['page.listStatuses'](
      {
        type: 'page.listStatuses',
        crm: 'salesforce',
        recordIds: ['00Q5g00000AbCdEEAV', OTHER],
        cells: { '00Q5g00000AbCdEEAV': { 名前: '山田 太郎', リード状況: 'MQL' }, [OTHER]: { 名前: '佐藤 花子', リード状況: 'Working - Contacted' } },
      },
      listSender,
    );
    expect(reply.statuses).toEqual({ '00Q5g00000AbCdEEAV': 'pending', [OTHER]: 'untracked' });
    // the list's word for a pending lead (badge.pending), as for any hand-off
    expect(reply.labels.pending).toBe('受領待ち');
    expect(reply.rule).toBe(true);
    expect(await db.events.count()).toBe(1);
    // the record page of the same lead, read afterwards, adds nothing
    await handlers['page.lead']({ type: 'page.lead', read: read('MQL') }, pageSender);
    expect(await db.events.count()).toBe(1);
  });

  it("takes the rule of the sender's own CRM UI, never one the message names", async () => {
    const { db, handlers } = await setup();
    // a HubSpot tab naming Salesforce rows: no rule applies (the HubSpot UI has none, and the CRM differs)
    const reply = await handlers['page.listStatuses'](
      { type: 'page.listStatuses', crm: 'salesforce', recordIds: ['00Q5g00000AbCdEEAV'], cells: { '00Q5g00000AbCdEEAV': { リード状況: 'MQL' } } },
      hubspotSender,
    );
    expect(reply).toMatchObject({ statuses: { '00Q5g00000AbCdEEAV': 'untracked' }, rule: false });
    expect(await db.events.count()).toBe(0);
  });

  it('two reads of one lead at once record one event (the id is held)', async () => {
    const { db } = await setup();
    const reads = [{ leadKey: KEY, input: { status: 'MQL' } }];
    const [a, b] = await Promise.all([applyHandoffRule(db, 'salesforce-lightning', reads, NOW), applyHandoffRule(db, 'salesforce-lightning', reads, NOW + 5)]);
    expect(a.size + b.size).toBe(1);
    expect(await db.events.count()).toBe(1);
  });

  it("takes the server's copy of a rule hand-off another rep's browser stored first", async () => {
    const { db } = await setup();
    await applyHandoffRule(db, 'salesforce-lightning', [{ leadKey: KEY, input: { status: 'MQL' } }], NOW);
    const mine = (await db.events.toArray())[0]!.event;
    const theirs = { ...mine, occurredAt: '2026-11-24T00:30:00.000Z' };
    await storeServerEvents(db, [{ seq: 7, receivedAt: '2026-11-24T00:30:01.000Z', event: theirs }], NOW);
    const [stored] = await db.events.toArray();
    expect(stored).toMatchObject({ seq: 7, event: { occurredAt: '2026-11-24T00:30:00.000Z' } });
    expect(await db.outbox.count()).toBe(0);
  });
});
