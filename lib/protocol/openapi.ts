import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { LeadEventSchema, SequencedEventSchema } from '../domain/events';
import { SalDefinitionSchema } from '../domain/definition';
import {
  ErrorBodySchema,
  HandoffItemSchema,
  HandoffRequestSchema,
  HandoffResponseSchema,
  HealthResponseSchema,
  MeResponseSchema,
  PullQuerySchema,
  PullResponseSchema,
  PushResponseSchema,
  PutSettingsRequestSchema,
  ROUTES,
  SettingsResponseSchema,
  MAX_PUSH_BATCH,
} from './http';

/**
 * Names a shared schema in zod's global registry (what `.meta({ id })` does, but on the schema
 * instance itself, so every schema that nests it gets a `$ref` to one component instead of a copy).
 */
function named(schema: z.ZodType, id: string): void {
  if (!z.globalRegistry.has(schema)) z.globalRegistry.add(schema, { id });
}

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const errors = {
  400: json(ErrorBodySchema, 'Malformed request (not the documented shape)'),
  401: json(ErrorBodySchema, 'No bearer token, or an unknown or revoked one'),
  413: json(ErrorBodySchema, 'Body larger than the server accepts; split the batch'),
  429: json(ErrorBodySchema, 'Rate limit of this token reached; retry after `Retry-After` seconds'),
};

/**
 * The OpenAPI 3.1 document of the `/v1` protocol, generated from the zod schemas in `http.ts`
 * (served by the reference server at `/v1/openapi.json`).
 */
export function buildOpenApiDocument(serverUrl?: string): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  const security = [{ [bearer.name]: [] }];
  named(LeadEventSchema, 'LeadEvent');
  named(SequencedEventSchema, 'SequencedEvent');
  named(SalDefinitionSchema, 'SalDefinition');
  named(ErrorBodySchema, 'Error');

  registry.registerPath({
    method: 'get',
    path: ROUTES.health,
    summary: 'Liveness check (no authentication)',
    responses: { 200: json(HealthResponseSchema, 'The server is up') },
  });
  registry.registerPath({
    method: 'post',
    path: ROUTES.events,
    summary: 'Push a batch of client events (idempotent by event id)',
    description: `1..${MAX_PUSH_BATCH} events. Each is validated on its own: a malformed one is \`rejected\` with a reason and the others are stored. Re-sending a stored event is a \`duplicate\` (no-op). The server assigns a per-team sequence. A token records events in its own user's name only: an event whose \`actor.id\` is neither the caller's user id (\`GET /v1/me\`) nor a local-only actor (\`local-…\`, made by the extension before its user signed in, stored as submitted by the caller) is \`rejected\` with a reason starting \`actor_mismatch:\`; no role is exempt.`,
    security,
    request: { body: { required: true, content: { 'application/json': { schema: z.object({ events: z.array(LeadEventSchema).min(1).max(MAX_PUSH_BATCH) }) } } } },
    responses: { 200: json(PushResponseSchema, 'One result per event, in request order'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: ROUTES.events,
    summary: "Pull the team's events after a cursor",
    description: 'Pass `nextCursor` back as `since` until `hasMore` is false. An absent or empty `since` reads from the start.',
    security,
    request: { query: PullQuerySchema },
    responses: { 200: json(PullResponseSchema, 'A page of events in sequence order'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: ROUTES.me,
    summary: "The caller's user, team and role",
    security,
    responses: { 200: json(MeResponseSchema, 'Who the token belongs to'), 401: errors[401] },
  });
  registry.registerPath({
    method: 'get',
    path: ROUTES.settings,
    summary: "The team's SAL definition (versions, SLA clocks and calendar, reject reasons)",
    security,
    responses: { 200: json(SettingsResponseSchema, 'Team settings'), 401: errors[401] },
  });
  registry.registerPath({
    method: 'put',
    path: ROUTES.settings,
    summary: "Set the team's SAL definition (admin only)",
    description: 'The server assigns the version: a definition identical to a stored version re-activates it, anything else becomes a new version.',
    security,
    request: { body: { required: true, content: { 'application/json': { schema: PutSettingsRequestSchema } } } },
    responses: {
      200: json(SettingsResponseSchema, 'The saved settings'),
      403: json(ErrorBodySchema, 'The caller is not a team admin'),
      409: json(ErrorBodySchema, '`baseRevision` is stale'),
      ...errors,
    },
  });
  registry.registerPath({
    method: 'post',
    path: ROUTES.handoffs,
    summary: 'MQL intake: create `handed_over` events from a marketing-automation tool or a CSV upload',
    description:
      'JSON (an array of items or `{ handoffs: [...] }`) or `text/csv` with a header row (item columns plus lead snapshot columns `name`, `company`, `title`, `email`, `phone`, `leadSource`, `status`, `url`). A CSV file may be UTF-8 (with or without BOM) or Shift_JIS as Excel saves it on a Japanese PC: the `charset` parameter is honoured, and without one the bytes are read as UTF-8 when valid, else as Shift_JIS. Idempotent on (lead, `handedOverAt`). The events are recorded in the name of the caller.',
    security,
    request: {
      body: {
        required: true,
        content: {
          'application/json': { schema: z.union([z.array(HandoffItemSchema), z.object({ handoffs: z.array(HandoffItemSchema) })]) },
          'text/csv': { schema: z.string() },
        },
      },
    },
    responses: {
      200: json(HandoffResponseSchema, 'One result per item or data row, in order'),
      415: json(ErrorBodySchema, 'A CSV `charset` other than UTF-8 or Shift_JIS'),
      ...errors,
    },
  });
  registry.registerPath({
    method: 'get',
    path: ROUTES.openapi,
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } } },
  });
  void HandoffRequestSchema; // the server validates with it; the document shows the item shape instead

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'SAL Bridge sync API',
      version: '1.0.0',
      description: 'The protocol between the SAL Bridge extension and a sync backend. Authenticate with `Authorization: Bearer <token>`. Errors are `{ error: { code, message } }`.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
  });
}
