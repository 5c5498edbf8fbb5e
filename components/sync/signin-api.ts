import { browser } from 'wxt/browser';
import type { SalDatabase } from '../../lib/db/schema';
import { writeKv } from '../../lib/db/kv';
import type { AuthConfigResponse, SessionResponse } from '../../lib/protocol/http';
import { backendKv } from '../../lib/settings/backend';
import { ApiError } from '../../lib/sync/errors';
import { codeFromRedirect, fetchAuthConfig, oidcAuthorization, sessionBackend, signInWithCode, signInWithInvite } from '../../lib/sync/session';

/** What the sign-in section does beyond rendering (injected so tests run it without a browser or a provider). */
export interface SignInApi {
  /** `GET /v1/auth/config` of the server. @throws SyncError */
  authConfig(url: string): Promise<AuthConfigResponse>;
  /** Single sign-on: the provider's page in a browser window (launchWebAuthFlow), then the server. @throws ApiError, SyncError */
  signInWithSso(url: string, config: NonNullable<AuthConfigResponse['oidc']>): Promise<SessionResponse>;
  /** @throws ApiError (invite_used, invite_expired, invite_invalid), SyncError */
  signInWithInvite(url: string, code: string): Promise<SessionResponse>;
  /** Stores the session as the backend and tells the background (which syncs at once). */
  save(url: string, session: SessionResponse, method: 'oidc' | 'invite'): Promise<void>;
  /** Asks for the server's host permission (must start inside the user's click). */
  requestAccess(url: string): Promise<boolean>;
}

export function createSignInApi(db: SalDatabase, deps: { fetch: typeof fetch; notifyBackground: () => Promise<unknown>; requestAccess: (url: string) => Promise<boolean> }): SignInApi {
  return {
    authConfig: (url) => fetchAuthConfig(url, deps.fetch),
    async signInWithSso(url, config) {
      // https://<extension id>.chromiumapp.org/: the redirect the provider has registered for this extension
      const request = await oidcAuthorization(config, browser.identity.getRedirectURL());
      let redirect: string | undefined;
      try {
        redirect = await browser.identity.launchWebAuthFlow({ url: request.url, interactive: true });
      } catch (error) {
        // the window was closed, or the provider could not be reached
        throw new ApiError(401, 'oidc_denied', error instanceof Error ? error.message : String(error));
      }
      if (!redirect) throw new ApiError(401, 'oidc_denied', 'no answer from the identity provider');
      const code = codeFromRedirect(redirect, request);
      return signInWithCode(url, { code, codeVerifier: request.codeVerifier, redirectUri: request.redirectUri, nonce: request.nonce }, deps.fetch);
    },
    signInWithInvite: (url, code) => signInWithInvite(url, code, deps.fetch),
    async save(url, session, method) {
      await writeKv(db, backendKv, sessionBackend(url, session, method));
      await deps.notifyBackground();
    },
    requestAccess: deps.requestAccess,
  };
}
