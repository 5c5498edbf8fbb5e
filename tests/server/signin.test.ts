import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair } from 'jose';
import { randomBytes } from 'node:crypto';
import { ErrorBodySchema, SessionResponseSchema, type SessionResponse } from '../../lib/protocol/http';
import { createApp, type ServerConfig } from '../../server/src/app';
import { seedDemo } from '../../server/src/admin';
import { authorizeThroughProvider, EXTENSION_REDIRECT_URI, pkcePair, startTestProvider, TEST_CLIENT_ID, type TestProvider } from '../sandbox/oidc-provider';
import { closingAfterEach, freshDb } from './helpers';

// Sign-in against a real OpenID provider (node-oidc-provider) on loopback: the authorization
// code flow with PKCE as the extension runs it, and each way an ID token is refused.

const ACCOUNTS = {
  sato: { email: 'Sato@Example.co.jp', emailVerified: true, name: '佐藤 健' },
  unverified: { email: 'ito@example.co.jp', emailVerified: false, name: '伊藤' },
  outsider: { email: 'kim@partner.example', emailVerified: true, name: 'Kim' },
};

let provider: TestProvider;
// another issuer signing with the very same keys: only the issuer check can tell its tokens apart
let impostor: TestProvider;

beforeAll(async () => {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwks = { keys: [{ ...(await exportJWK(privateKey)), kid: 'shared', alg: 'RS256', use: 'sig' }] };
  provider = await startTestProvider({ accounts: ACCOUNTS, jwks });
  impostor = await startTestProvider({ accounts: ACCOUNTS, jwks });
});
afterAll(async () => {
  await provider?.close();
  await impostor?.close();
});

const { track } = closingAfterEach();
const nonce = () => randomBytes(16).toString('base64url');

/** A server whose team "Demo 株式会社" signs in with example.co.jp addresses, trusting `provider`. */
async function signInServer(config: ServerConfig = {}) {
  const db = track(await freshDb());
  await seedDemo(db);
  await db.query("INSERT INTO team_domains (domain, team_id) VALUES ('example.co.jp', 'team_demo')");
  const app = createApp({ db, config: { rateLimit: false, oidc: { issuer: provider.issuer, clientId: TEST_CLIENT_ID }, ...config } });
  const call = (token: string | null, method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  return { db, app, call };
}

/** The code flow up to the redirect, as launchWebAuthFlow returns it. */
async function codeFor(account: keyof typeof ACCOUNTS, options: { nonce: string; issuer?: string; clientId?: string }) {
  const pkce = pkcePair();
  const redirect = await authorizeThroughProvider(options.issuer ?? provider.issuer, {
    account,
    nonce: options.nonce,
    codeChallenge: pkce.challenge,
    ...(options.clientId ? { clientId: options.clientId } : {}),
  });
  const code = new URL(redirect).searchParams.get('code');
  if (!code) throw new Error(`no code in ${redirect}`);
  return { code, codeVerifier: pkce.verifier };
}

/** An ID token as a client gets it from the token endpoint. */
async function idTokenFor(account: keyof typeof ACCOUNTS, options: { nonce: string; issuer?: string; clientId?: string }): Promise<string> {
  const issuer = options.issuer ?? provider.issuer;
  const { code, codeVerifier } = await codeFor(account, options);
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: codeVerifier, redirect_uri: EXTENSION_REDIRECT_URI, client_id: options.clientId ?? TEST_CLIENT_ID }),
  });
  const body = (await response.json()) as { id_token?: string };
  if (!body.id_token) throw new Error(`no ID token: ${JSON.stringify(body)}`);
  return body.id_token;
}

async function refusal(response: Response) {
  return { status: response.status, code: ErrorBodySchema.parse(await response.json()).error.code };
}

describe('OpenID Connect sign-in against a real provider', () => {
  it('tells the extension where to sign in', async () => {
    const { call } = await signInServer();
    const config = (await (await call(null, 'GET', '/v1/auth/config')).json()) as { oidc: { issuer: string; clientId: string; authorizationEndpoint: string } };
    expect(config.oidc).toMatchObject({ issuer: provider.issuer, clientId: TEST_CLIENT_ID, authorizationEndpoint: `${provider.issuer}/auth` });
    const none = createApp({ db: track(await freshDb()) });
    expect(await (await none.request('/v1/auth/config')).json()).toEqual({ oidc: null });
    expect(await refusal(await none.request('/v1/auth/oidc', { method: 'POST', body: JSON.stringify({ idToken: 'x', nonce: nonce() }) }))).toEqual({ status: 404, code: 'oidc_not_configured' });
  });

  it('signs a rep in with the code and PKCE verifier: a member of the team of their verified domain, with a working session', async () => {
    const { call } = await signInServer();
    const n = nonce();
    const { code, codeVerifier } = await codeFor('sato', { nonce: n });
    const response = await call(null, 'POST', '/v1/auth/oidc', { code, codeVerifier, redirectUri: EXTENSION_REDIRECT_URI, nonce: n });
    expect(response.status).toBe(200);
    const session = SessionResponseSchema.parse(await response.json());
    expect(session.me).toMatchObject({ team: { id: 'team_demo' }, role: 'rep', user: { name: '佐藤 健' } });
    const me = await call(session.accessToken, 'GET', '/v1/me');
    expect(me.status).toBe(200);
    // signing in again is the same member, not a second one
    const n2 = nonce();
    const again = await idTokenFor('sato', { nonce: n2 });
    const second = SessionResponseSchema.parse(await (await call(null, 'POST', '/v1/auth/oidc', { idToken: again, nonce: n2 })).json());
    expect(second.me.user.id).toBe(session.me.user.id);
  });

  it('refuses a code the provider does not honour (wrong verifier) as invalid_grant', async () => {
    const { call } = await signInServer();
    const n = nonce();
    const { code } = await codeFor('sato', { nonce: n });
    expect(await refusal(await call(null, 'POST', '/v1/auth/oidc', { code, codeVerifier: pkcePair().verifier, redirectUri: EXTENSION_REDIRECT_URI, nonce: n }))).toEqual({
      status: 401,
      code: 'invalid_grant',
    });
  });

  it('refuses each ID token it must not trust, with its own code, and signs nobody in', async () => {
    const { call, db } = await signInServer();
    const signIn = (idToken: string, n: string) => call(null, 'POST', '/v1/auth/oidc', { idToken, nonce: n });

    let n = nonce();
    expect(await refusal(await signIn(await idTokenFor('sato', { nonce: n, issuer: impostor.issuer }), n))).toEqual({ status: 401, code: 'wrong_issuer' });
    n = nonce();
    expect(await refusal(await signIn(await idTokenFor('sato', { nonce: n, clientId: 'other-app' }), n))).toEqual({ status: 401, code: 'wrong_audience' });
    n = nonce();
    const good = await idTokenFor('sato', { nonce: n });
    // the payload changed (another e-mail), the signature kept: it no longer verifies
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    forged.email = 'boss@example.co.jp';
    expect(await refusal(await signIn(`${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`, n))).toEqual({ status: 401, code: 'bad_signature' });
    // a token issued for another sign-in (its nonce differs from this request's)
    expect(await refusal(await signIn(good, nonce()))).toEqual({ status: 401, code: 'nonce_replayed' });
    n = nonce();
    expect(await refusal(await signIn(await idTokenFor('unverified', { nonce: n }), n))).toEqual({ status: 401, code: 'email_unverified' });
    n = nonce();
    expect(await refusal(await signIn(await idTokenFor('outsider', { nonce: n }), n))).toEqual({ status: 401, code: 'unknown_domain' });
    const { rows } = await db.query("SELECT 1 FROM users WHERE email IS NOT NULL OR id NOT LIKE 'user_demo_%'");
    expect(rows).toEqual([]);
  });

  it('refuses an expired ID token', async () => {
    const n = nonce();
    const token = await idTokenFor('sato', { nonce: n });
    // the provider's ID tokens live an hour: two hours later this one is past its time
    const { call } = await signInServer({ now: () => new Date(Date.now() + 2 * 3600_000) });
    expect(await refusal(await call(null, 'POST', '/v1/auth/oidc', { idToken: token, nonce: n }))).toEqual({ status: 401, code: 'id_token_expired' });
  });

  it('accepts a nonce once: the same ID token replayed is refused', async () => {
    const { call } = await signInServer();
    const n = nonce();
    const token = await idTokenFor('sato', { nonce: n });
    expect((await call(null, 'POST', '/v1/auth/oidc', { idToken: token, nonce: n })).status).toBe(200);
    expect(await refusal(await call(null, 'POST', '/v1/auth/oidc', { idToken: token, nonce: n }))).toEqual({ status: 401, code: 'nonce_replayed' });
  });

  it("lets an address outside the domains in by invitation, with the invitation's role", async () => {
    const { call } = await signInServer();
    const created = (await (await call('demo-admin-token', 'POST', '/v1/admin/invites', { name: 'Kim', role: 'marketer', email: 'kim@partner.example' })).json()) as { code: string };
    const n = nonce();
    const response = await call(null, 'POST', '/v1/auth/oidc', { idToken: await idTokenFor('outsider', { nonce: n }), nonce: n, invite: created.code });
    expect(response.status).toBe(200);
    expect(SessionResponseSchema.parse(await response.json()).me).toMatchObject({ team: { id: 'team_demo' }, role: 'marketer', user: { name: 'Kim' } });
  });
});

describe('sessions', () => {
  async function signedIn(config: ServerConfig = {}) {
    const s = await signInServer(config);
    const created = (await (await s.call('demo-admin-token', 'POST', '/v1/admin/invites', { name: '山田 太郎', role: 'rep' })).json()) as { code: string };
    const session = SessionResponseSchema.parse(await (await s.call(null, 'POST', '/v1/auth/invite', { code: created.code })).json());
    return { ...s, session };
  }

  it('expire: an access token past its time gets 401 token_expired, and the refresh token buys a new pair once', async () => {
    let clock = Date.now();
    const { call, session } = await signedIn({ now: () => new Date(clock), sessionTtl: { accessSeconds: 60, refreshSeconds: 3600 } });
    expect((await call(session.accessToken, 'GET', '/v1/me')).status).toBe(200);
    clock += 61_000;
    expect(await refusal(await call(session.accessToken, 'GET', '/v1/me'))).toEqual({ status: 401, code: 'token_expired' });
    const refreshed = await call(null, 'POST', '/v1/auth/refresh', { refreshToken: session.refreshToken });
    expect(refreshed.status).toBe(200);
    const next: SessionResponse = SessionResponseSchema.parse(await refreshed.json());
    expect(next.refreshToken).not.toBe(session.refreshToken);
    expect((await call(next.accessToken, 'GET', '/v1/me')).status).toBe(200);
    // the refresh token of before, presented again: someone holds a copy, the session ends
    expect(await refusal(await call(null, 'POST', '/v1/auth/refresh', { refreshToken: session.refreshToken }))).toEqual({ status: 401, code: 'signed_out' });
    expect(await refusal(await call(next.accessToken, 'GET', '/v1/me'))).toEqual({ status: 401, code: 'signed_out' });
    expect(await refusal(await call(null, 'POST', '/v1/auth/refresh', { refreshToken: 'salr_never-issued' }))).toEqual({ status: 401, code: 'invalid_grant' });
    clock += 3601_000;
    expect(await refusal(await call(null, 'POST', '/v1/auth/refresh', { refreshToken: next.refreshToken }))).toEqual({ status: 401, code: 'signed_out' });
  });

  it('store only hashes', async () => {
    const { db, session } = await signedIn();
    const { rows } = await db.query<Record<string, unknown>>('SELECT * FROM sessions');
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(session.accessToken);
    expect(stored).not.toContain(session.refreshToken);
  });

  it('end at once when an admin removes the member: their next request is 401 signed_out, and so is a refresh', async () => {
    const { call, session } = await signedIn();
    const removed = await call('demo-admin-token', 'POST', '/v1/admin/members/revoke', { userId: session.me.user.id });
    expect(removed.status).toBe(200);
    expect(await refusal(await call(session.accessToken, 'GET', '/v1/events'))).toEqual({ status: 401, code: 'signed_out' });
    expect(await refusal(await call(null, 'POST', '/v1/auth/refresh', { refreshToken: session.refreshToken }))).toEqual({ status: 401, code: 'signed_out' });
    // a pasted token of a removed member stops too
    await call('demo-admin-token', 'POST', '/v1/admin/members/revoke', { userId: 'user_demo_rep2' });
    expect(await refusal(await call('demo-rep2-token', 'GET', '/v1/me'))).toEqual({ status: 401, code: 'signed_out' });
    // a token never issued stays a plain 401
    expect(await refusal(await call('not-a-token', 'GET', '/v1/me'))).toEqual({ status: 401, code: 'unauthorized' });
  });
});

describe('invitations', () => {
  it('are single use: the second sign-in with the same link is refused', async () => {
    const { call } = await signInServer();
    const created = await call('demo-admin-token', 'POST', '/v1/admin/invites', { name: '山田 太郎', role: 'manager' });
    expect(created.status).toBe(200);
    const { code, invite } = (await created.json()) as { code: string; invite: { status: string; role: string } };
    expect(invite).toMatchObject({ status: 'pending', role: 'manager' });
    const first = await call(null, 'POST', '/v1/auth/invite', { code });
    expect(SessionResponseSchema.parse(await first.json()).me).toMatchObject({ role: 'manager', user: { name: '山田 太郎' }, team: { id: 'team_demo' } });
    expect(await refusal(await call(null, 'POST', '/v1/auth/invite', { code }))).toEqual({ status: 401, code: 'invite_used' });
    expect(await refusal(await call(null, 'POST', '/v1/auth/invite', { code: randomBytes(32).toString('base64url') }))).toEqual({ status: 401, code: 'invite_invalid' });
    const listed = (await (await call('demo-admin-token', 'GET', '/v1/admin/invites')).json()) as { invites: { status: string }[] };
    expect(listed.invites.map((i) => i.status)).toEqual(['used']);
  });

  it('expire', async () => {
    let clock = Date.now();
    const { call } = await signInServer({ now: () => new Date(clock) });
    const { code } = (await (await call('demo-admin-token', 'POST', '/v1/admin/invites', { name: 'Late', role: 'rep', expiresInHours: 1 })).json()) as { code: string };
    clock += 3600_000 + 1;
    expect(await refusal(await call(null, 'POST', '/v1/auth/invite', { code }))).toEqual({ status: 401, code: 'invite_expired' });
    const listed = (await (await call('demo-admin-token', 'GET', '/v1/admin/invites')).json()) as { invites: { status: string }[] };
    expect(listed.invites.map((i) => i.status)).toEqual(['expired']);
  });

  it('cannot be taken twice even by two requests at once', async () => {
    const { call } = await signInServer();
    const { code } = (await (await call('demo-admin-token', 'POST', '/v1/admin/invites', { name: 'Twice', role: 'rep' })).json()) as { code: string };
    const statuses = (await Promise.all([call(null, 'POST', '/v1/auth/invite', { code }), call(null, 'POST', '/v1/auth/invite', { code })])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 401]);
  });

  it('can be previewed without being taken: the team, name and role it gives', async () => {
    const { call } = await signInServer();
    const { code } = (await (await call('demo-admin-token', 'POST', '/v1/admin/invites', { name: '山田 太郎', role: 'marketer' })).json()) as { code: string };
    for (let i = 0; i < 2; i++) {
      const preview = await call(null, 'POST', '/v1/auth/invite/preview', { code });
      expect(preview.status).toBe(200);
      expect(await preview.json()).toMatchObject({ team: { id: 'team_demo', name: 'Demo 株式会社' }, name: '山田 太郎', role: 'marketer' });
    }
    expect((await call(null, 'POST', '/v1/auth/invite', { code })).status).toBe(200);
    expect(await refusal(await call(null, 'POST', '/v1/auth/invite/preview', { code }))).toEqual({ status: 401, code: 'invite_used' });
    expect(await refusal(await call(null, 'POST', '/v1/auth/invite/preview', { code: randomBytes(32).toString('base64url') }))).toEqual({ status: 401, code: 'invite_invalid' });
  });

  it('can be withdrawn by an admin while open: the link then stops working, and the audit log says who withdrew it', async () => {
    const { call } = await signInServer();
    const created = (await (await call('demo-admin-token', 'POST', '/v1/admin/invites', { name: 'Withdrawn', role: 'rep' })).json()) as { code: string; invite: { id: string } };
    expect(await refusal(await call('demo-rep1-token', 'POST', '/v1/admin/invites/revoke', { inviteId: created.invite.id }))).toEqual({ status: 403, code: 'forbidden' });
    const withdrawn = await call('demo-admin-token', 'POST', '/v1/admin/invites/revoke', { inviteId: created.invite.id });
    expect(withdrawn.status).toBe(200);
    expect(((await withdrawn.json()) as { invite: { status: string } }).invite.status).toBe('revoked');
    expect(await refusal(await call(null, 'POST', '/v1/auth/invite', { code: created.code }))).toEqual({ status: 401, code: 'invite_invalid' });
    expect(await refusal(await call(null, 'POST', '/v1/auth/invite/preview', { code: created.code }))).toEqual({ status: 401, code: 'invite_invalid' });
    // twice: nothing changes, nothing more is audited
    expect((await call('demo-admin-token', 'POST', '/v1/admin/invites/revoke', { inviteId: created.invite.id })).status).toBe(200);
    const audit = (await (await call('demo-admin-token', 'GET', '/v1/admin/audit')).json()) as { entries: { action: string; actor: { name: string }; target: string }[] };
    expect(audit.entries.filter((e) => e.action === 'invite.revoked')).toEqual([expect.objectContaining({ target: 'Withdrawn' })]);

    // a used one cannot be withdrawn (remove the member instead); an unknown one is 404
    const used = (await (await call('demo-admin-token', 'POST', '/v1/admin/invites', { name: 'Used', role: 'rep' })).json()) as { code: string; invite: { id: string } };
    expect((await call(null, 'POST', '/v1/auth/invite', { code: used.code })).status).toBe(200);
    expect(await refusal(await call('demo-admin-token', 'POST', '/v1/admin/invites/revoke', { inviteId: used.invite.id }))).toEqual({ status: 409, code: 'conflict' });
    expect(await refusal(await call('demo-admin-token', 'POST', '/v1/admin/invites/revoke', { inviteId: 'nope' }))).toEqual({ status: 404, code: 'not_found' });
  });
});

describe('team administration', () => {
  const { server } = closingAfterEach();

  it('is for admins only, enforced by the server', async () => {
    const { call } = await server();
    for (const [method, path, body] of [
      ['GET', '/v1/admin/members'],
      ['POST', '/v1/admin/members/role', { userId: 'user_demo_rep2', role: 'admin' }],
      ['POST', '/v1/admin/members/revoke', { userId: 'user_demo_rep2' }],
      ['POST', '/v1/admin/invites', { name: 'x', role: 'admin' }],
      ['POST', '/v1/admin/tokens', { name: 'x', scopes: ['handoffs:write'] }],
      ['GET', '/v1/admin/audit'],
    ] as const) {
      expect(await refusal(await call('demo-rep1-token', method, path, body)), `${method} ${path}`).toEqual({ status: 403, code: 'forbidden' });
    }
    expect(await refusal(await call(null, 'GET', '/v1/admin/members'))).toEqual({ status: 401, code: 'unauthorized' });
  });

  it('lists members, changes a role, removes a member, refuses to act on oneself, and audits every change', async () => {
    const { call } = await server();
    const members = (await (await call('demo-admin-token', 'GET', '/v1/admin/members')).json()) as { members: { id: string; role: string; status: string }[] };
    expect(members.members.map((m) => [m.id, m.role, m.status])).toEqual([
      ['user_demo_admin', 'admin', 'active'],
      ['user_demo_marketer', 'marketer', 'active'],
      ['user_demo_rep1', 'rep', 'active'],
      ['user_demo_rep2', 'rep', 'active'],
    ]);
    expect((await call('demo-admin-token', 'POST', '/v1/admin/members/role', { userId: 'user_demo_rep2', role: 'manager' })).status).toBe(200);
    expect((await (await call('demo-rep2-token', 'GET', '/v1/me')).json()) as unknown).toMatchObject({ role: 'manager' });
    expect(await refusal(await call('demo-admin-token', 'POST', '/v1/admin/members/revoke', { userId: 'user_demo_admin' }))).toEqual({ status: 409, code: 'conflict' });
    expect(await refusal(await call('demo-admin-token', 'POST', '/v1/admin/members/role', { userId: 'user_demo_admin', role: 'rep' }))).toEqual({ status: 409, code: 'conflict' });
    expect(await refusal(await call('demo-admin-token', 'POST', '/v1/admin/members/role', { userId: 'user_elsewhere', role: 'rep' }))).toEqual({ status: 404, code: 'not_found' });
    expect((await call('demo-admin-token', 'POST', '/v1/admin/members/revoke', { userId: 'user_demo_rep1' })).status).toBe(200);
    expect((await call('demo-admin-token', 'PUT', '/v1/admin/domains', { domains: ['Example.co.jp'] })).status).toBe(200);
    const audit = (await (await call('demo-admin-token', 'GET', '/v1/admin/audit')).json()) as { entries: { actor: { name: string }; action: string; target: string | null; at: string }[] };
    expect(audit.entries.map((e) => [e.actor.name, e.action, e.target])).toEqual([
      ['管理者', 'domains.set', null],
      ['管理者', 'member.revoked', '佐藤 健'],
      ['管理者', 'member.role_changed', '鈴木 花子'],
    ]);
    for (const e of audit.entries) expect(Date.parse(e.at)).not.toBeNaN();
  });

  it('issues integration tokens that can do only what their scope says, until revoked', async () => {
    const { call } = await server();
    const created = await call('demo-admin-token', 'POST', '/v1/admin/tokens', { name: 'Marketo', scopes: ['handoffs:write'] });
    const { token, secret } = (await created.json()) as { token: { id: string; scopes: string[] }; secret: string };
    expect(token.scopes).toEqual(['handoffs:write']);
    const handoff = { crm: 'salesforce', recordId: '00Q5g00000AbCdEEAV', by: 'Marketo' };
    const posted = await call(secret, 'POST', '/v1/handoffs', [handoff]);
    expect(posted.status).toBe(200);
    expect(((await posted.json()) as { results: { status: string }[] }).results.map((r) => r.status)).toEqual(['accepted']);
    for (const [method, path] of [
      ['GET', '/v1/events'],
      ['GET', '/v1/me'],
      ['GET', '/v1/settings'],
      ['GET', '/v1/admin/members'],
    ] as const) {
      expect(await refusal(await call(secret, method, path)), path).toEqual({ status: 403, code: 'insufficient_scope' });
    }
    expect(await refusal(await call(secret, 'POST', '/v1/events', { events: [] }))).toEqual({ status: 403, code: 'insufficient_scope' });
    const listed = (await (await call('demo-admin-token', 'GET', '/v1/admin/tokens')).json()) as { tokens: { id: string }[] };
    expect(listed.tokens.map((t) => t.id)).toEqual([token.id]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect((await call('demo-admin-token', 'POST', '/v1/admin/tokens/revoke', { tokenId: token.id })).status).toBe(200);
    expect(await refusal(await call(secret, 'POST', '/v1/handoffs', [handoff]))).toEqual({ status: 401, code: 'signed_out' });
    const audit = (await (await call('demo-admin-token', 'GET', '/v1/admin/audit')).json()) as { entries: { action: string; target: string }[] };
    expect(audit.entries.map((e) => [e.action, e.target])).toEqual([
      ['token.revoked', 'Marketo'],
      ['token.created', 'Marketo'],
    ]);
  });
});
