import { z } from 'zod';
import type { SalDatabase } from '../db/schema';
import { defineKvItem, readKv, writeKv } from '../db/kv';
import { ApiError } from '../sync/errors';
import { codeFromRedirect, oidcAuthorization, type OidcRequest } from '../sync/session';
import { salesforceApiOrigin } from './salesforce';

/**
 * Salesforce OAuth 2.0 authorization code + PKCE: the write-back's fallback for orgs that refuse
 * the rep's cookie session for the API (API Access Control: "This session is not valid for use
 * with the REST API"). The team's admin installs a connected app / external client app and
 * enters its consumer key in the team's write-back settings (`writeback.salesforce.oauth`, or
 * the enterprise policy); the rep connects each org once from the options page.
 *
 * Where the tokens are: in the extension's IndexedDB (`salesforceOAuthKv`), written and read by
 * the service worker only (the options page learns "connected since …", never a token), sent only
 * to the org's own my.salesforce.com host. Like the backend's session and the HubSpot token, no
 * CRM page, content script or team server ever gets them (SECURITY.md).
 *
 * The org's My Domain serves the OAuth endpoints (`/services/oauth2/authorize`, `/token`), so
 * the flow goes to the same host the API is called on and no login host is configured.
 */

/** Scopes asked for: the REST API, and a refresh token so the rep connects once, not every session. */
export const SALESFORCE_OAUTH_SCOPES = ['api', 'refresh_token'] as const;

const TIMEOUT_MS = 20_000;

const ConnectionSchema = z.object({
  /** The consumer key the tokens were issued to (a refresh needs the same one). */
  clientId: z.string().min(1).max(255),
  accessToken: z.string().min(1).max(4000),
  /** Absent when the app's policy gives none: the rep connects again when the access token ends. */
  refreshToken: z.string().min(1).max(4000).nullable(),
  /** The org's instance as Salesforce reported it (shown, not called: calls go to the page's My Domain). */
  instanceUrl: z.string().max(300),
  /** ms since the epoch */
  connectedAt: z.number(),
  refreshedAt: z.number().nullable(),
});
export type SalesforceConnection = z.infer<typeof ConnectionSchema>;

/** The connections, by the org's API origin (`https://<MyDomain>.my.salesforce.com`). */
export const salesforceOAuthKv = defineKvItem('salesforceOAuth', z.record(z.string(), ConnectionSchema), {});

/** Salesforce's token endpoint answer (success). */
const TokenResponseSchema = z.object({
  access_token: z.string().min(1).max(4000),
  refresh_token: z.string().min(1).max(4000).optional(),
  instance_url: z.string().max(300).optional(),
  token_type: z.string().optional(),
});
/** Salesforce's token endpoint refusal: `{"error":"invalid_grant","error_description":"…"}`. */
const TokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/** Why a connection attempt ended without tokens. */
export type ConnectError =
  /** the page is not a Salesforce My Domain */
  | 'unknown_org'
  /** the team has configured no connected app */
  | 'not_configured'
  /** the rep closed the window, or Salesforce said no (access_denied, a blocked app) */
  | 'denied'
  /** the redirect is not the answer to this request */
  | 'state_mismatch'
  /** the token endpoint refused the code (invalid_grant, invalid_client_id, …) or could not be reached */
  | 'exchange_failed';

export type ConnectResult = { ok: true; origin: string } | { ok: false; error: ConnectError; message: string };

export interface SalesforceOAuthDeps {
  db: SalDatabase;
  fetch: typeof fetch;
  now: () => number;
}

/** The authorization request for `origin`'s My Domain: PKCE (S256), a fresh state (kept in memory only). */
export function salesforceAuthorization(origin: string, clientId: string, redirectUri: string): Promise<OidcRequest> {
  // the same PKCE request the team sign-in makes (lib/sync/session.ts); Salesforce ignores the nonce
  // without the openid scope, and `prompt=select_account` lets a rep with several users pick one
  return oidcAuthorization({ issuer: origin, clientId, authorizationEndpoint: `${origin}/services/oauth2/authorize`, scopes: [...SALESFORCE_OAUTH_SCOPES] }, redirectUri);
}

async function tokenRequest(deps: Pick<SalesforceOAuthDeps, 'fetch'>, origin: string, form: Record<string, string>): Promise<Response> {
  return deps.fetch(`${origin}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
    credentials: 'omit',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
}

async function tokenError(response: Response): Promise<string> {
  const parsed = TokenErrorSchema.safeParse(await response.json().catch(() => null));
  return parsed.success ? `${parsed.data.error}${parsed.data.error_description ? `: ${parsed.data.error_description}` : ''}`.slice(0, 500) : `HTTP ${response.status}`;
}

/**
 * The whole connection of one org: the authorization request, the browser's sign-in window
 * (`launch`: chrome.identity.launchWebAuthFlow, resolving to the redirect URL), the code's
 * exchange at the org's token endpoint, and the tokens stored. Never throws.
 */
export async function connectSalesforce(
  deps: SalesforceOAuthDeps & { launch(url: string): Promise<string | undefined>; redirectUri: string },
  pageOrOrigin: string,
  clientId: string | null,
): Promise<ConnectResult> {
  const origin = salesforceApiOrigin(pageOrOrigin);
  if (!origin) return { ok: false, error: 'unknown_org', message: pageOrOrigin.slice(0, 300) };
  if (!clientId) return { ok: false, error: 'not_configured', message: 'no connected app in the team settings' };
  const request = await salesforceAuthorization(origin, clientId, deps.redirectUri);
  let redirect: string | undefined;
  try {
    redirect = await deps.launch(request.url);
  } catch (error) {
    return { ok: false, error: 'denied', message: error instanceof Error ? error.message : String(error) };
  }
  if (!redirect) return { ok: false, error: 'denied', message: 'no answer from Salesforce' };
  let code: string;
  try {
    code = codeFromRedirect(redirect, request);
  } catch (error) {
    const refused = error instanceof ApiError ? error : null;
    return { ok: false, error: refused?.code === 'state_mismatch' ? 'state_mismatch' : 'denied', message: refused?.message ?? String(error) };
  }
  let response: Response;
  try {
    response = await tokenRequest(deps, origin, { grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: request.redirectUri, code_verifier: request.codeVerifier });
  } catch (error) {
    return { ok: false, error: 'exchange_failed', message: error instanceof Error ? error.message : String(error) };
  }
  if (!response.ok) return { ok: false, error: 'exchange_failed', message: await tokenError(response) };
  const tokens = TokenResponseSchema.safeParse(await response.json().catch(() => null));
  if (!tokens.success) return { ok: false, error: 'exchange_failed', message: 'unexpected answer from the token endpoint' };
  const connection: SalesforceConnection = {
    clientId,
    accessToken: tokens.data.access_token,
    refreshToken: tokens.data.refresh_token ?? null,
    instanceUrl: tokens.data.instance_url ?? origin,
    connectedAt: deps.now(),
    refreshedAt: null,
  };
  await updateConnections(deps.db, (all) => ({ ...all, [origin]: connection }));
  return { ok: true, origin };
}

async function updateConnections(db: SalDatabase, change: (all: Record<string, SalesforceConnection>) => Record<string, SalesforceConnection>): Promise<void> {
  await db.transaction('rw', db.kv, async () => writeKv(db, salesforceOAuthKv, change(await readKv(db, salesforceOAuthKv))));
}

/** Forgets an org's tokens (the rep disconnects, or Salesforce refused the refresh token). */
export async function disconnectSalesforce(db: SalDatabase, origin: string): Promise<void> {
  await updateConnections(db, ({ [origin]: _gone, ...rest }) => rest);
}

/** What the options page may know of the connections: which orgs, since when (no token). */
export async function salesforceConnections(db: SalDatabase): Promise<Array<{ origin: string; connectedAt: number }>> {
  return Object.entries(await readKv(db, salesforceOAuthKv)).map(([origin, c]) => ({ origin, connectedAt: c.connectedAt }));
}

/** The OAuth side of the Salesforce writer (see `SalesforceWriterDeps.oauth`). */
export interface SalesforceOAuthTokens {
  /** The org's access token, or null when the rep has not connected it. */
  accessToken(origin: string): Promise<string | null>;
  /**
   * A new access token after the API refused `stale` (refresh token grant at the org's token
   * endpoint), or null when there is none to be had: no refresh token, or Salesforce refused it
   * (`invalid_grant`: expired, revoked, the app's policy); the connection is then forgotten and
   * the rep connects again. Another caller's refresh in between is taken as is.
   * @throws when the token endpoint cannot be reached or fails (5xx): worth retrying later
   */
  refresh(origin: string, stale: string): Promise<string | null>;
}

/** The stored tokens and their refresh, on the extension's IndexedDB. */
export function createSalesforceOAuthTokens(deps: SalesforceOAuthDeps): SalesforceOAuthTokens {
  const current = async (origin: string) => (await readKv(deps.db, salesforceOAuthKv))[origin] ?? null;
  return {
    accessToken: async (origin) => (await current(origin))?.accessToken ?? null,
    async refresh(origin, stale) {
      const connection = await current(origin);
      if (!connection) return null;
      if (connection.accessToken !== stale) return connection.accessToken;
      if (!connection.refreshToken) {
        await disconnectSalesforce(deps.db, origin);
        return null;
      }
      const response = await tokenRequest(deps, origin, { grant_type: 'refresh_token', refresh_token: connection.refreshToken, client_id: connection.clientId });
      if (response.status >= 500 || response.status === 429) throw new Error(`Salesforce token endpoint: HTTP ${response.status}`);
      const tokens = response.ok ? TokenResponseSchema.safeParse(await response.json().catch(() => null)) : null;
      if (!tokens?.success) {
        // invalid_grant and kin: this refresh token will never work again
        await disconnectSalesforce(deps.db, origin);
        return null;
      }
      const next: SalesforceConnection = {
        ...connection,
        accessToken: tokens.data.access_token,
        // an app with refresh token rotation answers a new one; otherwise the old one stays valid
        refreshToken: tokens.data.refresh_token ?? connection.refreshToken,
        refreshedAt: deps.now(),
      };
      await updateConnections(deps.db, (all) => ({ ...all, [origin]: next }));
      return next.accessToken;
    },
  };
}
