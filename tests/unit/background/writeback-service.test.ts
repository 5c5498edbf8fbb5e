import { describe, expect, it, vi } from 'vitest';
import { SalDatabase } from '../../../lib/db/schema';
import { writeKv } from '../../../lib/db/kv';
import { createLeadHandlers } from '../../../lib/background/lead-service';
import { createSalesforceConnectHandlers, createWritebackService } from '../../../lib/background/writeback-service';
import { readKv } from '../../../lib/db/kv';
import { salesforceOAuthKv } from '../../../lib/writeback/salesforce-oauth';
import { SALESFORCE_CONNECT_REQUIRED } from '../../../lib/writeback/writer';
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

describe('connecting a Salesforce org from the options page', () => {
  const optionsPage: VerifiedSender = { kind: 'extension', tabId: 9, url: new URL('chrome-extension://x/options.html'), frameId: 0, tabUrl: null };
  const REDIRECT = 'https://ecedhdaembmmekajpokfnlphejicnojd.chromiumapp.org/';

  async function connectSetup(clientId: string | null) {
    const { db, accept } = await setup();
    await writeKv(db, definitionKv, {
      ...DEFAULT_DEFINITION,
      writeback: { ...SALESFORCE_WRITEBACK_EXAMPLE, salesforce: { ...SALESFORCE_WRITEBACK_EXAMPLE.salesforce!, ...(clientId ? { oauth: { clientId } } : {}) } },
    });
    const reply = await accept();
    const id = reply.ok ? reply.eventId : '';
    await db.writebacks.update(id, { state: { kind: 'sign_in', message: SALESFORCE_CONNECT_REQUIRED } });
    const drain = vi.fn(async () => ({ changed: new Set<string>(), reflected: new Set<string>() }));
    const launched: string[] = [];
    // the org's token endpoint: answers the code exchange (the sandbox's flow is tested in tests/unit/writeback/salesforce-oauth.test.ts)
    const fetchFn = vi.fn(async () => new Response(JSON.stringify({ access_token: '00Dx!token', refresh_token: '5Aep861x', instance_url: 'https://acme.my.salesforce.com' }), { status: 200 }));
    const handlers = createSalesforceConnectHandlers({
      db,
      now: () => NOW,
      fetch: fetchFn as unknown as typeof fetch,
      redirectUri: () => REDIRECT,
      launch: async (url) => {
        launched.push(url);
        return `${REDIRECT}?code=aPrx1&state=${new URL(url).searchParams.get('state')}`;
      },
      service: { drain },
    });
    return { db, handlers, drain, launched };
  }

  it('lists the team’s app, the callback URL and the org waiting; connects it, keeps the token in the worker and retries at once', async () => {
    const { db, handlers, drain, launched } = await connectSetup('3MVG9Team.App');
    expect(await handlers['app.salesforceConnections']({ type: 'app.salesforceConnections' }, optionsPage)).toEqual({
      clientId: '3MVG9Team.App',
      byPolicy: false,
      redirectUri: REDIRECT,
      connected: [],
      waiting: ['https://acme.my.salesforce.com'],
    });
    const reply = await handlers['app.salesforceConnect']({ type: 'app.salesforceConnect', org: 'https://acme.my.salesforce.com' }, optionsPage);
    expect(reply).toEqual({ ok: true, origin: 'https://acme.my.salesforce.com' });
    expect(new URL(launched[0]!).origin).toBe('https://acme.my.salesforce.com');
    expect(drain).toHaveBeenCalledWith({ signedIn: ['salesforce'] });
    expect((await readKv(db, salesforceOAuthKv))['https://acme.my.salesforce.com']?.accessToken).toBe('00Dx!token');
    const info = await handlers['app.salesforceConnections']({ type: 'app.salesforceConnections' }, optionsPage);
    expect(info.connected).toEqual([{ origin: 'https://acme.my.salesforce.com', connectedAt: NOW }]);
    expect(JSON.stringify(info)).not.toContain('00Dx!token');
    expect(await handlers['app.salesforceDisconnect']({ type: 'app.salesforceDisconnect', org: 'https://acme.lightning.force.com/' }, optionsPage)).toEqual({ ok: true });
    expect(await readKv(db, salesforceOAuthKv)).toEqual({});
  });

  it('only the options page may open the sign-in window; without a connected app nothing is launched', async () => {
    const { handlers, launched, drain } = await connectSetup('3MVG9Team.App');
    expect(await handlers['app.salesforceConnect']({ type: 'app.salesforceConnect', org: 'https://acme.my.salesforce.com' }, panelSender)).toMatchObject({ ok: false, error: 'forbidden' });
    expect(await handlers['app.salesforceDisconnect']({ type: 'app.salesforceDisconnect', org: 'https://acme.my.salesforce.com' }, panelSender)).toEqual({ ok: false });
    expect(launched).toEqual([]);
    const none = await connectSetup(null);
    expect(await none.handlers['app.salesforceConnect']({ type: 'app.salesforceConnect', org: 'https://acme.my.salesforce.com' }, optionsPage)).toMatchObject({ ok: false, error: 'not_configured' });
    expect(none.launched).toEqual([]);
    expect(drain).not.toHaveBeenCalled();
  });
});
