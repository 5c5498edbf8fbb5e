import type { z } from 'zod';
import type { AdapterDescription } from '../crm/description';
import type { CreateInviteRequest, Role, TokenScope } from '../protocol/http';
import type { AlertDeliveryStatus, PutAlertSettingsRequest } from '../protocol/alerts';
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
  API.adminRevokeInvite,
  API.adminTokens,
  API.adminCreateToken,
  API.adminRevokeToken,
  API.adminAudit,
  API.getAlertSettings,
  API.putAlertSettings,
  API.alertDeliveries,
  API.adminReadHealth,
  API.getAdapters,
  API.putAdapter,
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
  revokeInvite(inviteId: string): Promise<Reply<typeof API.adminRevokeInvite>>;
  tokens(): Promise<Reply<typeof API.adminTokens>>;
  createToken(name: string, scopes: TokenScope[]): Promise<Reply<typeof API.adminCreateToken>>;
  revokeToken(tokenId: string): Promise<Reply<typeof API.adminRevokeToken>>;
  audit(limit?: number): Promise<Reply<typeof API.adminAudit>>;
  alertSettings(): Promise<Reply<typeof API.getAlertSettings>>;
  putAlertSettings(request: PutAlertSettingsRequest): Promise<Reply<typeof API.putAlertSettings>>;
  alertDeliveries(query: { status?: AlertDeliveryStatus; limit?: number }): Promise<Reply<typeof API.alertDeliveries>>;
  /** Per CRM: reads OK, partial or failing since when (issue 16). */
  readHealth(): Promise<Reply<typeof API.adminReadHealth>>;
  /** The team's adapter descriptions (issue 16); saving one needs the admin role. */
  adapters(): Promise<Reply<typeof API.getAdapters>>;
  putAdapter(description: AdapterDescription): Promise<Reply<typeof API.putAdapter>>;
}

export function createAdminClient(http: HttpBackendClient): AdminClient {
  return {
    members: () => http.request(API.adminMembers),
    setRole: (userId, role) => http.request(API.adminSetRole, { body: { userId, role } }),
    revoke: (userId) => http.request(API.adminRevokeMember, { body: { userId } }),
    setDomains: (domains) => http.request(API.adminSetDomains, { body: { domains } }),
    invites: () => http.request(API.adminInvites),
    createInvite: (request) => http.request(API.adminCreateInvite, { body: request }),
    revokeInvite: (inviteId) => http.request(API.adminRevokeInvite, { body: { inviteId } }),
    tokens: () => http.request(API.adminTokens),
    createToken: (name, scopes) => http.request(API.adminCreateToken, { body: { name, scopes } }),
    revokeToken: (tokenId) => http.request(API.adminRevokeToken, { body: { tokenId } }),
    audit: (limit) => http.request(API.adminAudit, limit === undefined ? {} : { query: new URLSearchParams({ limit: String(limit) }) }),
    alertSettings: () => http.request(API.getAlertSettings),
    putAlertSettings: (request) => http.request(API.putAlertSettings, { body: request }),
    alertDeliveries: ({ status, limit }) =>
      http.request(API.alertDeliveries, { query: new URLSearchParams({ ...(status ? { status } : {}), ...(limit !== undefined ? { limit: String(limit) } : {}) }) }),
    readHealth: () => http.request(API.adminReadHealth),
    adapters: () => http.request(API.getAdapters),
    putAdapter: (description) => http.request(API.putAdapter, { body: description }),
  };
}
