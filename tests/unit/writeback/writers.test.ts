import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { SANDBOX_HUBSPOT_TOKEN } from '../../sandbox/crm-api';
import { NAMED_LEADS } from '../../sandbox/leads';
import { hubSpotContactId } from '../../sandbox/hubspot';
import { dynamicsLeadGuid } from '../../sandbox/dynamics';
import { classifySalesforce, createSalesforceWriter, salesforceApiOrigin } from '../../../lib/writeback/salesforce';
import { classifyHubSpot, createHubSpotWriter, hubSpotObject } from '../../../lib/writeback/hubspot';
import { classifyDynamics, createDynamicsWriter, type PageFetch } from '../../../lib/writeback/dynamics';
import { sameCrmValue, type WriteRequest } from '../../../lib/writeback/writer';
import { sandboxFetch } from './sandbox-fetch';

const NOW = Date.parse('2026-11-30T03:00:00Z');

describe('classifying the CRMs’ answers', () => {
  it('Salesforce: session, limit, conflict, refusals with the CRM’s message, retries', () => {
    const err = (errorCode: string, message = 'm') => JSON.stringify([{ message, errorCode, fields: [] }]);
    expect(classifySalesforce(204, '', null, NOW)).toEqual({ kind: 'applied' });
    expect(classifySalesforce(401, err('INVALID_SESSION_ID', 'Session expired or invalid'), null, NOW)).toEqual({ kind: 'sign_in', message: 'Session expired or invalid' });
    // an org refusing cookie sessions for the API says so with the same code: the rep is asked, and reads the CRM's words
    expect(classifySalesforce(401, err('INVALID_SESSION_ID', 'This session is not valid for use with the REST API'), null, NOW).kind).toBe('sign_in');
    expect(classifySalesforce(403, err('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), null, NOW)).toMatchObject({ kind: 'limit', message: 'TotalRequests Limit exceeded.' });
    expect(classifySalesforce(412, err('PRECONDITION_FAILED'), null, NOW).kind).toBe('conflict');
    for (const code of ['INSUFFICIENT_ACCESS_OR_READONLY', 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'API_DISABLED_FOR_ORG', 'ENTITY_IS_DELETED']) {
      expect(classifySalesforce(400, err(code, `says ${code}`), null, NOW)).toEqual({ kind: 'refused', code, message: `says ${code}` });
    }
    expect(classifySalesforce(503, '<html>maintenance</html>', '120', NOW)).toEqual({ kind: 'transient', message: 'HTTP 503', retryAfterMs: 120_000 });
    // a proxy's page on a 4xx is not the CRM's word: retried, never shown as a refusal
    expect(classifySalesforce(404, '<html>not found</html>', null, NOW).kind).toBe('transient');
  });

  it('HubSpot and Dynamics', () => {
    expect(classifyHubSpot(401, JSON.stringify({ status: 'error', message: 'expired', category: 'EXPIRED_AUTHENTICATION' }), null, NOW).kind).toBe('sign_in');
    expect(classifyHubSpot(400, JSON.stringify({ status: 'error', message: 'bad option', category: 'VALIDATION_ERROR' }), null, NOW)).toEqual({
      kind: 'refused',
      code: 'VALIDATION_ERROR',
      message: 'bad option',
    });
    expect(classifyHubSpot(429, JSON.stringify({ status: 'error', message: 'daily', policyName: 'DAILY' }), null, NOW).kind).toBe('limit');
    expect(classifyHubSpot(429, JSON.stringify({ status: 'error', message: 'burst', policyName: 'TEN_SECONDLY_ROLLING' }), null, NOW)).toMatchObject({ kind: 'transient', retryAfterMs: 10_000 });
    expect(classifyDynamics(412, JSON.stringify({ error: { code: '0x80060882', message: 'version' } }), null, NOW).kind).toBe('conflict');
    expect(classifyDynamics(429, '{}', '30', NOW)).toMatchObject({ kind: 'limit', retryAfterMs: 30_000 });
    expect(classifyDynamics(400, JSON.stringify({ error: { code: '0x80040203', message: 'Invalid status' } }), null, NOW)).toEqual({ kind: 'refused', code: '0x80040203', message: 'Invalid status' });
  });

  it('finds the org’s API host and the HubSpot object; compares values as the CRM returns them', () => {
    expect(salesforceApiOrigin('https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view')).toBe('https://acme.my.salesforce.com');
    expect(salesforceApiOrigin('https://acme--dev.sandbox.lightning.force.com/lightning/r/Lead/x/view')).toBe('https://acme--dev.sandbox.my.salesforce.com');
    expect(salesforceApiOrigin('https://acme.my.salesforce.com/00Q5g00000AbCdE')).toBe('https://acme.my.salesforce.com');
    expect(salesforceApiOrigin('https://evil.example/lightning.force.com')).toBeNull();
    expect(salesforceApiOrigin('http://acme.lightning.force.com/')).toBeNull();
    expect(hubSpotObject('0-136:31000101')).toEqual({ objectType: 'leads', id: '31000101' });
    expect(hubSpotObject('75120001')).toEqual({ objectType: 'contacts', id: '75120001' });
    expect(sameCrmValue('2026-12-01T01:00:00.000+0000', '2026-12-01T01:00:00.000Z')).toBe(true);
    expect(sameCrmValue('', null)).toBe(true);
    expect(sameCrmValue(2, 2)).toBe(true);
    expect(sameCrmValue('Working - Contacted', 'Closed - Not Converted')).toBe(false);
  });
});

describe('the writers against the sandbox CRM’s APIs', () => {
  let sandbox: Sandbox;
  let fetchFn: typeof fetch;
  const lead = NAMED_LEADS[0]!;
  beforeAll(async () => {
    sandbox = await startSandbox();
    fetchFn = sandboxFetch(sandbox);
  });
  afterAll(() => sandbox.close());

  const signIn = async () => {
    const res = await fetchFn(sandbox.url('acme.my.salesforce.com', `/__sandbox/login?next=${encodeURIComponent(sandbox.url('acme.lightning.force.com', '/'))}`));
    return /sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? null;
  };
  const sfRequest = (fields: WriteRequest['fields'], o: Partial<WriteRequest> = {}): WriteRequest => ({
    recordId: lead.id,
    pageUrl: `https://acme.lightning.force.com/lightning/r/Lead/${lead.id15}/view`,
    fields,
    unmodifiedSince: Date.now(),
    verifyFirst: false,
    ...o,
  });

  it('Salesforce: the rep’s session writes the Lead (204); the record page then shows it', async () => {
    const sid = await signIn();
    expect(sid).toMatch(/^00D/);
    const writer = createSalesforceWriter({ fetch: fetchFn, now: Date.now, sessionId: async (origin) => (origin === 'https://acme.my.salesforce.com' ? sid : null) });
    expect(await writer.write(sfRequest({ Status: 'Working - Contacted', SAL_Accepted_Date__c: '2026-11-30' }))).toEqual({ kind: 'applied' });
    expect(sandbox.crm.salesforce.get(lead.id)?.fields).toMatchObject({ Status: 'Working - Contacted', SAL_Accepted_Date__c: '2026-11-30' });
    const page = await (await fetchFn(sandbox.url('acme.lightning.force.com', `/lightning/r/Lead/${lead.id15}/view`))).text();
    expect(page).toContain(`"id":"${lead.id}"`);
    expect(page).toMatch(new RegExp(`"id":"${lead.id}"[^}]*"status":"Working - Contacted"`));
  });

  it('Salesforce: expired session, validation rule, restricted picklist, a record changed meanwhile, the org’s limit', async () => {
    const sid = await signIn();
    const writer = createSalesforceWriter({ fetch: fetchFn, now: Date.now, sessionId: async () => sid });
    expect(await createSalesforceWriter({ fetch: fetchFn, now: Date.now, sessionId: async () => 'stale' }).write(sfRequest({ Status: 'MQL' }))).toEqual({
      kind: 'sign_in',
      message: 'Session expired or invalid',
    });
    expect(await createSalesforceWriter({ fetch: fetchFn, now: Date.now, sessionId: async () => null }).write(sfRequest({ Status: 'MQL' }))).toMatchObject({ kind: 'sign_in' });
    const refused = await writer.write(sfRequest({ Status: 'Closed - Not Converted' }));
    expect(refused).toMatchObject({ kind: 'refused', code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' });
    expect(refused.kind === 'refused' && refused.message).toContain('却下理由');
    expect(await writer.write(sfRequest({ Status: 'Maybe later' }))).toMatchObject({ kind: 'refused', code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' });
    const readAt = Date.now() - 5_000;
    sandbox.crm.editByOther('salesforce', lead.id, { Status: 'MQL' });
    expect(await writer.write(sfRequest({ Status: 'Working - Contacted' }, { unmodifiedSince: readAt }))).toMatchObject({ kind: 'conflict' });
    expect(sandbox.crm.salesforce.get(lead.id)?.fields.Status).toBe('MQL');
    sandbox.crm.salesforceLimitReached = true;
    expect(await writer.write(sfRequest({ Status: 'Working - Contacted' }))).toMatchObject({ kind: 'limit' });
    sandbox.crm.salesforceLimitReached = false;
  });

  it('Salesforce: a try the worker lost track of is checked, not written again', async () => {
    const sid = await signIn();
    const writer = createSalesforceWriter({ fetch: fetchFn, now: Date.now, sessionId: async () => sid });
    const before = Date.now() - 1000;
    expect(await writer.write(sfRequest({ Status: 'Working - Contacted' }, { unmodifiedSince: Date.now() + 1000 }))).toEqual({ kind: 'applied' });
    const writes = sandbox.crm.writes.length;
    // the same write again, as a restarted worker would: already there, so no second PATCH (and no false conflict)
    expect(await writer.write(sfRequest({ Status: 'Working - Contacted' }, { unmodifiedSince: before, verifyFirst: true }))).toEqual({ kind: 'applied' });
    expect(sandbox.crm.writes.length).toBe(writes);
  });

  it('HubSpot: the stored token writes the contact; a wrong token asks for a new one; a newer change is a conflict', async () => {
    const id = hubSpotContactId(lead);
    const writer = createHubSpotWriter({ fetch: fetchFn, now: Date.now, token: async () => SANDBOX_HUBSPOT_TOKEN });
    const req = { recordId: id, pageUrl: 'https://app.hubspot.com/contacts/44556677/record/0-1/' + id, fields: { hs_lead_status: 'IN_PROGRESS' }, unmodifiedSince: Date.now(), verifyFirst: false };
    expect(await writer.write(req)).toEqual({ kind: 'applied' });
    expect(sandbox.crm.hubspot.get(`contacts/${id}`)?.fields.hs_lead_status).toBe('IN_PROGRESS');
    expect(await createHubSpotWriter({ fetch: fetchFn, now: Date.now, token: async () => 'pat-wrong' }).write(req)).toMatchObject({ kind: 'sign_in' });
    // read after our own write: no conflict, HubSpot's own refusal of an unknown option
    expect(await writer.write({ ...req, unmodifiedSince: Date.now() + 1, fields: { hs_lead_status: 'LATER' } })).toMatchObject({ kind: 'refused', code: 'VALIDATION_ERROR' });
    sandbox.crm.editByOther('hubspot', `contacts/${id}`, { hs_lead_status: 'NEW' });
    expect(await writer.write({ ...req, unmodifiedSince: Date.now() - 60_000 })).toMatchObject({ kind: 'conflict' });
  });

  it('Dynamics: the page’s session writes the lead, with the etag it read', async () => {
    const guid = dynamicsLeadGuid(lead).replace(/[{}]/g, '').toLowerCase();
    const shell = await fetchFn(sandbox.url('acme.crm7.dynamics.com', '/main.aspx'));
    const session = (shell.headers.get('set-cookie') ?? '').split(';')[0]!;
    // stands in for the tab: same origin, the browser's cookie
    const pageFetch: PageFetch = async (origin, r) => {
      const res = await fetchFn(origin + r.path, { method: r.method, headers: { ...r.headers, cookie: session }, body: r.body });
      return { status: res.status, body: await res.text(), retryAfter: res.headers.get('retry-after') };
    };
    const writer = createDynamicsWriter({ pageFetch, now: Date.now });
    const req = { recordId: guid, pageUrl: 'https://acme.crm7.dynamics.com/main.aspx?etn=lead&id=' + guid, fields: { statecode: 0, statuscode: 2 }, unmodifiedSince: Date.now(), verifyFirst: false };
    expect(await writer.write(req)).toEqual({ kind: 'applied' });
    const page = await (await fetchFn(sandbox.url('acme.crm7.dynamics.com', '/main.aspx'), { headers: { cookie: session } })).text();
    expect(page).toMatch(new RegExp(`"id":"${guid}"[^}]*"statuscode":"連絡済み"`));
    expect(await createDynamicsWriter({ pageFetch: async () => null, now: Date.now }).write(req)).toMatchObject({ kind: 'transient', message: 'crm_tab_closed' });
    const noSession: PageFetch = async (origin, r) => {
      const res = await fetchFn(origin + r.path, { method: r.method, headers: r.headers, body: r.body });
      return { status: res.status, body: await res.text(), retryAfter: null };
    };
    expect(await createDynamicsWriter({ pageFetch: noSession, now: Date.now }).write(req)).toMatchObject({ kind: 'sign_in' });
    sandbox.crm.editByOther('dynamics', guid, { statuscode: 1 });
    expect(await writer.write({ ...req, unmodifiedSince: Date.now() - 60_000 })).toMatchObject({ kind: 'conflict' });
  });
});
