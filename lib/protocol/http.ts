import { z } from 'zod';
import { ActorSchema, HandoffRationaleSchema, LeadEventSchema, LeadSnapshotSchema, MAX_CLOCK_SKEW_MS, pgSafeDateTime, pgSafeString, SequencedEventSchema, UlidSchema } from '../domain/events';
import { CrmIdSchema } from '../domain/lead-key';
import { SalDefinitionSchema } from '../domain/definition';
import { RoleSchema, type Role } from '../domain/roles';

/**
 * The HTTP protocol between the extension (or any client) and a SAL Bridge sync backend, version 1.
 * The routes that carry these schemas are declared in `routes.ts`; the reference server in
 * `server/` serves them and generates the OpenAPI document (`/v1/openapi.json`) from them, and the
 * extension's sync client calls them, so a team that implements the API in its own system has one
 * description to follow.
 *
 * Everything here is wire shape only: no I/O, no clock.
 */
export const API_VERSION = 'v1';

/**
 * How far an event's `occurredAt` may differ from the server's receive time and still be taken
 * as the time it happened: later than `receivedAt + MAX_CLOCK_SKEW_MS` is refused
 * (`occurred_in_future`); earlier than `receivedAt - MAX_CLOCK_SKEW_MS` is judged (SLA, undo
 * window) at `receivedAt - MAX_CLOCK_SKEW_MS`, since the server cannot tell an honest offline
 * delay from a backdated claim. Defined with that rule (`judgedAt`) in `lib/domain/events.ts`.
 */
export { MAX_CLOCK_SKEW_MS };

/** Most events one `POST /v1/events` may carry; a client splits larger outboxes into batches. */
export const MAX_PUSH_BATCH = 200;
/** Default and maximum page size of `GET /v1/events`. */
export const DEFAULT_PULL_LIMIT = 500;
export const MAX_PULL_LIMIT = 1000;
/** Most hand-offs one `POST /v1/handoffs` may carry (JSON items or CSV data rows). */
export const MAX_HANDOFF_BATCH = 1000;

/**
 * Batch items are validated one by one after the envelope, so one bad item is rejected alone:
 * the envelope takes them as `unknown`, and the OpenAPI document shows them as the component
 * named here (the server registers `DOCUMENT_COMPONENTS` under these names).
 */
function documentedAs(component: 'LeadEvent' | 'HandoffItem') {
  return z.unknown().meta({ $ref: `#/components/schemas/${component}` });
}

// ---------------------------------------------------------------------------------------------
// Errors

/** The refusals of a sign-in, each its own code so the options page can say what went wrong. */
export const SIGN_IN_ERROR_CODES = [
  'oidc_not_configured',
  'wrong_issuer',
  'wrong_audience',
  'id_token_expired',
  'bad_signature',
  'nonce_replayed',
  'email_unverified',
  'unknown_domain',
  'invalid_grant',
  'invite_invalid',
  'invite_used',
  'invite_expired',
] as const;
/**
 * `cursor_reset` (HTTP 410 on `GET /v1/events`): the cursor was issued by another epoch of this
 * server (its database was reset or replaced) or points past the team's history (restored from
 * a backup). The client must forget its cursor and sequences, pull from the start and push its
 * own events again (idempotent by id).
 */
export const ErrorCodeSchema = z.enum([
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'cursor_reset',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal',
  'unavailable',
  // sessions (401): the access token's time is up, refresh it (`POST /v1/auth/refresh`)
  'token_expired',
  // 401: the session or token was ended (member removed, session revoked, refresh token replayed): sign in again
  'signed_out',
  // 403: an integration token used outside its scopes
  'insufficient_scope',
  // sign-in refusals (`POST /v1/auth/oidc`, `/v1/auth/invite`, `/v1/auth/refresh`)
  ...SIGN_IN_ERROR_CODES,
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** Body of every non-2xx answer. 429 and 503 also carry a `Retry-After` header (seconds). */
export const ErrorBodySchema = z.object({
  error: z.object({ code: ErrorCodeSchema, message: z.string() }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

// ---------------------------------------------------------------------------------------------
// POST /v1/events

/**
 * The push request. Events are `unknown` here on purpose: each one is validated on its own
 * against `LeadEventSchema`, so one malformed event is `rejected` and the rest of the batch still
 * goes in. A body that is not `{ events: [...] }` with 1..200 items is a 400.
 */
export const PushRequestSchema = z.object({
  events: z.array(documentedAs('LeadEvent')).min(1).max(MAX_PUSH_BATCH),
});
export type PushRequest = z.infer<typeof PushRequestSchema>;

export const PushStatusSchema = z.enum(['accepted', 'duplicate', 'conflict', 'rejected']);
export type PushStatus = z.infer<typeof PushStatusSchema>;

/**
 * One result per pushed event, in request order. `accepted`: stored now, with its team sequence;
 * `duplicate`: an event with this id was already stored (re-sending is a no-op; `seq` is the
 * stored one); `rejected`: invalid, with a reason; re-sending it unchanged will not help. An
 * event whose `actor.id` is neither the caller's user id nor a local-only actor (`local-…`) of
 * the caller (bound to the first member who pushes it) is rejected with a reason starting
 * `actor_mismatch:` (a token records in its own user's name). The stored `actor.name` is the
 * member's display name, whatever the client wrote.
 * `conflict`: an event with this id is stored with a different body (compared after parsing,
 * `occurredAt` as an instant, `actor.name` ignored); the stored one stands.
 * `rejected` and `conflict` are the server's final word on that event (the client dead-letters
 * it); `reason` starts with a machine-readable code and a colon (`invalid:`, `actor_mismatch:`,
 * `forbidden_role:`, `occurred_in_future:`, `undo_window_passed:`, `not_own_event:`, `conflict:`).
 * `receivedAt` is the server's receive time of the stored event (accepted and duplicate): the
 * time SLAs and the undo window are judged by (see MAX_CLOCK_SKEW_MS).
 * `id` is the event's id as sent (empty when the item had no readable id).
 */
export const PushResultSchema = z.object({
  id: z.string(),
  status: PushStatusSchema,
  seq: z.number().int().positive().optional(),
  receivedAt: z.iso.datetime({ offset: true }).optional(),
  reason: z.string().optional(),
});
export type PushResult = z.infer<typeof PushResultSchema>;

export const PushResponseSchema = z.object({ results: z.array(PushResultSchema) });
export type PushResponse = z.infer<typeof PushResponseSchema>;

// ---------------------------------------------------------------------------------------------
// GET /v1/events

/** Opaque pull position. Clients store it per backend and send it back unchanged. */
export const CursorSchema = z.string().max(100);
export type Cursor = z.infer<typeof CursorSchema>;

/** Query of a pull: `since` absent or empty = from the start of the team's history. */
export const PullQuerySchema = z.object({
  since: CursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).optional(),
});
export type PullQuery = z.infer<typeof PullQuerySchema>;

/**
 * A page of the team's events in sequence order. Send `nextCursor` as `since` to continue;
 * `hasMore` says whether another page is already available. `nextCursor` is returned even when
 * `events` is empty (then it equals the position the client sent).
 */
export const PullResponseSchema = z.object({
  events: z.array(SequencedEventSchema),
  nextCursor: CursorSchema,
  hasMore: z.boolean(),
});
export type PullResponse = z.infer<typeof PullResponseSchema>;

// ---------------------------------------------------------------------------------------------
// GET /v1/me

/** Defined with the permissions of each role in `lib/domain/roles.ts`. */
export { RoleSchema, type Role };

export const MeResponseSchema = z.object({
  user: z.object({ id: z.string(), name: z.string() }),
  team: z.object({ id: z.string(), name: z.string() }),
  role: RoleSchema,
});
export type MeResponse = z.infer<typeof MeResponseSchema>;

// ---------------------------------------------------------------------------------------------
// GET / PUT /v1/settings

/**
 * The team's settings: its SAL definition (SLA clocks and calendar, reject reasons, criteria),
 * versioned. Stored versions are immutable, because every decision event records the version
 * it was made under; a changed definition is saved as a new version.
 *
 * `revision` counts saves (0 = the team never saved settings: `activeDefinition` is the built-in
 * default and `managed` is false). `definitions` holds every stored version, oldest first.
 */
export const SettingsResponseSchema = z.object({
  revision: z.number().int().nonnegative(),
  managed: z.boolean(),
  activeDefinition: SalDefinitionSchema,
  definitions: z.array(SalDefinitionSchema),
  updatedAt: z.iso.datetime({ offset: true }).nullable(),
  updatedBy: z.string().nullable(),
});
export type SettingsResponse = z.infer<typeof SettingsResponseSchema>;

/**
 * Make `activeDefinition` the team's definition (admin only). The server assigns its version:
 * identical (apart from `version`) to a stored version → that version becomes active again;
 * otherwise it is stored as a new version, one above the highest. `baseRevision`, when given,
 * must equal the stored `revision` (a stale editor gets 409 instead of overwriting).
 */
export const PutSettingsRequestSchema = z.object({
  activeDefinition: SalDefinitionSchema,
  baseRevision: z.number().int().nonnegative().optional(),
});
export type PutSettingsRequest = z.infer<typeof PutSettingsRequestSchema>;

// ---------------------------------------------------------------------------------------------
// POST /v1/handoffs

/**
 * One MQL handed to sales, from a marketing-automation tool or a CSV row. The server turns it
 * into a `handed_over` event (its id a ULID made by the server). Idempotent: the same lead with
 * the same `handedOverAt` twice is a duplicate. Without `handedOverAt` the hand-off happens now,
 * unless the lead was already handed over, which is then reported as a duplicate.
 */
export const HandoffItemSchema = z.object({
  crm: CrmIdSchema,
  recordId: pgSafeString().trim().min(1).max(200),
  by: pgSafeString().trim().min(1).max(200),
  owner: pgSafeString().max(200).optional(),
  source: pgSafeString().max(200).optional(),
  campaign: pgSafeString().max(200).optional(),
  score: z.coerce.number().finite().optional(),
  note: pgSafeString().max(4000).optional(),
  handedOverAt: pgSafeDateTime().optional(),
  lead: LeadSnapshotSchema.optional(),
  /**
   * Who sends it through the API: `api` (a marketing tool, the default) or `agent` (an AI agent,
   * e.g. a prospecting or nurturing agent). A CSV upload is always recorded as `csv`.
   */
  sourceKind: z.enum(['api', 'agent']).optional(),
  /** The sender's reasons, shown to the rep above 受領 / 却下 (CSV columns `why`, `rationaleScore`, `intentTopic`). */
  rationale: HandoffRationaleSchema.extend({ score: z.coerce.number().finite().optional() }).optional(),
});
export type HandoffItem = z.infer<typeof HandoffItemSchema>;

/** JSON form: a bare array of items, or `{ handoffs: [...] }`. CSV form: `text/csv` with a header row. */
export const HandoffRequestSchema = z.union([
  z.array(documentedAs('HandoffItem')).min(1).max(MAX_HANDOFF_BATCH),
  z.object({ handoffs: z.array(documentedAs('HandoffItem')).min(1).max(MAX_HANDOFF_BATCH) }),
]);

/** The schemas `documentedAs` refers to, by component name. */
export const DOCUMENT_COMPONENTS = { LeadEvent: LeadEventSchema, HandoffItem: HandoffItemSchema };

/** Per item (or CSV data row, `index` 0 = the first data row): the created event, or why not. */
export const HandoffResultSchema = z.object({
  index: z.number().int().nonnegative(),
  status: PushStatusSchema,
  id: UlidSchema.optional(),
  leadKey: z.string().optional(),
  seq: z.number().int().positive().optional(),
  reason: z.string().optional(),
});
export type HandoffResult = z.infer<typeof HandoffResultSchema>;

export const HandoffResponseSchema = z.object({ results: z.array(HandoffResultSchema) });
export type HandoffResponse = z.infer<typeof HandoffResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Sign-in and sessions: /v1/auth/*

export type SignInErrorCode = (typeof SIGN_IN_ERROR_CODES)[number];

/** What the server tells an extension before sign-in: its identity provider, if it has one. */
export const AuthConfigResponseSchema = z.object({
  oidc: z
    .object({
      issuer: z.string().url(),
      clientId: z.string().min(1),
      /** The provider's authorization endpoint (from its discovery document), where the extension starts the flow. */
      authorizationEndpoint: z.string().url(),
      scopes: z.array(z.string()),
    })
    .nullable(),
});
export type AuthConfigResponse = z.infer<typeof AuthConfigResponseSchema>;

/** A single-use invitation code (URL-safe, as the invitation link carries it). */
export const InviteCodeSchema = z.string().min(20).max(200);

/**
 * OIDC sign-in: the authorization code with its PKCE verifier and the redirect URI it was issued
 * for (the server redeems it at the provider's token endpoint), or an ID token the extension got
 * itself. `nonce` is the one the extension put in the authorization request: the ID token must
 * carry it, and a nonce is accepted once. `invite` joins the team of that invitation when the
 * e-mail's domain is not a team's.
 */
export const OidcSignInRequestSchema = z.union([
  z.object({
    code: z.string().min(1).max(2000),
    codeVerifier: z.string().min(43).max(128),
    redirectUri: z.string().url(),
    nonce: z.string().min(16).max(200),
    invite: InviteCodeSchema.optional(),
  }),
  z.object({ idToken: z.string().min(1).max(20_000), nonce: z.string().min(16).max(200), invite: InviteCodeSchema.optional() }),
]);
export type OidcSignInRequest = z.infer<typeof OidcSignInRequestSchema>;

export const InviteSignInRequestSchema = z.object({ code: InviteCodeSchema });
export type InviteSignInRequest = z.infer<typeof InviteSignInRequestSchema>;
/** What an invitation would do, asked before taking it (`POST /v1/auth/invite/preview`). */
export const InvitePreviewSchema = z.object({
  team: z.object({ id: z.string(), name: z.string() }),
  name: z.string(),
  role: RoleSchema,
  expiresAt: z.iso.datetime({ offset: true }),
});
export type InvitePreview = z.infer<typeof InvitePreviewSchema>;

export const RefreshRequestSchema = z.object({ refreshToken: z.string().min(1).max(500) });
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>;

/**
 * A server session: a short-lived access token (the bearer of every other route) and a refresh
 * token that buys the next pair once (it is rotated: using it again ends the session).
 */
export const SessionResponseSchema = z.object({
  accessToken: z.string(),
  accessExpiresAt: z.iso.datetime({ offset: true }),
  refreshToken: z.string(),
  refreshExpiresAt: z.iso.datetime({ offset: true }),
  me: MeResponseSchema,
});
export type SessionResponse = z.infer<typeof SessionResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Team administration: /v1/admin/* (admin role, member tokens or sessions only)

/** What an integration token may be limited to. `handoffs:write`: `POST /v1/handoffs` and nothing else. */
export const TokenScopeSchema = z.enum(['handoffs:write']);
export type TokenScope = z.infer<typeof TokenScopeSchema>;

const instant = z.iso.datetime({ offset: true });

export const MemberSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  role: RoleSchema,
  status: z.enum(['active', 'revoked']),
  createdAt: instant,
});
export type Member = z.infer<typeof MemberSchema>;

/** The team's members and the e-mail domains whose verified addresses join it by single sign-on. */
export const MembersResponseSchema = z.object({ members: z.array(MemberSchema), domains: z.array(z.string()) });
export type MembersResponse = z.infer<typeof MembersResponseSchema>;

export const SetRoleRequestSchema = z.object({ userId: z.string().min(1).max(200), role: RoleSchema });
export const RevokeMemberRequestSchema = z.object({ userId: z.string().min(1).max(200) });
export const MemberResponseSchema = z.object({ member: MemberSchema });

/** A domain as it appears after the @ (lower case, no wildcard). */
export const EmailDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'not a domain name');
export const SetDomainsRequestSchema = z.object({ domains: z.array(EmailDomainSchema).max(50) });
export const DomainsResponseSchema = z.object({ domains: z.array(z.string()) });

export const InviteSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  role: RoleSchema,
  createdAt: instant,
  expiresAt: instant,
  status: z.enum(['pending', 'used', 'expired', 'revoked']),
});
export type Invite = z.infer<typeof InviteSchema>;
export const InvitesResponseSchema = z.object({ invites: z.array(InviteSchema) });

/** Most hours an invitation may stay open (a week). */
export const MAX_INVITE_HOURS = 24 * 7;
export const CreateInviteRequestSchema = z.object({
  name: pgSafeString().trim().min(1).max(200),
  role: RoleSchema,
  email: z.email().max(320).optional(),
  expiresInHours: z.number().int().min(1).max(MAX_INVITE_HOURS).default(72),
});
export type CreateInviteRequest = z.input<typeof CreateInviteRequestSchema>;
/** The created invitation and its code: shown once (only its hash is stored). */
export const CreateInviteResponseSchema = z.object({ invite: InviteSchema, code: InviteCodeSchema });
export type CreateInviteResponse = z.infer<typeof CreateInviteResponseSchema>;

export const IntegrationTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(TokenScopeSchema),
  createdAt: instant,
  revokedAt: instant.nullable(),
});
export type IntegrationToken = z.infer<typeof IntegrationTokenSchema>;
export const TokensResponseSchema = z.object({ tokens: z.array(IntegrationTokenSchema) });
export const CreateTokenRequestSchema = z.object({ name: pgSafeString().trim().min(1).max(200), scopes: z.array(TokenScopeSchema).min(1) });
/** The created token and its secret: shown once (only its hash is stored). */
export const CreateTokenResponseSchema = z.object({ token: IntegrationTokenSchema, secret: z.string() });
export type CreateTokenResponse = z.infer<typeof CreateTokenResponseSchema>;
export const RevokeTokenRequestSchema = z.object({ tokenId: z.string().min(1).max(200) });
export const RevokeInviteRequestSchema = z.object({ inviteId: z.string().min(1).max(200) });
export const InviteResponseSchema = z.object({ invite: InviteSchema });
export const TokenResponseSchema = z.object({ token: IntegrationTokenSchema });

export const AUDIT_ACTIONS = [
  'member.joined',
  'member.role_changed',
  'member.revoked',
  'domains.set',
  'invite.created',
  'invite.revoked',
  'token.created',
  'token.revoked',
  'settings.saved',
  'alerts.saved',
  'adapter.saved',
] as const;
export const AuditEntrySchema = z.object({
  id: z.string(),
  at: instant,
  actor: z.object({ id: z.string().nullable(), name: z.string() }),
  action: z.enum(AUDIT_ACTIONS),
  /** Who or what the action was about (a member's or token's name), when anything. */
  target: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export const AuditQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).optional() });
export const AuditResponseSchema = z.object({ entries: z.array(AuditEntrySchema) });

// ---------------------------------------------------------------------------------------------
// GET /healthz

export const HealthResponseSchema = z.object({ ok: z.literal(true), version: z.literal(API_VERSION) });
export type HealthResponse = z.infer<typeof HealthResponseSchema>;

// ---------------------------------------------------------------------------------------------
// GET /readyz

/** Ready: the database answered and holds every migration this server needs (`schemaVersion`: the highest applied). */
export const ReadyResponseSchema = z.object({ ok: z.literal(true), schemaVersion: z.number().int().nonnegative() });
export type ReadyResponse = z.infer<typeof ReadyResponseSchema>;

/** Re-exported so clients building push bodies see the actor shape next to the protocol. */
export { ActorSchema };
