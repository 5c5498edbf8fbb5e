import type { z } from 'zod';
import type { CreateInviteRequest, Role, TokenScope } from '../protocol/http';
import { API } from '../protocol/routes';
import type { HttpBackendClient } from './http-client';

/** The protocol routes the admin pages call (`tests/server/openapi.test.ts` holds them to the served document). */
export const ADMIN_CLIENT_ROUTES = [
  API.adminMembers,
  API.adminSetRole,
  API.adminRevokeMember,
  API.adminSetDomains,
  API.adminInvites,
  API.adminCreateInvite,
  API.adminTokens,
  API.adminCreateToken,
  API.adminRevokeToken,
  API.adminAudit,
  API.adminReadHealth,
] as const;

type Reply<R extends { responses: { 200: { content: { 'application/json': { schema: z.ZodType } } } } }> = z.infer<R['responses'][200]['content']['application/json']['schema']>;

/**
 * The team administration API as the admin page calls it: the routes of
 * `lib/protocol/routes.ts` through the sync client's `request` (same token, refresh and
 * "signed out" handling), each reply parsed with its declared schema.
 */
export interface AdminClient {
  members(): Promise<Reply<typeof API.adminMembers>>;
  setRole(userId: string, role: Role): Promise<Reply<typeof API.adminSetRole>>;
  revoke(userId: string): Promise<Reply<typeof API.adminRevokeMember>>;
  setDomains(domains: string[]): Promise<Reply<typeof API.adminSetDomains>>;
  invites(): Promise<Reply<typeof API.adminInvites>>;
  createInvite(request: CreateInviteRequest): Promise<Reply<typeof API.adminCreateInvite>>;
  tokens(): Promise<Reply<typeof API.adminTokens>>;
  createToken(name: string, scopes: TokenScope[]): Promise<Reply<typeof API.adminCreateToken>>;
  revokeToken(tokenId: string): Promise<Reply<typeof API.adminRevokeToken>>;
  audit(limit?: number): Promise<Reply<typeof API.adminAudit>>;
  /** Per CRM: reads OK, partial or failing since when (issue 16). */
  readHealth(): Promise<Reply<typeof API.adminReadHealth>>;
}

export function createAdminClient(http: HttpBackendClient): AdminClient {
  return {
    members: () => http.request(API.adminMembers),
    setRole: (userId, role) => http.request(API.adminSetRole, { body: { userId, role } }),
    revoke: (userId) => http.request(API.adminRevokeMember, { body: { userId } }),
    setDomains: (domains) => http.request(API.adminSetDomains, { body: { domains } }),
    invites: () => http.request(API.adminInvites),
    createInvite: (request) => http.request(API.adminCreateInvite, { body: request }),
    tokens: () => http.request(API.adminTokens),
    createToken: (name, scopes) => http.request(API.adminCreateToken, { body: { name, scopes } }),
    revokeToken: (tokenId) => http.request(API.adminRevokeToken, { body: { tokenId } }),
    audit: (limit) => http.request(API.adminAudit, limit === undefined ? {} : { query: new URLSearchParams({ limit: String(limit) }) }),
    readHealth: () => http.request(API.adminReadHealth),
  };
}
