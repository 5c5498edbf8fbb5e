import type { RouteConfig } from '@hono/zod-openapi';
import { z } from 'zod';
import { DEFAULT_ROLE_PERMISSIONS } from '../domain/roles';
import {
  ErrorBodySchema,
  HandoffRequestSchema,
  HandoffResponseSchema,
  HealthResponseSchema,
  ReadyResponseSchema,
  MAX_CLOCK_SKEW_MS,
  MAX_PUSH_BATCH,
  MeResponseSchema,
  PullQuerySchema,
  PullResponseSchema,
  PushRequestSchema,
  PushResponseSchema,
  PutSettingsRequestSchema,
  SettingsResponseSchema,
  AuditQuerySchema,
  AuditResponseSchema,
  AuthConfigResponseSchema,
  CreateInviteRequestSchema,
  CreateInviteResponseSchema,
  CreateTokenRequestSchema,
  CreateTokenResponseSchema,
  DomainsResponseSchema,
  InviteSignInRequestSchema,
  InvitesResponseSchema,
  MemberResponseSchema,
  MembersResponseSchema,
  OidcSignInRequestSchema,
  RefreshRequestSchema,
  RevokeMemberRequestSchema,
  RevokeTokenRequestSchema,
  RevokeInviteRequestSchema,
  InviteResponseSchema,
  InvitePreviewSchema,
  SessionResponseSchema,
  SetDomainsRequestSchema,
  SetRoleRequestSchema,
  TokenResponseSchema,
  TokensResponseSchema,
  type TokenScope,
} from './http';
import { AlertDeliveriesQuerySchema, AlertDeliveriesResponseSchema, AlertSettingsResponseSchema, PutAlertSettingsRequestSchema } from './alerts';
import { PostReadHealthRequestSchema, PostReadHealthResponseSchema, ReadHealthResponseSchema } from './read-health';
import { AdapterDescriptionsResponseSchema, PutAdapterDescriptionRequestSchema } from './adapter-description';

/**
 * Every route of the `/v1` protocol, declared once: method, path, authentication, request and
 * response schemas. The reference server serves each one with `@hono/zod-openapi` (which also
 * generates the OpenAPI document from these objects) and the extension's sync client calls the
 * same objects, so a path, a method or a reply shape cannot differ between the two.
 *
 * Plain objects: only the `RouteConfig` type comes from `@hono/zod-openapi`, so the extension
 * bundle takes the schemas and paths and none of the server's runtime (Hono, the generator, pg).
 */
const route = <const R extends RouteConfig>(config: R): R => config;

/** Name of the bearer-token security scheme in the document; the server registers it. */
export const BEARER_SCHEME = 'bearer';
/**
 * A route with `security` needs `Authorization: Bearer <token>` (the server enforces exactly these):
 * a member's token or session access token. An integration token limited to scopes passes only a
 * route that declares one of its scopes (`scoped`), and nothing else.
 */
const security = [{ [BEARER_SCHEME]: [] }];
const scoped = (scope: TokenScope) => [{ [BEARER_SCHEME]: [scope] }];

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const errors = {
  400: json(ErrorBodySchema, 'Malformed request (not the documented shape)'),
  401: json(ErrorBodySchema, 'No bearer token, or an unknown or revoked one'),
  413: json(ErrorBodySchema, 'Body larger than the server accepts; split the batch'),
  429: json(ErrorBodySchema, 'Rate limit of this token (or, for requests without a valid token, of this client address) reached; retry after `Retry-After` seconds'),
  503: json(ErrorBodySchema, 'The server cannot reach its database (`unavailable`); retry after `Retry-After` seconds. Nothing was refused.'),
};

const adminErrors = {
  400: errors[400],
  401: errors[401],
  403: json(ErrorBodySchema, '`forbidden`: the caller is not a team admin; `insufficient_scope`: an integration token'),
  429: errors[429],
  503: errors[503],
};

const skewMinutes = MAX_CLOCK_SKEW_MS / 60_000;
const roleTable = Object.entries(DEFAULT_ROLE_PERMISSIONS)
  .map(([role, types]) => `${role}: ${types.length > 0 ? types.join(', ') : 'nothing'}`)
  .join('; ');

export const API = {
  health: route({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness check (no authentication)',
    responses: { 200: json(HealthResponseSchema, 'The server is up') },
  }),
  // Declared here beside /healthz rather than plainly in the server app: a team running its own
  // backend behind the same load balancer configuration learns both probes from the document.
  ready: route({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness check (no authentication): send traffic here?',
    description:
      'For a load balancer or an orchestrator. 200 when the database answers and holds every migration this server needs; 503 `unavailable` when the database cannot be reached, its schema is behind this server (run the migrations), or the server is shutting down.',
    responses: {
      200: json(ReadyResponseSchema, 'Ready to serve'),
      503: json(ErrorBodySchema, 'Not ready: the message says why (database unreachable, schema behind, shutting down)'),
    },
  }),
  pushEvents: route({
    method: 'post',
    path: '/v1/events',
    summary: 'Push a batch of client events (idempotent by event id)',
    description: [
      `1..${MAX_PUSH_BATCH} events. Each is judged on its own and gets one result, in request order; one bad event never holds back the others, and bad input is never a 5xx.`,
      "`accepted`: stored now, with its per-team `seq` and the server's `receivedAt`. `duplicate`: an event with this id and the same body is stored (re-sending is a no-op; `seq` and `receivedAt` are the stored ones). The body is compared after parsing, with keys in any order, `occurredAt` as an instant and `actor.name` set by the server. `conflict` (reason `conflict:`): this id is stored with a different body; the stored one stands.",
      "`rejected`, with a reason that starts with its code: `invalid:` (not a valid event, including strings with U+0000 or unpaired UTF-16 surrogates and dates outside 1970..9999, a `definitionVersion` the team does not have, an undo of an event the server does not hold, or a value the database refuses); `actor_mismatch:` (a token records in its own user's name only: an `actor.id` that is neither the caller's user id from `GET /v1/me` nor a local-only actor `local-…` of the caller is refused as actor_mismatch; a local-only actor belongs to the first member who pushes it; no role is exempt); `forbidden_role:` (the caller's role may not record this type); `occurred_in_future:` (`occurredAt` later than the server's time + " +
        `${skewMinutes} minutes); \`not_own_event:\` (a \`retracted\` event whose target another member recorded); \`undo_window_passed:\` (an undo judged after the definition's undo window).`,
      `The server names the actor: \`actor.name\` is stored as the member's display name. SLA clocks and the undo window judge an event at max(\`occurredAt\`, \`receivedAt\` − ${skewMinutes} minutes).`,
      `Roles by default (a team definition's \`rolePermissions\` may add types): ${roleTable}; anyone may retract their own events.`,
    ].join('\n\n'),
    security,
    request: { body: { required: true, content: { 'application/json': { schema: PushRequestSchema } } } },
    responses: { 200: json(PushResponseSchema, 'One result per event, in request order'), ...errors },
  }),
  pullEvents: route({
    method: 'get',
    path: '/v1/events',
    summary: "Pull the team's events after a cursor",
    description:
      "Pass `nextCursor` back as `since` until `hasMore` is false. An absent or empty `since` reads from the start. Cursors are opaque and carry the server's epoch: after the database was reset or replaced, or restored from a backup older than the cursor, the answer is 410 `cursor_reset`.",
    security,
    request: { query: PullQuerySchema },
    responses: {
      200: json(PullResponseSchema, 'A page of events in sequence order'),
      410: json(
        ErrorBodySchema,
        "`cursor_reset`: the cursor is from another epoch of this server or past the team's history. Forget the cursor and the sequences, pull from the start and push your own events again (idempotent by id).",
      ),
      ...errors,
    },
  }),
  me: route({
    method: 'get',
    path: '/v1/me',
    summary: "The caller's user, team and role",
    security,
    responses: { 200: json(MeResponseSchema, 'Who the token belongs to'), 401: errors[401] },
  }),
  getSettings: route({
    method: 'get',
    path: '/v1/settings',
    summary: "The team's SAL definition (versions, SLA clocks and calendar, reject reasons)",
    security,
    responses: { 200: json(SettingsResponseSchema, 'Team settings'), 401: errors[401] },
  }),
  putSettings: route({
    method: 'put',
    path: '/v1/settings',
    summary: "Set the team's SAL definition (admin only)",
    description:
      'The server assigns the version: a definition identical to a stored version re-activates it (the built-in default keeps its number); anything else becomes a new version above every version the team has used, in stored definitions or in its events, so a number never means two definitions. `rolePermissions` adds event types a role may record.',
    security,
    request: { body: { required: true, content: { 'application/json': { schema: PutSettingsRequestSchema } } } },
    responses: {
      200: json(SettingsResponseSchema, 'The saved settings'),
      403: json(ErrorBodySchema, 'The caller is not a team admin'),
      409: json(ErrorBodySchema, '`baseRevision` is stale'),
      ...errors,
    },
  }),
  handoffs: route({
    method: 'post',
    path: '/v1/handoffs',
    // a marketing-automation tool's integration token with `handoffs:write` may call this route (and only this)
    summary: 'MQL intake: create `handed_over` events from a marketing-automation tool or a CSV upload',
    description:
      'JSON (an array of items or `{ handoffs: [...] }`) or `text/csv` with a header row (item columns plus lead snapshot columns `name`, `company`, `title`, `email`, `phone`, `leadSource`, `status`, `url`). A CSV file may be UTF-8 (with or without BOM) or Shift_JIS as Excel saves it on a Japanese PC: the `charset` parameter is honoured, and without one the bytes are read as UTF-8 when valid, else as Shift_JIS. Idempotent on (lead, `handedOverAt`). The events are recorded in the name of the caller; a bad row (e.g. a NUL byte in a cell) is rejected in its own result and the other rows are stored. Only roles that may record `handed_over` may call it (403 otherwise).',
    security: scoped('handoffs:write'),
    request: {
      body: {
        required: true,
        content: {
          'application/json': { schema: HandoffRequestSchema },
          'text/csv': { schema: z.string() },
        },
      },
    },
    responses: {
      200: json(HandoffResponseSchema, 'One result per item or data row, in order'),
      403: json(ErrorBodySchema, "The caller's role may not hand leads over"),
      415: json(ErrorBodySchema, 'A CSV `charset` other than UTF-8 or Shift_JIS'),
      ...errors,
    },
  }),
  getAlertSettings: route({
    method: 'get',
    path: '/v1/alerts/settings',
    summary: "The team's SLA alert channels and rules (admin only; webhook URLs masked)",
    security,
    responses: { 200: json(AlertSettingsResponseSchema, 'Alert settings'), 401: errors[401], 403: json(ErrorBodySchema, 'The caller is not a team admin') },
  }),
  putAlertSettings: route({
    method: 'put',
    path: '/v1/alerts/settings',
    summary: "Set the team's SLA alert channels and rules (admin only)",
    description:
      'Channels: Slack and Microsoft Teams incoming webhooks, and a generic HTTPS webhook whose JSON body is signed with HMAC-SHA256 (`X-SAL-Signature: v1=<hex of HMAC(secret, timestamp + "." + body)>`, `X-SAL-Timestamp`: Unix seconds) and carries `Idempotency-Key`. A channel absent from the body keeps its stored value, `null` removes it. URLs must be https and must not point into a private network (400 otherwise). Business-time clocks alert only in business hours unless `rules.outsideBusinessHours`.',
    security,
    request: { body: { required: true, content: { 'application/json': { schema: PutAlertSettingsRequestSchema } } } },
    responses: { 200: json(AlertSettingsResponseSchema, 'The saved settings'), 403: json(ErrorBodySchema, 'The caller is not a team admin'), ...errors },
  }),
  alertDeliveries: route({
    method: 'get',
    path: '/v1/alerts/deliveries',
    summary: 'Recent SLA alert deliveries and failures, newest first (admin only)',
    security,
    request: { query: AlertDeliveriesQuerySchema },
    responses: { 200: json(AlertDeliveriesResponseSchema, 'Deliveries'), 403: json(ErrorBodySchema, 'The caller is not a team admin'), ...errors },
  }),
  authConfig: route({
    method: 'get',
    path: '/v1/auth/config',
    summary: 'How to sign in to this server: its OpenID provider (issuer, client id), or null (invitations and tokens only)',
    responses: { 200: json(AuthConfigResponseSchema, 'Sign-in configuration') },
  }),
  signInOidc: route({
    method: 'post',
    path: '/v1/auth/oidc',
    summary: "Sign in with the team's OpenID provider: an authorization code + PKCE verifier, or an ID token",
    description: [
      "The server redeems the code at the provider's token endpoint, then verifies the ID token: issuer, audience (the client id), signature by the provider's JWKS, expiry, and `nonce` equal to the request's, accepted once. The user joins by a verified e-mail whose domain a team lists, by an invitation (`invite`, or a pending one for that e-mail), or as the member with that e-mail already.",
      'Refusals (401, except `oidc_not_configured` 404): `wrong_issuer`, `wrong_audience`, `id_token_expired`, `bad_signature`, `nonce_replayed`, `email_unverified`, `unknown_domain`, `invalid_grant` (the provider refused the code), `invite_*` (the invitation given), `signed_out` (the member was removed).',
    ].join('\n\n'),
    request: { body: { required: true, content: { 'application/json': { schema: OidcSignInRequestSchema } } } },
    responses: {
      200: json(SessionResponseSchema, 'A new session'),
      400: errors[400],
      401: json(ErrorBodySchema, 'Sign-in refused; `error.code` says why'),
      404: json(ErrorBodySchema, '`oidc_not_configured`: this server has no OpenID provider'),
      503: errors[503],
    },
  }),
  signInInvite: route({
    method: 'post',
    path: '/v1/auth/invite',
    summary: 'Sign in with an invitation (single use, expiring): joins its team with its role',
    request: { body: { required: true, content: { 'application/json': { schema: InviteSignInRequestSchema } } } },
    responses: {
      200: json(SessionResponseSchema, 'A new session for the invited member'),
      400: errors[400],
      401: json(ErrorBodySchema, '`invite_invalid` (unknown or withdrawn), `invite_used`, `invite_expired`'),
      503: errors[503],
    },
  }),
  previewInvite: route({
    method: 'post',
    path: '/v1/auth/invite/preview',
    summary: 'What an invitation would do (team, name, role), without taking it',
    description: 'Lets the extension ask before the rep joins another team than the one the browser syncs with; the invitation stays unused.',
    request: { body: { required: true, content: { 'application/json': { schema: InviteSignInRequestSchema } } } },
    responses: {
      200: json(InvitePreviewSchema, 'The team the invitation joins, and the name and role it gives'),
      400: errors[400],
      401: json(ErrorBodySchema, '`invite_invalid` (unknown or withdrawn), `invite_used`, `invite_expired`'),
      503: errors[503],
    },
  }),
  refresh: route({
    method: 'post',
    path: '/v1/auth/refresh',
    summary: 'Exchange a refresh token for a new access and refresh token (the old refresh token stops working)',
    description: 'A refresh token works once. Presenting one already exchanged ends the session (`signed_out`): someone else may hold a copy.',
    request: { body: { required: true, content: { 'application/json': { schema: RefreshRequestSchema } } } },
    responses: {
      200: json(SessionResponseSchema, 'The next access and refresh token'),
      400: errors[400],
      401: json(ErrorBodySchema, '`invalid_grant` (unknown or expired refresh token) or `signed_out` (session ended)'),
      503: errors[503],
    },
  }),
  adminMembers: route({
    method: 'get',
    path: '/v1/admin/members',
    summary: "The team's members with their roles, and its sign-in domains (admin only)",
    security,
    responses: { 200: json(MembersResponseSchema, 'Members and domains'), ...adminErrors },
  }),
  adminSetRole: route({
    method: 'post',
    path: '/v1/admin/members/role',
    summary: "Change a member's role (admin only; audited)",
    security,
    request: { body: { required: true, content: { 'application/json': { schema: SetRoleRequestSchema } } } },
    responses: {
      200: json(MemberResponseSchema, 'The member with the new role'),
      404: json(ErrorBodySchema, 'No such member in the team'),
      409: json(ErrorBodySchema, 'An admin cannot change their own role'),
      ...adminErrors,
    },
  }),
  adminRevokeMember: route({
    method: 'post',
    path: '/v1/admin/members/revoke',
    summary: 'Remove a member: every session and token of theirs stops at once (next request: 401 `signed_out`; admin only; audited)',
    security,
    request: { body: { required: true, content: { 'application/json': { schema: RevokeMemberRequestSchema } } } },
    responses: {
      200: json(MemberResponseSchema, 'The removed member'),
      404: json(ErrorBodySchema, 'No such member in the team'),
      409: json(ErrorBodySchema, 'An admin cannot remove themselves'),
      ...adminErrors,
    },
  }),
  adminSetDomains: route({
    method: 'put',
    path: '/v1/admin/domains',
    summary: 'The e-mail domains whose verified addresses join this team by single sign-on, as reps (admin only; audited)',
    security,
    request: { body: { required: true, content: { 'application/json': { schema: SetDomainsRequestSchema } } } },
    responses: { 200: json(DomainsResponseSchema, 'The saved domains'), 409: json(ErrorBodySchema, 'A domain belongs to another team'), ...adminErrors },
  }),
  adminInvites: route({
    method: 'get',
    path: '/v1/admin/invites',
    summary: "The team's invitations, newest first (admin only)",
    security,
    responses: { 200: json(InvitesResponseSchema, 'Invitations'), ...adminErrors },
  }),
  adminCreateInvite: route({
    method: 'post',
    path: '/v1/admin/invites',
    summary: 'Create a single-use, expiring invitation with a role (admin only; audited). The code is shown once.',
    security,
    request: { body: { required: true, content: { 'application/json': { schema: CreateInviteRequestSchema } } } },
    responses: { 200: json(CreateInviteResponseSchema, 'The invitation and its code'), ...adminErrors },
  }),
  adminTokens: route({
    method: 'get',
    path: '/v1/admin/tokens',
    summary: "The team's integration tokens (never their secrets; admin only)",
    security,
    responses: { 200: json(TokensResponseSchema, 'Integration tokens'), ...adminErrors },
  }),
  adminCreateToken: route({
    method: 'post',
    path: '/v1/admin/tokens',
    summary: 'Create an integration token limited to scopes (e.g. `handoffs:write` for a marketing-automation tool; admin only; audited). The secret is shown once.',
    security,
    request: { body: { required: true, content: { 'application/json': { schema: CreateTokenRequestSchema } } } },
    responses: { 200: json(CreateTokenResponseSchema, 'The token and its secret'), ...adminErrors },
  }),
  adminRevokeToken: route({
    method: 'post',
    path: '/v1/admin/tokens/revoke',
    summary: 'Revoke an integration token at once (admin only; audited)',
    security,
    request: { body: { required: true, content: { 'application/json': { schema: RevokeTokenRequestSchema } } } },
    responses: { 200: json(TokenResponseSchema, 'The revoked token'), 404: json(ErrorBodySchema, 'No such token in the team'), ...adminErrors },
  }),
  adminRevokeInvite: route({
    method: 'post',
    path: '/v1/admin/invites/revoke',
    summary: 'Withdraw an open invitation: its link stops working at once (admin only; audited)',
    security,
    request: { body: { required: true, content: { 'application/json': { schema: RevokeInviteRequestSchema } } } },
    responses: {
      200: json(InviteResponseSchema, 'The invitation, withdrawn (or already expired or withdrawn)'),
      404: json(ErrorBodySchema, 'No such invitation in the team'),
      409: json(ErrorBodySchema, 'The invitation was already used: remove the member instead'),
      ...adminErrors,
    },
  }),
  adminAudit: route({
    method: 'get',
    path: '/v1/admin/audit',
    summary: 'The audit log of admin actions (who, what, when), newest first (admin only)',
    security,
    request: { query: AuditQuerySchema },
    responses: { 200: json(AuditResponseSchema, 'Audit entries'), ...adminErrors },
  }),
  postReadHealth: route({
    method: 'post',
    path: '/v1/health/reads',
    summary: "Report this browser's read health: per CRM, page kind and UTC day, how many lead and list reads were OK, partial or failing (any member)",
    description:
      "Anonymous counts only: which fields were missing how often, adapter versions, anchor strategies and CRM release markers; never a record id or a value. Each day replaces what the caller posted before for the same CRM, page kind and day, so posting again is harmless. Days older than the window the server keeps, or later than tomorrow (UTC), are ignored. A jump in a CRM's failing reads may alert the team's channels (once per CRM and day).",
    security,
    request: { body: { required: true, content: { 'application/json': { schema: PostReadHealthRequestSchema } } } },
    responses: { 200: json(PostReadHealthResponseSchema, 'Days stored and ignored'), 403: json(ErrorBodySchema, '`insufficient_scope`: an integration token'), ...errors },
  }),
  adminReadHealth: route({
    method: 'get',
    path: '/v1/admin/read-health',
    summary: 'Per CRM: reads OK, partial or failing, since when, and the fields missed most (admin only)',
    security,
    responses: { 200: json(ReadHealthResponseSchema, 'Read health per CRM'), ...adminErrors },
  }),
  openapi: route({
    method: 'get',
    path: '/v1/openapi.json',
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } } },
  }),
  getAdapters: route({
    method: 'get',
    path: '/v1/adapters',
    summary: "The team's adapter descriptions: how its extensions read each built-in CRM UI (issue 16)",
    description:
      'At most one per UI (`salesforce-lightning`, `salesforce-classic`, `hubspot`, `dynamics-365`). An extension uses one instead of its bundled description when its `version` is higher, from the next page load. Data only (selectors, labels, regular expressions), never code.',
    security,
    responses: { 200: json(AdapterDescriptionsResponseSchema, 'Descriptions'), 401: errors[401] },
  }),
  putAdapter: route({
    method: 'put',
    path: '/v1/adapters',
    summary: "Set the team's description of one built-in CRM UI (admin only)",
    description: 'Replaces the stored description of its `ui`; its `version` must be above the stored one (409 otherwise) and, to take effect, above the version bundled with the extensions.',
    security,
    request: { body: { required: true, content: { 'application/json': { schema: PutAdapterDescriptionRequestSchema } } } },
    responses: {
      200: json(PutAdapterDescriptionRequestSchema, 'The saved description'),
      403: json(ErrorBodySchema, 'The caller is not a team admin'),
      409: json(ErrorBodySchema, 'A description of that UI with the same or a higher version is stored'),
      ...errors,
    },
  }),
};

export type ApiRoute = (typeof API)[keyof typeof API];

/** The schema of a route's 200 reply: what a client parses the reply with. */
export function okSchema<R extends { responses: { 200: { content: { 'application/json': { schema: z.ZodType } } } } }>(route: R): R['responses'][200]['content']['application/json']['schema'] {
  return route.responses[200].content['application/json'].schema;
}

/** Everything but the routes: the document's header, generated with them by the server. */
export const OPENAPI_INFO = {
  title: 'SAL Bridge sync API',
  version: '1.0.0',
  description:
    'The protocol between the SAL Bridge extension and a sync backend. Authenticate with `Authorization: Bearer <token>`. Errors are `{ error: { code, message } }`. The reference server admits, by CORS, only the extension origins it is configured with.',
};
