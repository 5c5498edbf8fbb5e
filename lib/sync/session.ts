import type { SalDatabase } from '../db/schema';
import { readKv, writeKv } from '../db/kv';
import type { z } from 'zod';
import { AuthConfigResponseSchema, ErrorBodySchema, InvitePreviewSchema, SessionResponseSchema, type AuthConfigResponse, type InvitePreview, type SessionResponse } from '../protocol/http';
import { API } from '../protocol/routes';
import { backendKv, normaliseBackendUrl, type BackendConfig } from '../settings/backend';
import { ApiError, SyncError } from './errors';

// Signing in without a pasted token, and keeping the session alive. The server issues a
// short-lived access token and a refresh token that works once (server/src/sessions.ts); this
// module turns sign-in replies into the stored backend, and refreshes it for whoever needs it:
// the sync round in the worker or an admin page, one at a time across the extension.

const REFRESH_LOCK = 'sal-bridge-session-refresh';
const TIMEOUT_MS = 20_000;

/** The stored backend for a session the server issued. */
export function sessionBackend(url: string, session: SessionResponse, method: 'oidc' | 'invite'): Extract<BackendConfig, { mode: 'server' }> {
  return {
    mode: 'server',
    url,
    token: session.accessToken,
    session: { refreshToken: session.refreshToken, accessExpiresAt: session.accessExpiresAt, userId: session.me.user.id, method },
  };
}

async function post(fetchImpl: typeof fetch, url: string, path: string, body: unknown): Promise<Response> {
  try {
    return await fetchImpl(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new SyncError('offline', error instanceof Error ? error.message : String(error));
  }
}

/** A sign-in or refresh reply: the session, or the server's refusal as ApiError (its code says why). */
async function sessionReply(response: Response): Promise<SessionResponse> {
  return authReply(response, SessionResponseSchema);
}

/** A `/v1/auth/*` reply: its declared body, or the refusal as ApiError. @throws ApiError or SyncError */
async function authReply<T>(response: Response, schema: z.ZodType<T>): Promise<T> {
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    throw new SyncError('server_error', `HTTP ${response.status}: unexpected reply`, null, response.status);
  }
  const error = ErrorBodySchema.safeParse(body);
  if (response.status === 429 || response.status === 503) throw new SyncError('rate_limited', `HTTP ${response.status}`, null, response.status);
  if (!error.success || response.status >= 500) throw new SyncError('server_error', `HTTP ${response.status}`, null, response.status);
  throw new ApiError(response.status, error.data.error.code, error.data.error.message);
}

/** `GET /v1/auth/config`: does this server sign in with an identity provider, and which. @throws SyncError */
export async function fetchAuthConfig(url: string, fetchImpl: typeof fetch): Promise<AuthConfigResponse> {
  let response: Response;
  try {
    response = await fetchImpl(`${url}${API.authConfig.path}`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new SyncError('offline', error instanceof Error ? error.message : String(error));
  }
  const parsed = AuthConfigResponseSchema.safeParse(await response.json().catch(() => null));
  // a server of an older version has no such route: it signs in with tokens only
  if (!parsed.success) return { oidc: null };
  return parsed.data;
}

/** `POST /v1/auth/invite`. @throws ApiError (invite_invalid, invite_used, invite_expired) or SyncError */
export async function signInWithInvite(url: string, code: string, fetchImpl: typeof fetch): Promise<SessionResponse> {
  return sessionReply(await post(fetchImpl, url, API.signInInvite.path, { code }));
}

/**
 * `POST /v1/auth/invite/preview`: the team, name and role an invitation gives, without taking it.
 * @throws ApiError (invite_invalid, invite_used, invite_expired) or SyncError
 */
export async function previewInvite(url: string, code: string, fetchImpl: typeof fetch): Promise<InvitePreview> {
  return authReply(await post(fetchImpl, url, API.previewInvite.path, { code }), InvitePreviewSchema);
}

/** `POST /v1/auth/oidc` with the authorization code. @throws ApiError (the refusal's code) or SyncError */
export async function signInWithCode(
  url: string,
  input: { code: string; codeVerifier: string; redirectUri: string; nonce: string; invite?: string },
  fetchImpl: typeof fetch,
): Promise<SessionResponse> {
  return sessionReply(await post(fetchImpl, url, API.signInOidc.path, input));
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const randomString = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

/** What one authorization request needs and its reply is checked against (kept in memory only). */
export interface OidcRequest {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
}

/** The provider's authorization URL for the code flow with PKCE (S256), a fresh state and nonce. */
export async function oidcAuthorization(config: NonNullable<AuthConfigResponse['oidc']>, redirectUri: string): Promise<OidcRequest> {
  const codeVerifier = randomString();
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier))));
  const state = randomString();
  const nonce = randomString();
  const url = new URL(config.authorizationEndpoint);
  for (const [key, value] of Object.entries({
    client_id: config.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: config.scopes.join(' '),
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    prompt: 'select_account',
  }))
    url.searchParams.set(key, value);
  return { url: url.toString(), state, nonce, codeVerifier, redirectUri };
}

/**
 * The authorization code in the provider's redirect, checked against the request's state.
 * @throws ApiError `oidc_denied` (the provider or the user said no) or `state_mismatch`
 */
export function codeFromRedirect(redirect: string, request: OidcRequest): string {
  const params = new URL(redirect).searchParams;
  if (params.get('state') !== request.state) throw new ApiError(400, 'state_mismatch', 'the answer is not for this sign-in');
  const code = params.get('code');
  if (!code) throw new ApiError(401, 'oidc_denied', params.get('error_description') ?? params.get('error') ?? 'no authorization code');
  return code;
}

/**
 * The next access token of the stored session, refreshed at the server once across every
 * context of the extension (a Web Lock): the refresh token works once, so two contexts refreshing
 * it at the same time would end the session. A caller whose `staleToken` another context already
 * replaced gets the stored one.
 * @throws SyncError `signed_out` (the session was ended or cannot be refreshed: sign in again), or a transport error
 */
export async function refreshSession(db: SalDatabase, staleToken: string, fetchImpl: typeof fetch, runExclusive?: <T>(fn: () => Promise<T>) => Promise<T>): Promise<string> {
  const exclusive = runExclusive ?? (<T>(fn: () => Promise<T>) => navigator.locks.request(REFRESH_LOCK, fn) as Promise<T>);
  return exclusive(async () => {
    const stored = await readKv(db, backendKv);
    if (stored?.mode !== 'server' || !stored.session) throw new SyncError('signed_out', 'no session to refresh');
    if (stored.token !== staleToken) return stored.token;
    let session: SessionResponse;
    try {
      session = await sessionReply(await post(fetchImpl, stored.url, API.refresh.path, { refreshToken: stored.session.refreshToken }));
    } catch (error) {
      if (error instanceof ApiError) throw new SyncError('signed_out', `refresh refused: ${error.code}`, null, error.status);
      throw error;
    }
    await writeKv(db, backendKv, sessionBackend(stored.url, session, stored.session.method));
    return session.accessToken;
  });
}

/** An invitation as its link carries it: the team's server and the single-use code. */
export interface InviteLink {
  server: string;
  code: string;
}

/**
 * The invitation in a link, or null when the text is not one. Two forms:
 * - the handover page on the team's server the admin sends (`https://<server>/join#invite=<code>`,
 *   server/src/join-page.ts): the server is the page's own address without `/join`;
 * - the options page of this extension (`…/options.html#invite=<code>&server=<url>`).
 * The server URL is checked like a typed one (https, or http on localhost only).
 */
export function parseInviteLink(input: string): InviteLink | null {
  const text = input.trim();
  const hash = text.includes('#') ? text.slice(text.indexOf('#') + 1) : '';
  const params = new URLSearchParams(hash);
  const code = params.get('invite');
  const server = params.get('server') ?? handoverServer(text.slice(0, text.length - hash.length - 1));
  if (!code || !server || code.length < 20 || code.length > 200) return null;
  const checked = normaliseBackendUrl(server);
  return checked.ok ? { server: checked.url, code } : null;
}

/** The server a handover page address belongs to: `https://sal.example/join` → `https://sal.example`. */
function handoverServer(address: string): string | null {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    return null;
  }
  if (!url.pathname.endsWith(JOIN_PATH) || url.search !== '') return null;
  return `${url.origin}${url.pathname.slice(0, -JOIN_PATH.length)}`;
}

const JOIN_PATH = '/join';

/** The link that opens the options page of this extension at an invitation. */
export function inviteLink(optionsPageUrl: string, invite: InviteLink): string {
  return `${optionsPageUrl}#${new URLSearchParams({ invite: invite.code, server: invite.server })}`;
}

/** The handover page on the team's server for an invitation: the link the admin sends (it opens from mail and chat). */
export function inviteHandoverLink(invite: InviteLink): string {
  return `${invite.server}${JOIN_PATH}#${new URLSearchParams({ invite: invite.code })}`;
}
