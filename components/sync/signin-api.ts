import { browser } from 'wxt/browser';
import type { SalDatabase } from '../../lib/db/schema';
import { writeKv } from '../../lib/db/kv';
import type { AuthConfigResponse, InvitePreview, SessionResponse } from '../../lib/protocol/http';
import { planBackendChange, readBackendChangeContext, type BackendChangePlan } from '../../lib/sync/backend-change';
import { backendKv } from '../../lib/settings/backend';
import { ApiError } from '../../lib/sync/errors';
import { codeFromRedirect, fetchAuthConfig, oidcAuthorization, previewInvite, sessionBackend, signInWithCode, signInWithInvite } from '../../lib/sync/session';

/** What the sign-in section does beyond rendering (injected so tests run it without a browser or a provider). */
export interface SignInApi {
  /** `GET /v1/auth/config` of the server. @throws SyncError */
  authConfig(url: string): Promise<AuthConfigResponse>;
  /** Single sign-on: the provider's page in a browser window (launchWebAuthFlow), then the server. @throws ApiError, SyncError */
  signInWithSso(url: string, config: NonNullable<AuthConfigResponse['oidc']>): Promise<SessionResponse>;
  /** What an invitation gives, without taking it. @throws ApiError (invite_used, invite_expired, invite_invalid), SyncError */
  previewInvite(url: string, code: string): Promise<InvitePreview>;
  /** @throws ApiError (invite_used, invite_expired, invite_invalid), SyncError */
  signInWithInvite(url: string, code: string): Promise<SessionResponse>;
  /** What signing in to `team` at `url` will do to this browser's data (lib/sync/backend-change.ts). */
  plan(url: string, team: { id: string; name: string }): Promise<BackendChangePlan>;
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
    previewInvite: (url, code) => previewInvite(url, code, deps.fetch),
    signInWithInvite: (url, code) => signInWithInvite(url, code, deps.fetch),
    async plan(url, team) {
      // the plan reads only the mode and the URL of the next backend; the token is not known yet
      const next = { mode: 'server' as const, url, token: '-' };
      return planBackendChange(await readBackendChangeContext(db, next, team.id), next, team);
    },
    async save(url, session, method) {
      await writeKv(db, backendKv, sessionBackend(url, session, method));
      await deps.notifyBackground();
    },
    requestAccess: deps.requestAccess,
  };
}
