import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { SALESFORCE_SESSION_NOT_FOR_API, SANDBOX_SALESFORCE_CLIENT_ID } from '../../sandbox/crm-api';
import { NAMED_LEADS } from '../../sandbox/leads';
import { SalDatabase } from '../../../lib/db/schema';
import { readKv } from '../../../lib/db/kv';
import { createSalesforceWriter } from '../../../lib/writeback/salesforce';
import { connectSalesforce, createSalesforceOAuthTokens, disconnectSalesforce, salesforceAuthorization, salesforceConnections, salesforceOAuthKv } from '../../../lib/writeback/salesforce-oauth';
import { SALESFORCE_CONNECT_REQUIRED, type WriteRequest } from '../../../lib/writeback/writer';
import { sandboxFetch } from './sandbox-fetch';

const ORG = 'https://acme.my.salesforce.com';
const PAGE = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view';
/** What chrome.identity.getRedirectURL() gives SAL Bridge's fixed id. */
const REDIRECT = 'https://ecedhdaembmmekajpokfnlphejicnojd.chromiumapp.org/';

let n = 0;

describe('Salesforce OAuth 2.0 (authorization code + PKCE) against the sandbox org', () => {
  let sandbox: Sandbox;
  let fetchFn: typeof fetch;
  let db: SalDatabase;
  const lead = NAMED_LEADS[2]!;
  beforeAll(async () => {
    sandbox = await startSandbox();
    fetchFn = sandboxFetch(sandbox);
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    db = new SalDatabase(`salesforce-oauth-${n++}`);
    sandbox.crm.salesforceCookieApiRefused = false;
  });

  /** The rep's UI session on the org (the browser has it when launchWebAuthFlow opens the org's page). */
  const uiSession = async () => {
    const res = await fetchFn(`${ORG}/__sandbox/login?next=${encodeURIComponent(`${ORG}/`)}`);
    return /sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
  };
  /**
   * launchWebAuthFlow as far as a test can take it: the browser opens the authorization URL with
   * the rep's org cookies and follows the org's redirects until one goes to the chromiumapp.org
   * redirect URI, which it hands back (headless Chromium shows no window to complete it in).
   */
  const launchWith = (sid: string | null) => async (url: string) => {
    let next = url;
    for (let hop = 0; hop < 5; hop++) {
      if (next.startsWith(REDIRECT)) return next;
      const res = await fetchFn(next, { headers: sid ? { cookie: `sid=${sid}` } : {} });
      const location = res.headers.get('location');
      if (!location) throw new Error(`the org answered HTTP ${res.status}: ${await res.text()}`);
      next = new URL(location, next).toString();
    }
    throw new Error('too many redirects');
  };
  const request = (fields: WriteRequest['fields']): WriteRequest => ({
    recordId: lead.id,
    pageUrl: `https://acme.lightning.force.com/lightning/r/Lead/${lead.id15}/view`,
    fields,
    unmodifiedSince: Date.now() + 1000,
    verifyFirst: false,
  });

  it('asks the org’s My Domain for a code with PKCE S256, the extension’s redirect and the API scopes', async () => {
    const auth = await salesforceAuthorization(ORG, SANDBOX_SALESFORCE_CLIENT_ID, REDIRECT);
    const url = new URL(auth.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${ORG}/services/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: SANDBOX_SALESFORCE_CLIENT_ID,
      redirect_uri: REDIRECT,
      code_challenge_method: 'S256',
      scope: 'api refresh_token',
      state: auth.state,
    });
    // the verifier stays here; only its hash goes out
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(auth.url).not.toContain(auth.codeVerifier);
  });

  it('connects an org: the org redirects with a code, the code is exchanged, tokens are stored in this browser only', async () => {
    const sid = await uiSession();
    const result = await connectSalesforce({ db, fetch: fetchFn, now: Date.now, launch: launchWith(sid), redirectUri: REDIRECT }, PAGE, SANDBOX_SALESFORCE_CLIENT_ID);
    expect(result).toEqual({ ok: true, origin: ORG });
    const stored = (await readKv(db, salesforceOAuthKv))[ORG];
    expect(stored).toMatchObject({ clientId: SANDBOX_SALESFORCE_CLIENT_ID, instanceUrl: ORG, refreshedAt: null });
    expect(sandbox.crm.salesforceOAuth.accessTokens.has(stored!.accessToken)).toBe(true);
    expect(stored!.refreshToken).toMatch(/^5Aep861/);
    // what the options page may read: the org and since when, no token
    const listed = await salesforceConnections(db);
    expect(listed).toEqual([{ origin: ORG, connectedAt: stored!.connectedAt }]);
    expect(JSON.stringify(listed)).not.toContain(stored!.accessToken);
  });

  it('a signed-out rep goes through the org’s login page first, then back to the code', async () => {
    // launchWith(null) holds no cookie: the authorization endpoint sends it to /__sandbox/login,
    // whose answer sets a session and returns to the authorization endpoint; a real browser keeps
    // that cookie, so the test replays the hop with it
    const auth = await salesforceAuthorization(ORG, SANDBOX_SALESFORCE_CLIENT_ID, REDIRECT);
    const first = await fetchFn(auth.url);
    expect(first.status).toBe(302);
    const login = new URL(first.headers.get('location')!, ORG);
    expect(login.pathname).toBe('/__sandbox/login');
    const back = await fetchFn(login.toString());
    const sid = /sid=([^;]+)/.exec(back.headers.get('set-cookie') ?? '')?.[1];
    expect(back.headers.get('location')).toBe(auth.url);
    const redirect = await launchWith(sid!)(auth.url);
    expect(new URL(redirect).searchParams.get('state')).toBe(auth.state);
    expect(new URL(redirect).searchParams.get('code')).toMatch(/^aPrx/);
  });

  it('refuses what is not an answer to this request: a closed window, another state, a wrong verifier, an unknown app', async () => {
    const deps = { db, fetch: fetchFn, now: Date.now, redirectUri: REDIRECT };
    const closed = await connectSalesforce({ ...deps, launch: () => Promise.reject(new Error('The user did not approve access.')) }, PAGE, SANDBOX_SALESFORCE_CLIENT_ID);
    expect(closed).toMatchObject({ ok: false, error: 'denied', message: 'The user did not approve access.' });
    const denied = await connectSalesforce(
      { ...deps, launch: async (url) => `${REDIRECT}?error=access_denied&error_description=end-user+denied+authorization&state=${new URL(url).searchParams.get('state')}` },
      PAGE,
      SANDBOX_SALESFORCE_CLIENT_ID,
    );
    expect(denied).toMatchObject({ ok: false, error: 'denied', message: 'end-user denied authorization' });
    const sid = await uiSession();
    const forged = await connectSalesforce({ ...deps, launch: async (url) => (await launchWith(sid)(url)).replace(/state=[^&]+/, 'state=other') }, PAGE, SANDBOX_SALESFORCE_CLIENT_ID);
    expect(forged).toMatchObject({ ok: false, error: 'state_mismatch' });
    // a code obtained for another request's challenge does not redeem with this request's verifier
    const other = await salesforceAuthorization(ORG, SANDBOX_SALESFORCE_CLIENT_ID, REDIRECT);
    const stolen = new URL(await launchWith(sid)(other.url)).searchParams.get('code')!;
    const swapped = await connectSalesforce({ ...deps, launch: async (url) => `${REDIRECT}?code=${stolen}&state=${new URL(url).searchParams.get('state')}` }, PAGE, SANDBOX_SALESFORCE_CLIENT_ID);
    expect(swapped).toEqual({ ok: false, error: 'exchange_failed', message: 'invalid_grant: invalid code verifier' });
    expect(await connectSalesforce({ ...deps, launch: launchWith(sid) }, 'https://evil.example/', SANDBOX_SALESFORCE_CLIENT_ID)).toMatchObject({ ok: false, error: 'unknown_org' });
    expect(await connectSalesforce({ ...deps, launch: launchWith(sid) }, PAGE, null)).toMatchObject({ ok: false, error: 'not_configured' });
    expect(await readKv(db, salesforceOAuthKv)).toEqual({});
  });

  it('an org refusing cookie sessions for the API: the write goes with the OAuth token; an ended access token is refreshed once', async () => {
    sandbox.crm.salesforceCookieApiRefused = true;
    const sid = await uiSession();
    expect((await connectSalesforce({ db, fetch: fetchFn, now: Date.now, launch: launchWith(sid), redirectUri: REDIRECT }, PAGE, SANDBOX_SALESFORCE_CLIENT_ID)).ok).toBe(true);
    const tokens = createSalesforceOAuthTokens({ db, fetch: fetchFn, now: Date.now });
    const writer = createSalesforceWriter({ fetch: fetchFn, now: Date.now, sessionId: async () => sid, oauth: { ...tokens, configured: async () => true } });
    expect(await writer.write(request({ Status: 'Working - Contacted' }))).toEqual({ kind: 'applied' });
    expect(sandbox.crm.salesforce.get(lead.id)?.fields.Status).toBe('Working - Contacted');

    const before = (await readKv(db, salesforceOAuthKv))[ORG]!;
    sandbox.crm.expireSalesforceAccessTokens();
    const grants = sandbox.crm.salesforceOAuth.grants.length;
    expect(await writer.write(request({ Status: 'MQL' }))).toEqual({ kind: 'applied' });
    expect(sandbox.crm.salesforceOAuth.grants.slice(grants)).toEqual(['refresh_token']);
    const after = (await readKv(db, salesforceOAuthKv))[ORG]!;
    expect(after.accessToken).not.toBe(before.accessToken);
    // Salesforce gives no new refresh token without rotation: the old one is kept
    expect(after.refreshToken).toBe(before.refreshToken);
    expect(after.refreshedAt).not.toBeNull();
  });

  it('a refresh token Salesforce no longer takes ends the connection, and the panel asks to connect again', async () => {
    sandbox.crm.salesforceCookieApiRefused = true;
    const sid = await uiSession();
    await connectSalesforce({ db, fetch: fetchFn, now: Date.now, launch: launchWith(sid), redirectUri: REDIRECT }, PAGE, SANDBOX_SALESFORCE_CLIENT_ID);
    const tokens = createSalesforceOAuthTokens({ db, fetch: fetchFn, now: Date.now });
    const writer = createSalesforceWriter({ fetch: fetchFn, now: Date.now, sessionId: async () => sid, oauth: { ...tokens, configured: async () => true } });
    sandbox.crm.expireSalesforceAccessTokens();
    sandbox.crm.salesforceOAuth.refreshTokens.clear();
    const writes = sandbox.crm.writes.length;
    expect(await writer.write(request({ Status: 'Working - Contacted' }))).toEqual({ kind: 'sign_in', message: SALESFORCE_CONNECT_REQUIRED });
    expect(sandbox.crm.writes.length).toBe(writes);
    expect(await readKv(db, salesforceOAuthKv)).toEqual({});
  });

  it('without a connection: a team with a connected app is asked to connect; a team without one keeps Salesforce’s own message', async () => {
    sandbox.crm.salesforceCookieApiRefused = true;
    const sid = await uiSession();
    const tokens = createSalesforceOAuthTokens({ db, fetch: fetchFn, now: Date.now });
    const withApp = createSalesforceWriter({ fetch: fetchFn, now: Date.now, sessionId: async () => sid, oauth: { ...tokens, configured: async () => true } });
    expect(await withApp.write(request({ Status: 'Working - Contacted' }))).toEqual({ kind: 'sign_in', message: SALESFORCE_CONNECT_REQUIRED });
    const withoutApp = createSalesforceWriter({ fetch: fetchFn, now: Date.now, sessionId: async () => sid, oauth: { ...tokens, configured: async () => false } });
    expect(await withoutApp.write(request({ Status: 'Working - Contacted' }))).toEqual({ kind: 'sign_in', message: SALESFORCE_SESSION_NOT_FOR_API });
  });

  it('an org that takes cookie sessions is written with the rep’s session, the OAuth token left unused', async () => {
    const sid = await uiSession();
    await connectSalesforce({ db, fetch: fetchFn, now: Date.now, launch: launchWith(sid), redirectUri: REDIRECT }, PAGE, SANDBOX_SALESFORCE_CLIENT_ID);
    const used: string[] = [];
    const spy: typeof fetch = (input, init) => {
      used.push(new Headers(init?.headers).get('authorization') ?? '');
      return fetchFn(input, init);
    };
    const writer = createSalesforceWriter({
      fetch: spy,
      now: Date.now,
      sessionId: async () => sid,
      oauth: { ...createSalesforceOAuthTokens({ db, fetch: fetchFn, now: Date.now }), configured: async () => true },
    });
    expect(await writer.write(request({ Status: 'Working - Contacted' }))).toEqual({ kind: 'applied' });
    expect(used).toEqual([`Bearer ${sid}`]);
    await disconnectSalesforce(db, ORG);
    expect(await salesforceConnections(db)).toEqual([]);
  });
});
