import { describe, expect, it, vi } from 'vitest';
import { SalDatabase } from '../../../lib/db/schema';
import { writeKv } from '../../../lib/db/kv';
import { createLeadHandlers } from '../../../lib/background/lead-service';
import { createWritebackService } from '../../../lib/background/writeback-service';
import { definitionKv } from '../../../lib/db/reads';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { SALESFORCE_WRITEBACK_EXAMPLE } from '../../../lib/domain/writeback';
import type { VerifiedSender } from '../../../lib/background/router';
import type { PageLeadRead } from '../../../lib/crm/types';
import type { CrmWriter, WriteRequest } from '../../../lib/writeback/writer';

let n = 0;
const leadUrl = new URL('https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view');
const pageSender: VerifiedSender = { kind: 'page', tabId: 3, url: leadUrl, frameId: 0 };
const panelSender: VerifiedSender = { kind: 'extension', tabId: 3, url: new URL('chrome-extension://x/panel.html'), frameId: 5, tabUrl: leadUrl };
const otherPanel: VerifiedSender = { ...panelSender, tabId: 4 };
const read: PageLeadRead = { crm: 'salesforce', recordId: '00Q5g00000AbCdE', status: 'complete', lead: { name: '山田 太郎', company: '株式会社サクラテック' }, missing: [] };
const LEAD = 'salesforce:00Q5g00000AbCdEEAV';
const NOW = Date.parse('2026-11-30T01:00:00Z');

async function setup(writeback = true) {
  const db = new SalDatabase(`writeback-service-${n++}`);
  if (writeback) await writeKv(db, definitionKv, { ...DEFAULT_DEFINITION, writeback: SALESFORCE_WRITEBACK_EXAMPLE });
  const retried = vi.fn();
  const handlers = createLeadHandlers({ db, now: () => NOW, languages: () => ['ja'], onRecorded: () => undefined, onWritebackRetried: retried });
  await handlers['page.lead']({ type: 'page.lead', read }, pageSender);
  const accept = () => handlers['panel.record']({ type: 'panel.record', leadKey: LEAD, draft: { type: 'accepted', payload: { checklist: {} } }, ancestorOrigins: [leadUrl.origin] }, panelSender);
  return { db, handlers, accept, retried };
}

describe('write-back from the lead service', () => {
  it('a decision the team maps is queued for the CRM with the decision, from the page the rep decided on', async () => {
    const { db, accept } = await setup();
    const reply = await accept();
    expect(reply.ok).toBe(true);
    const [job] = await db.writebacks.toArray();
    expect(job).toMatchObject({
      id: reply.ok ? reply.eventId : '',
      leadKey: LEAD,
      crm: 'salesforce',
      recordId: '00Q5g00000AbCdEEAV',
      pageUrl: leadUrl.href,
      trigger: 'accepted',
      fields: { Status: 'Working - Contacted', SAL_Accepted_Date__c: '2026-11-30' },
      state: { kind: 'waiting' },
      inFlightSince: null,
    });
  });

  it('without a mapping nothing is queued, as before write-back existed', async () => {
    const { db, accept } = await setup(false);
    expect((await accept()).ok).toBe(true);
    expect(await db.events.count()).toBe(1);
    expect(await db.writebacks.count()).toBe(0);
  });

  it('the panel sees and retries only the write-backs of the lead its tab shows', async () => {
    const { db, handlers, accept, retried } = await setup();
    const reply = await accept();
    const id = reply.ok ? reply.eventId : '';
    await db.writebacks.update(id, { state: { kind: 'failed', code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'no' }, attempts: 3, nextAttemptAt: NOW + 60_000 });
    expect((await handlers['panel.writebacks']({ type: 'panel.writebacks', leadKey: LEAD }, panelSender)).writebacks).toEqual([
      { id, crm: 'salesforce', trigger: 'accepted', state: { kind: 'failed', code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'no' }, createdAt: NOW },
    ]);
    // another tab's panel learns nothing and retries nothing
    expect((await handlers['panel.writebacks']({ type: 'panel.writebacks', leadKey: LEAD }, otherPanel)).writebacks).toEqual([]);
    expect(await handlers['panel.retryWriteback']({ type: 'panel.retryWriteback', leadKey: LEAD, id }, otherPanel)).toEqual({ ok: false });
    expect(retried).not.toHaveBeenCalled();
    expect(await handlers['panel.retryWriteback']({ type: 'panel.retryWriteback', leadKey: LEAD, id }, panelSender)).toEqual({ ok: true });
    expect(retried).toHaveBeenCalledOnce();
    expect(await db.writebacks.get(id)).toMatchObject({ state: { kind: 'waiting' }, attempts: 0, nextAttemptAt: NOW });
  });

  it('the worker sends the job with the rep’s read time as the condition, and reports the change', async () => {
    const { db, accept } = await setup();
    await accept();
    const requests: WriteRequest[] = [];
    const writer: CrmWriter = { target: () => 'https://acme.my.salesforce.com', write: async (r) => (requests.push(r), { kind: 'applied' }) };
    const onChanged = vi.fn();
    const service = createWritebackService({ db, now: () => NOW + 500, random: () => 0.5, writers: { salesforce: writer, hubspot: writer, dynamics: writer }, onChanged, runExclusive: (fn) => fn() });
    const result = await service.drain();
    expect(requests).toEqual([
      { recordId: '00Q5g00000AbCdEEAV', pageUrl: leadUrl.href, fields: { Status: 'Working - Contacted', SAL_Accepted_Date__c: '2026-11-30' }, unmodifiedSince: NOW, verifyFirst: false },
    ]);
    expect([...result.reflected]).toEqual([LEAD]);
    expect(onChanged).toHaveBeenCalledOnce();
    expect((await db.writebacks.toArray())[0]?.state).toEqual({ kind: 'reflected', at: NOW + 500 });
    // nothing due: no request, no change reported
    await service.drain();
    expect(requests).toHaveLength(1);
    expect(onChanged).toHaveBeenCalledOnce();
  });
});
