import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DEFAULT_OIDC_SCOPES, signInWithIdToken, type OidcVerifier } from './oidc';
import { API } from '../../lib/protocol/routes';
import type { AuthConfigResponse, ErrorCode } from '../../lib/protocol/http';
import type { Serve } from './app';
import type { Database } from './db/types';
import { fail, requireRole, type Env } from './middleware';
import { refreshSession, type Refusal, type SessionTtl } from './sessions';
import { listAudit } from './audit';
import {
  AdminActionError,
  createIntegrationToken,
  createInvite,
  listDomains,
  listIntegrationTokens,
  listInvites,
  listMembers,
  previewInvite,
  revokeIntegrationToken,
  revokeInvite,
  revokeMember,
  setDomains,
  setMemberRole,
  signInWithInvite,
} from './team-admin';

/** A refused sign-in: 401 with its code (a server without a provider: 404). */
function refuse(c: Context<Env>, refusal: Refusal<ErrorCode>) {
  const status: ContentfulStatusCode = refusal.code === 'oidc_not_configured' ? 404 : 401;
  return fail(c, status, refusal.code, refusal.message);
}

/**
 * Sign-in and sessions (`/v1/auth/*`, no bearer token): the provider's configuration, OIDC
 * sign-in, invitations, refresh. Each refusal is a 401 whose `error.code` names the reason.
 */
export function registerAuthRoutes(serve: Serve, deps: { db: Database; now: () => Date; ttl: SessionTtl; oidc: OidcVerifier | null }): void {
  const { db, now, ttl, oidc } = deps;

  serve(API.authConfig, [], async (c) => {
    if (!oidc) return c.json({ oidc: null } satisfies AuthConfigResponse);
    const discovery = await oidc.discover();
    return c.json({
      oidc: { issuer: oidc.config.issuer, clientId: oidc.config.clientId, authorizationEndpoint: discovery.authorization_endpoint, scopes: oidc.config.scopes ?? DEFAULT_OIDC_SCOPES },
    } satisfies AuthConfigResponse);
  });

  serve(API.signInOidc, [], async (c, { body }) => {
    if (!oidc) return refuse(c, { code: 'oidc_not_configured', message: 'this server has no identity provider configured' });
    let idToken: string;
    if ('idToken' in body) idToken = body.idToken;
    else {
      const exchanged = await oidc.exchangeCode(body);
      if ('refused' in exchanged) return refuse(c, exchanged.refused);
      idToken = exchanged.idToken;
    }
    const result = await signInWithIdToken(db, oidc, { idToken, nonce: body.nonce, invite: body.invite }, now(), ttl);
    return 'refused' in result ? refuse(c, result.refused) : c.json(result.session);
  });

  serve(API.signInInvite, [], async (c, { body }) => {
    const result = await signInWithInvite(db, body.code, now(), ttl);
    return 'refused' in result ? refuse(c, result.refused) : c.json(result.session);
  });

  serve(API.previewInvite, [], async (c, { body }) => {
    const result = await previewInvite(db, body.code, now());
    return 'refused' in result ? refuse(c, result.refused) : c.json(result.preview);
  });

  serve(API.refresh, [], async (c, { body }) => {
    const result = await refreshSession(db, body.refreshToken, now(), ttl);
    return 'refused' in result ? refuse(c, result.refused) : c.json(result.session);
  });
}

/**
 * Team administration (`/v1/admin/*`): the admin role, checked here on the server whatever the
 * extension shows. Integration tokens never get this far (they declare no admin scope).
 */
export function registerAdminRoutes(serve: Serve, deps: { db: Database; now: () => Date }): void {
  const { db, now } = deps;
  const admin = [requireRole('admin', 'only a team admin may do this')];
  /** An admin action refused for a reason the admin can read (404 unknown target, 409 not allowed). */
  const attempt = async (c: Context<Env>, action: () => Promise<Response>) => {
    try {
      return await action();
    } catch (error) {
      if (error instanceof AdminActionError) return fail(c, error.status, error.status === 404 ? 'not_found' : 'conflict', error.message);
      throw error;
    }
  };

  serve(API.adminMembers, admin, async (c) => {
    const teamId = c.get('principal').teamId;
    const [members, domains] = await Promise.all([listMembers(db, teamId), listDomains(db, teamId)]);
    return c.json({ members, domains });
  });
  serve(API.adminSetRole, admin, (c, { body }) => attempt(c, async () => c.json({ member: await setMemberRole(db, c.get('principal'), body.userId, body.role, now()) })));
  serve(API.adminRevokeMember, admin, (c, { body }) => attempt(c, async () => c.json({ member: await revokeMember(db, c.get('principal'), body.userId, now()) })));
  serve(API.adminSetDomains, admin, (c, { body }) => attempt(c, async () => c.json({ domains: await setDomains(db, c.get('principal'), body.domains, now()) })));
  serve(API.adminInvites, admin, async (c) => c.json({ invites: await listInvites(db, c.get('principal').teamId, now()) }));
  serve(API.adminCreateInvite, admin, async (c, { body }) => c.json(await createInvite(db, c.get('principal'), body, now())));
  serve(API.adminRevokeInvite, admin, (c, { body }) => attempt(c, async () => c.json({ invite: await revokeInvite(db, c.get('principal'), body.inviteId, now()) })));
  serve(API.adminTokens, admin, async (c) => c.json({ tokens: await listIntegrationTokens(db, c.get('principal').teamId) }));
  serve(API.adminCreateToken, admin, async (c, { body }) => c.json(await createIntegrationToken(db, c.get('principal'), body, now())));
  serve(API.adminRevokeToken, admin, (c, { body }) => attempt(c, async () => c.json({ token: await revokeIntegrationToken(db, c.get('principal'), body.tokenId, now()) })));
  serve(API.adminAudit, admin, async (c, { query }) => c.json({ entries: await listAudit(db, c.get('principal').teamId, query.limit ?? 200) }));
}
