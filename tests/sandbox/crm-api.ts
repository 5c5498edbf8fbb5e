import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toCaseSafeId } from '../../lib/domain/salesforce-id';
import { LIST_FILLER_COUNT, NAMED_LEADS, fillerLeads, type SandboxLead } from './leads';
import { hubSpotContactId, hubSpotLeadObjectId } from './hubspot';
import { dynamicsLeadGuid } from './dynamics';

/**
 * The sandbox CRM's write APIs, as the vendors document them (../shared/crm-pages.md, "Writing
 * back to the CRM"), on the sandbox's records, so a write-back changes what the record page shows
 * (after a reload):
 * - Salesforce REST on `<org>.my.salesforce.com`: `GET|PATCH /services/data/vNN.0/sobjects/Lead/<id>`
 *   with `Authorization: Bearer <sid>`; 204 on success; errors as `[{"message","errorCode"}]`:
 *   401 `INVALID_SESSION_ID`, a validation rule (`FIELD_CUSTOM_VALIDATION_EXCEPTION`: a lead
 *   closed as not converted needs a reject reason), a restricted picklist (Status), 403
 *   `REQUEST_LIMIT_EXCEEDED` when the org's allocation is used up, 412 on `If-Unmodified-Since`
 *   when the record changed after it. `GET /__sandbox/login?next=<url>` signs in: it sets the
 *   `sid` cookie (HttpOnly, host-only) on the my.salesforce.com host and goes on to `next`.
 * - Salesforce OAuth 2.0 on the same My Domain host, as an org with a connected app for SAL Bridge:
 *   `GET /services/oauth2/authorize` (authorization code + PKCE S256; the signed-in user has
 *   approved the app, so it redirects at once with `code` and `state`; signed out, it goes to the
 *   login page first), `POST /services/oauth2/token` (`authorization_code` with `code_verifier`,
 *   `refresh_token`; refusals `{"error":"invalid_grant","error_description"}`). With
 *   `salesforceCookieApiRefused` the org has API Access Control: a cookie session is refused by
 *   the REST API ("This session is not valid for use with the REST API"), an OAuth token is not.
 * - HubSpot on `api.hubapi.com`: `GET|PATCH /crm/v3/objects/{contacts|leads}/<id>` with a bearer
 *   token (a private app's), `{"properties":{…}}`, errors `{"status":"error","message","category"}`.
 * - Dynamics 365 on `<org>.crm7.dynamics.com`: `GET|PATCH /api/data/v9.2/leads(<guid>)` with the
 *   session cookie the app shell sets, `@odata.etag` and 412 on a stale `If-Match`.
 */

export const SALESFORCE_STATUS_VALUES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted', 'MQL'];
/** The consumer key of the sandbox org's connected app for SAL Bridge (real ones start `3MVG9`). */
export const SANDBOX_SALESFORCE_CLIENT_ID = '3MVG9SandboxSALBridge.Connected_App';
/** The message Salesforce gives a cookie session under API Access Control. */
export const SALESFORCE_SESSION_NOT_FOR_API = 'This session is not valid for use with the REST API';
/** The private-app token the sandbox's HubSpot accepts. */
export const SANDBOX_HUBSPOT_TOKEN = 'pat-na1-sandbox-0000';
/** Dynamics' session cookie (the real one is `CrmOwinAuth`). */
export const DYNAMICS_SESSION_COOKIE = 'CrmOwinAuth';

interface StoredRecord {
  fields: Record<string, string | number | boolean | null>;
  /** ms since the epoch, as the CRM stamps a change */
  modifiedAt: number;
  version: number;
}

/** HubSpot lead status values (internal name → the label the sandbox page shows). */
export const HUBSPOT_STATUS_LABELS: Record<string, string> = { NEW: '新規', OPEN: '新規', IN_PROGRESS: '進行中', CONNECTED: '接続済み', UNQUALIFIED: '見込みなし' };
/** Dynamics lead `statuscode` option values and their labels. */
export const DYNAMICS_STATUS_LABELS: Record<number, string> = { 1: '新規', 2: '連絡済み', 3: '認定済み', 4: '失注', 5: '連絡不可', 6: '関心なし', 7: 'キャンセル' };

export interface SandboxCrmApi {
  /** Salesforce records by 18-character id (`Status`, `LastModifiedDate` as `modifiedAt`, …). */
  salesforce: Map<string, StoredRecord>;
  hubspot: Map<string, StoredRecord>;
  dynamics: Map<string, StoredRecord>;
  /** Valid Salesforce session ids (the `sid` cookies given out by the login page). */
  salesforceSessions: Set<string>;
  dynamicsSessions: Set<string>;
  /** When true, every Salesforce API call is refused with REQUEST_LIMIT_EXCEEDED. */
  salesforceLimitReached: boolean;
  /** API Access Control: the REST API refuses cookie sessions (`sid`) and takes OAuth access tokens only. */
  salesforceCookieApiRefused: boolean;
  /** Salesforce OAuth state: valid access tokens, refresh tokens (→ client id), codes not yet redeemed. */
  salesforceOAuth: {
    accessTokens: Set<string>;
    refreshTokens: Map<string, string>;
    codes: Map<string, { clientId: string; redirectUri: string; challenge: string; expiresAt: number }>;
    /** Token endpoint calls by grant type (a test sees a refresh happen). */
    grants: string[];
  };
  /** The org's access tokens end (session timeout): the API refuses them, a refresh gives new ones. */
  expireSalesforceAccessTokens(): void;
  /** Successful writes so far, per CRM and record (a write applied twice shows here). */
  writes: Array<{ crm: 'salesforce' | 'hubspot' | 'dynamics'; id: string; fields: Record<string, unknown>; at: number }>;
  /** Someone else edits a record in the CRM (its modification time moves on). */
  editByOther(crm: 'salesforce' | 'hubspot' | 'dynamics', id: string, fields: Record<string, string | number | null>): void;
  /** Answers the write APIs; false when the request is not one of theirs. */
  handle(req: IncomingMessage, res: ServerResponse, host: string, url: URL): boolean;
}

const ALL = (): SandboxLead[] => [...NAMED_LEADS, ...fillerLeads(60)];
const DYNAMICS_STATUS: Record<string, number> = { 'Open - Not Contacted': 1, 'Working - Contacted': 2 };
const HUBSPOT_STATUS: Record<string, string> = { 'Open - Not Contacted': 'NEW', 'Working - Contacted': 'CONNECTED' };

export function createCrmApi(now: () => number = Date.now): SandboxCrmApi {
  const start = now() - 24 * 3600_000;
  const record = (fields: StoredRecord['fields']): StoredRecord => ({ fields, modifiedAt: start, version: 1 });
  const api: SandboxCrmApi = {
    // every lead the Lightning list shows (the benchmarks decide on its filler rows)
    salesforce: new Map(
      [...NAMED_LEADS, ...fillerLeads(LIST_FILLER_COUNT)].map((l) => [
        l.id,
        record({ Status: l.status, Company: l.company, LastName: l.lastName, SAL_Accepted_Date__c: null, SAL_Reject_Reason__c: null }),
      ]),
    ),
    hubspot: new Map(
      ALL().flatMap((l, i) => {
        const contact: [string, StoredRecord] = [`contacts/${hubSpotContactId(l)}`, record({ hs_lead_status: HUBSPOT_STATUS[l.status] ?? 'NEW', company: l.company })];
        return i < 5 ? [contact, [`leads/${hubSpotLeadObjectId(l)}`, record({ hs_lead_status: HUBSPOT_STATUS[l.status] ?? 'NEW' })] as [string, StoredRecord]] : [contact];
      }),
    ),
    dynamics: new Map(ALL().map((l) => [dynamicsLeadGuid(l).replace(/[{}]/g, '').toLowerCase(), record({ statecode: 0, statuscode: DYNAMICS_STATUS[l.status] ?? 1, companyname: l.company })])),
    salesforceSessions: new Set(),
    dynamicsSessions: new Set(),
    salesforceLimitReached: false,
    salesforceCookieApiRefused: false,
    salesforceOAuth: { accessTokens: new Set(), refreshTokens: new Map(), codes: new Map(), grants: [] },
    expireSalesforceAccessTokens() {
      api.salesforceOAuth.accessTokens.clear();
    },
    writes: [],
    editByOther(crm, id, fields) {
      const r = api[crm].get(id);
      if (!r) throw new Error(`no ${crm} record ${id}`);
      Object.assign(r.fields, fields);
      r.modifiedAt = now();
      r.version++;
    },
    handle(req, res, host, url) {
      if (host.endsWith('.my.salesforce.com')) {
        if (url.pathname === '/__sandbox/login') return salesforceLogin(api, res, url);
        if (url.pathname === '/services/oauth2/authorize' && req.method === 'GET') return salesforceAuthorize(api, req, res, host, url, now);
        if (url.pathname === '/services/oauth2/token' && req.method === 'POST') {
          void readBody(req).then((body) => salesforceToken(api, res, host, body, now));
          return true;
        }
        const m = /^\/services\/data\/v\d{2,3}\.0\/sobjects\/Lead\/([a-zA-Z0-9]{15,18})$/.exec(url.pathname);
        if (!m) return false;
        void readBody(req).then((body) => salesforceRecord(api, req, res, url, m[1]!, body, now));
        return true;
      }
      if (host === 'api.hubapi.com') {
        const m = /^\/crm\/v3\/objects\/(contacts|leads)\/(\d{1,20})$/.exec(url.pathname);
        if (!m) return false;
        void readBody(req).then((body) => hubSpotRecord(api, req, res, url, `${m[1]}/${m[2]}`, body, now));
        return true;
      }
      if (host.endsWith('.crm7.dynamics.com')) {
        const m = /^\/api\/data\/v9\.[0-2]\/leads\(([0-9a-f-]{36})\)$/.exec(url.pathname);
        if (!m) return false;
        void readBody(req).then((body) => dynamicsRecord(api, req, res, url, m[1]!, body, now));
        return true;
      }
      return false;
    },
  };
  return api;
}

/** A new Dynamics session for the app shell's Set-Cookie (the real sign-in is Entra ID's). */
export function dynamicsSessionCookie(api: SandboxCrmApi, req: IncomingMessage): string | null {
  const have = cookie(req, DYNAMICS_SESSION_COOKIE);
  if (have && api.dynamicsSessions.has(have)) return null;
  const token = randomBytes(16).toString('hex');
  api.dynamicsSessions.add(token);
  return `${DYNAMICS_SESSION_COOKIE}=${token}; Path=/; Secure; HttpOnly; SameSite=None`;
}

function salesforceLogin(api: SandboxCrmApi, res: ServerResponse, url: URL): boolean {
  const sid = `00D5g000004Sandbox!${randomBytes(24).toString('base64url')}`;
  api.salesforceSessions.add(sid);
  // only back to the sandbox org's own pages
  const next = url.searchParams.get('next') ?? '';
  const target = /^https:\/\/[a-z0-9-]+\.(lightning\.force\.com|my\.salesforce\.com)\//.test(next) ? next : '/';
  res.writeHead(302, { location: target, 'set-cookie': `sid=${sid}; Path=/; Secure; HttpOnly; SameSite=None`, 'cache-control': 'no-store' });
  res.end();
  return true;
}

/** The sandbox org's connected app accepts any extension's chromiumapp.org redirect (a real app lists the one it was set up with). */
const CALLBACK = /^https:\/\/[a-p]{32}\.chromiumapp\.org\//;

function salesforceAuthorize(api: SandboxCrmApi, req: IncomingMessage, res: ServerResponse, host: string, url: URL, now: () => number): boolean {
  const q = url.searchParams;
  const page = (status: number, text: string) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`<!doctype html><title>Salesforce</title><p>${text}</p>`);
  };
  // errors about the app or its callback are shown, never redirected (the callback is not trusted yet)
  if (q.get('client_id') !== SANDBOX_SALESFORCE_CLIENT_ID) {
    page(400, 'error=invalid_client_id: OAUTH_EC_APP_NOT_FOUND');
    return true;
  }
  const redirectUri = q.get('redirect_uri') ?? '';
  if (!CALLBACK.test(redirectUri)) {
    page(400, 'error=redirect_uri_mismatch');
    return true;
  }
  const back = (params: Record<string, string>) => {
    const target = new URL(redirectUri);
    for (const [k, v] of Object.entries({ ...params, state: q.get('state') ?? '' })) target.searchParams.set(k, v);
    res.writeHead(302, { location: target.toString(), 'cache-control': 'no-store' });
    res.end();
    return true;
  };
  if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type', error_description: 'response type not supported' });
  const challenge = q.get('code_challenge');
  if (!challenge || q.get('code_challenge_method') !== 'S256') return back({ error: 'invalid_request', error_description: 'missing required code challenge' });
  const sid = cookie(req, 'sid');
  if (!sid || !api.salesforceSessions.has(sid)) {
    res.writeHead(302, { location: `/__sandbox/login?next=${encodeURIComponent(`https://${host}${url.pathname}${url.search}`)}`, 'cache-control': 'no-store' });
    res.end();
    return true;
  }
  const code = `aPrx${randomBytes(24).toString('base64url')}`;
  api.salesforceOAuth.codes.set(code, { clientId: SANDBOX_SALESFORCE_CLIENT_ID, redirectUri, challenge, expiresAt: now() + 15 * 60_000 });
  return back({ code });
}

function salesforceToken(api: SandboxCrmApi, res: ServerResponse, host: string, body: string, now: () => number): void {
  const form = new URLSearchParams(body);
  const refuse = (error: string, description: string) => json(res, 400, { error, error_description: description });
  const grant = form.get('grant_type') ?? '';
  api.salesforceOAuth.grants.push(grant);
  if (form.get('client_id') !== SANDBOX_SALESFORCE_CLIENT_ID) return refuse('invalid_client_id', 'client identifier invalid');
  const issue = (refresh: boolean) => {
    const accessToken = `00D5g000004Sandbox!oauth.${randomBytes(24).toString('base64url')}`;
    api.salesforceOAuth.accessTokens.add(accessToken);
    const refreshToken = refresh ? `5Aep861Sandbox${randomBytes(24).toString('base64url')}` : undefined;
    if (refreshToken) api.salesforceOAuth.refreshTokens.set(refreshToken, SANDBOX_SALESFORCE_CLIENT_ID);
    json(res, 200, {
      access_token: accessToken,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      signature: randomBytes(32).toString('base64'),
      scope: 'refresh_token api',
      instance_url: `https://${host}`,
      id: `https://${host}/id/00D5g000004SandboxAAA/0055g00000RePo1AAF`,
      token_type: 'Bearer',
      issued_at: String(now()),
    });
  };
  if (grant === 'authorization_code') {
    const code = form.get('code') ?? '';
    const issued = api.salesforceOAuth.codes.get(code);
    // a code works once
    api.salesforceOAuth.codes.delete(code);
    if (!issued || issued.expiresAt < now()) return refuse('invalid_grant', 'invalid authorization code');
    if (form.get('redirect_uri') !== issued.redirectUri) return refuse('invalid_grant', 'redirect_uri must match configuration');
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== issued.challenge) return refuse('invalid_grant', 'invalid code verifier');
    return issue(true);
  }
  if (grant === 'refresh_token') {
    if (api.salesforceOAuth.refreshTokens.get(form.get('refresh_token') ?? '') !== SANDBOX_SALESFORCE_CLIENT_ID) return refuse('invalid_grant', 'expired access/refresh token');
    return issue(false);
  }
  refuse('unsupported_grant_type', 'grant type not supported');
}

function salesforceRecord(api: SandboxCrmApi, req: IncomingMessage, res: ServerResponse, url: URL, rawId: string, body: string, now: () => number): void {
  const sfError = (status: number, errorCode: string, message: string, fields: string[] = []) => json(res, status, [{ message, errorCode, fields }]);
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const cookieSession = bearer !== undefined && api.salesforceSessions.has(bearer);
  if (!bearer || (!cookieSession && !api.salesforceOAuth.accessTokens.has(bearer))) return sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
  if (cookieSession && api.salesforceCookieApiRefused) return sfError(401, 'INVALID_SESSION_ID', SALESFORCE_SESSION_NOT_FOR_API);
  if (api.salesforceLimitReached) return sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
  let id: string;
  try {
    id = toCaseSafeId(rawId);
  } catch {
    return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }
  const rec = api.salesforce.get(id);
  if (!rec) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const lastModified = new Date(rec.modifiedAt).toISOString().replace('Z', '+0000');
  if (req.method === 'GET') {
    const names = (url.searchParams.get('fields') ?? 'Status').split(',').filter(Boolean);
    return json(res, 200, { attributes: { type: 'Lead', url: url.pathname }, Id: id, LastModifiedDate: lastModified, ...Object.fromEntries(names.map((n) => [n, rec.fields[n] ?? null])) });
  }
  if (req.method !== 'PATCH') return sfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${req.method ?? ''}' not allowed. Allowed are GET,PATCH`);
  const since = Date.parse(String(req.headers['if-unmodified-since'] ?? ''));
  // LastModifiedDate is kept to the second, as HTTP dates are
  if (Number.isFinite(since) && Math.floor(rec.modifiedAt / 1000) * 1000 > since) {
    return sfError(412, 'PRECONDITION_FAILED', `The requested Resource was modified since ${new Date(since).toUTCString()}`);
  }
  let fields: Record<string, string | number | boolean | null>;
  try {
    fields = JSON.parse(body) as typeof fields;
  } catch {
    return sfError(400, 'JSON_PARSER_ERROR', 'Unexpected character in the request body');
  }
  for (const name of Object.keys(fields)) if (!(name in rec.fields)) return sfError(400, 'INVALID_FIELD', `No such column '${name}' on sobject of type Lead`);
  if ('Status' in fields && !SALESFORCE_STATUS_VALUES.includes(String(fields.Status))) {
    return sfError(400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `Lead Status: bad value for restricted picklist field: ${String(fields.Status)}`, ['Status']);
  }
  const next = { ...rec.fields, ...fields };
  // the sandbox org's validation rule (as admins write them): a lead closed unconverted says why
  if (next.Status === 'Closed - Not Converted' && !next.SAL_Reject_Reason__c) {
    return sfError(400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', '「Closed - Not Converted」にするには却下理由 (SAL_Reject_Reason__c) を入力してください。');
  }
  rec.fields = next;
  rec.modifiedAt = now();
  rec.version++;
  api.writes.push({ crm: 'salesforce', id, fields, at: rec.modifiedAt });
  res.writeHead(204, { 'sforce-limit-info': `api-usage=${api.writes.length}/15000` });
  res.end();
}

function hubSpotRecord(api: SandboxCrmApi, req: IncomingMessage, res: ServerResponse, url: URL, key: string, body: string, now: () => number): void {
  const hsError = (status: number, category: string, message: string) => json(res, status, { status: 'error', message, correlationId: randomBytes(8).toString('hex'), category });
  if (req.headers.authorization !== `Bearer ${SANDBOX_HUBSPOT_TOKEN}`) return hsError(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found.');
  const rec = api.hubspot.get(key);
  if (!rec) return hsError(404, 'OBJECT_NOT_FOUND', 'resource not found');
  const id = key.split('/')[1]!;
  if (req.method === 'GET') {
    const names = (url.searchParams.get('properties') ?? '').split(',').filter(Boolean);
    const properties = { hs_object_id: id, hs_lastmodifieddate: new Date(rec.modifiedAt).toISOString(), ...Object.fromEntries(names.filter((n) => n in rec.fields).map((n) => [n, rec.fields[n]])) };
    return json(res, 200, { id, properties, archived: false });
  }
  if (req.method !== 'PATCH') return hsError(405, 'METHOD_NOT_ALLOWED', 'method not allowed');
  let properties: Record<string, string | number | null>;
  try {
    properties = (JSON.parse(body) as { properties: typeof properties }).properties;
  } catch {
    return hsError(400, 'VALIDATION_ERROR', 'Invalid input JSON');
  }
  if ('hs_lead_status' in properties && !(String(properties.hs_lead_status) in HUBSPOT_STATUS_LABELS)) {
    return hsError(400, 'VALIDATION_ERROR', `Property values were not valid: "${String(properties.hs_lead_status)}" was not one of the allowed options`);
  }
  Object.assign(rec.fields, properties);
  rec.modifiedAt = now();
  rec.version++;
  api.writes.push({ crm: 'hubspot', id: key, fields: properties, at: rec.modifiedAt });
  json(res, 200, { id, properties: { ...rec.fields, hs_lastmodifieddate: new Date(rec.modifiedAt).toISOString() } });
}

function dynamicsRecord(api: SandboxCrmApi, req: IncomingMessage, res: ServerResponse, url: URL, guid: string, body: string, now: () => number): void {
  const dynError = (status: number, code: string, message: string) => json(res, status, { error: { code, message } });
  const session = cookie(req, DYNAMICS_SESSION_COOKIE);
  if (!session || !api.dynamicsSessions.has(session)) return dynError(401, '0x80072020', 'The user is not authenticated.');
  const rec = api.dynamics.get(guid);
  if (!rec) return dynError(404, '0x80040217', `lead With Id = ${guid} Does Not Exist`);
  const etag = `W/"${rec.version}"`;
  if (req.method === 'GET') {
    const names = (url.searchParams.get('$select') ?? '').split(',').filter(Boolean);
    return json(res, 200, {
      '@odata.etag': etag,
      leadid: guid,
      modifiedon: new Date(rec.modifiedAt).toISOString(),
      ...Object.fromEntries(names.filter((n) => n in rec.fields).map((n) => [n, rec.fields[n]])),
    });
  }
  if (req.method !== 'PATCH') return dynError(405, '0x8006088a', 'method not allowed');
  const ifMatch = req.headers['if-match'];
  if (ifMatch && ifMatch !== '*' && ifMatch !== etag) return dynError(412, '0x80060882', "The version of the existing record doesn't match the RowVersion property provided.");
  let fields: Record<string, number | string | null>;
  try {
    fields = JSON.parse(body) as typeof fields;
  } catch {
    return dynError(400, '0x80060888', 'Invalid JSON');
  }
  if ('statuscode' in fields && !(Number(fields.statuscode) in DYNAMICS_STATUS_LABELS)) return dynError(400, '0x80040203', `Invalid status code ${String(fields.statuscode)}`);
  Object.assign(rec.fields, fields);
  rec.modifiedAt = now();
  rec.version++;
  api.writes.push({ crm: 'dynamics', id: guid, fields, at: rec.modifiedAt });
  res.writeHead(204, { 'odata-version': '4.0' });
  res.end();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
