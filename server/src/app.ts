import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { z } from 'zod';
import { API_VERSION, DEFAULT_PULL_LIMIT, DOCUMENT_COMPONENTS, HandoffRequestSchema, type MeResponse } from '../../lib/protocol/http';
import { API, BEARER_SCHEME, OPENAPI_INFO } from '../../lib/protocol/routes';
import { EXTENSION_ORIGIN } from '../../lib/protocol/extension-id';
import { canRecord } from '../../lib/domain/roles';
import type { Principal } from './auth';
import type { Database } from './db/types';
import { appliedMigrations, listMigrations } from './db/migrate';
import { decodeCursor, describeIssue, ingestEvents, pullPage } from './events-store';
import { createPulledEventTexts } from './pulled-event-texts';
import { isDataError, isUnavailableError } from './db/errors';
import { handoffItemsFromCsv, intakeHandoffs } from './handoffs';
import { decodeCsvBytes, UnsupportedCharsetError } from './csv';
import { authenticate, fail, jsonBody, requireRole, requireScope, type Env } from './middleware';
import { createDatabaseRequestLimits, createMemoryRequestLimits, type RateLimitConfig } from './rate-limit';
import { getSettings, putSettings, SettingsConflictError } from './settings-store';
import { alertHandlers } from './alerts/routes';
import { readHealthHandlers } from './read-health/routes';
import { getAdapterDescriptions, putAdapterDescription, StaleAdapterVersionError } from './adapters';
import type { TargetPolicy } from './alerts/targets';
import { createOidcVerifier, type OidcConfig } from './oidc';
import { DEFAULT_SESSION_TTL, type SessionTtl } from './sessions';
import { registerAdminRoutes, registerAuthRoutes } from './auth-routes';
import { serveJoinPage } from './join-page';

export interface ServerConfig {
  /**
   * Origins allowed by CORS: exact origins (`chrome-extension://<id>`, `https://crm.example`), or
   * `chrome-extension://*` for any extension if a team really wants that. Default: the
   * extension's own origin only (`EXTENSION_ORIGIN`, the id fixed by the manifest key); other
   * extensions, and web pages, get no CORS headers.
   */
  corsOrigins?: readonly string[];
  /** Largest request body in bytes (default 1 MiB); larger → 413. */
  bodyLimitBytes?: number;
  /** Per-token token bucket (default 120 burst, 20/s); `false` turns it and the unauthenticated one off. */
  rateLimit?: RateLimitConfig | false;
  /**
   * Per-client-address bucket for requests to `/v1` without a valid token (default 30 burst,
   * 1/s): each 401 takes one, and an empty bucket answers 429 before the token is even looked up,
   * so guessing tokens or flooding with bad ones costs the server nothing. `false` turns it off.
   */
  unauthenticatedRateLimit?: RateLimitConfig | false;
  /**
   * The caller's address for the unauthenticated bucket. Default: the socket's remote address
   * (`@hono/node-server`), `unknown` when there is none (e.g. `app.request()` in tests). Behind a
   * reverse proxy every caller shares the proxy's address unless this reads the proxy's header.
   */
  clientAddress?: (c: Context) => string;
  /**
   * Where the rate limiters keep their buckets. Default: `database` on PostgreSQL (the
   * `rate_buckets` table, shared by every instance on it), `memory` on the embedded database
   * (one process is all that can open it, so memory is exact and costs no query).
   */
  rateLimitStore?: 'memory' | 'database';
  /** Receives one structured entry per request (default: none; `main.ts` writes JSON lines to stderr). */
  log?: (entry: Record<string, unknown>) => void;
  /** True once the server is shutting down (`node.ts`): `/readyz` then answers 503 so load balancers stop sending. */
  draining?: () => boolean;
  /** Clock for `receivedAt` and the rate limiter (tests fix it). */
  now?: () => Date;
  /** Which webhook targets alert settings may name (`alerts/targets.ts`; default: public https only). */
  alerts?: Partial<TargetPolicy>;
  /** The team's OpenID provider for single sign-on (`SAL_OIDC_ISSUER`, `SAL_OIDC_CLIENT_ID`); none: invitations and tokens only. */
  oidc?: OidcConfig;
  /** Lifetimes of signed-in sessions (default 15 minutes access, 30 days refresh). */
  sessionTtl?: SessionTtl;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_RATE_LIMIT: RateLimitConfig = { capacity: 120, refillPerSecond: 20 };
export const DEFAULT_UNAUTHENTICATED_RATE_LIMIT: RateLimitConfig = { capacity: 30, refillPerSecond: 1 };

/** The socket peer's address (`unknown` without one, e.g. `app.request()` in tests). */
export function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
/** Seconds a 503 asks the client to wait. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** Does a CORS allow-list entry match this origin? `scheme://*` matches any origin of that scheme. */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => (entry.endsWith('://*') ? origin.startsWith(entry.slice(0, -1)) && origin.length > entry.length - 1 : entry === origin));
}

/**
 * A zod schema as an OpenAPI schema object, made by the same generator as the rest of the
 * document. (`OpenAPIRegistry.register` would need zod's prototype extended with `.openapi()`,
 * which holds only for the zod instance `@hono/zod-openapi` loaded, not always ours.)
 */
function componentSchema(schema: z.ZodType) {
  const probe = { method: 'post', path: '/', request: { body: { content: { 'application/json': { schema } } } }, responses: {} } as const;
  const document = new OpenApiGeneratorV31([{ type: 'route', route: probe }]).generateDocument({ openapi: '3.1.0', info: { title: '', version: '' } });
  const body = document.paths?.['/']?.post?.requestBody;
  if (!body || !('content' in body) || !body.content['application/json']?.schema) throw new Error('no schema generated');
  return body.content['application/json'].schema;
}

/** The scopes a route's `security` declares (an integration token needs one of them). */
function declaredScopes(route: RouteConfig): string[] {
  return (route.security ?? []).flatMap((requirement) => requirement[BEARER_SCHEME] ?? []);
}

/** What a route's handler gets besides the context: its validated query and JSON body, typed from the declaration. */
export type Input<R> = {
  query: R extends { request: { query: infer S extends z.ZodType } } ? z.output<S> : undefined;
  body: R extends { request: { body: { content: { 'application/json': { schema: infer S extends z.ZodType } } } } } ? z.output<S> : undefined;
};

type Handler<R> = (c: Context<Env>, input: Input<R>) => Response | Promise<Response>;
/** Serves one declared route (see `serve` in `createApp`); route modules get it to add theirs. */
export type Serve = <R extends RouteConfig>(route: R, guards: MiddlewareHandler<Env>[], handler: Handler<R>) => void;

/**
 * The reference sync server as a Hono app: call `app.request()` in tests, or serve it with
 * `@hono/node-server` (see `main.ts`). Serves the routes declared in `lib/protocol/routes.ts`
 * and the OpenAPI document generated from them; a route that declares `security` needs a bearer
 * token, and every query is scoped to the token's team.
 */
export function createApp({ db, config = {} }: { db: Database; config?: ServerConfig }): OpenAPIHono<Env> {
  const app = new OpenAPIHono<Env>({
    // a query that is not the declared shape (the JSON body has its own middleware, `jsonBody`)
    defaultHook: (result, c) => (result.success ? undefined : fail(c, 400, 'bad_request', describeIssue(result.error))),
  });
  const now = config.now ?? (() => new Date());
  const log = config.log;
  const corsOrigins = config.corsOrigins ?? [EXTENSION_ORIGIN];
  const store = config.rateLimitStore ?? (db.kind === 'postgres' ? 'database' : 'memory');
  const tokenLimit = config.rateLimit === false ? null : (config.rateLimit ?? DEFAULT_RATE_LIMIT);
  const addressLimit = config.rateLimit === false || config.unauthenticatedRateLimit === false ? null : (config.unauthenticatedRateLimit ?? DEFAULT_UNAUTHENTICATED_RATE_LIMIT);
  const limits = tokenLimit || addressLimit ? (store === 'database' ? createDatabaseRequestLimits(db, tokenLimit, addressLimit) : createMemoryRequestLimits(tokenLimit, addressLimit)) : null;
  const bodyLimitBytes = config.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;

  const limitBody = bodyLimit({
    maxSize: bodyLimitBytes,
    // The rest of the body is still on its way: close the connection after the answer instead
    // of promising keep-alive on a socket whose next bytes are the unread body.
    onError: (c) => fail(c, 413, 'payload_too_large', `body larger than ${bodyLimitBytes} bytes`, { connection: 'close' }),
  });
  // A GET or HEAD has no body in the Fetch Request @hono/node-server makes, so the body limit
  // always passes it; only asking (`c.req.raw.body`) builds that whole Request (headers, an
  // AbortController, a stream) on each of a sync round's two GETs. Those skip it.

  // Authentication, then the caller's rate limit (both in `authenticate`), then the body limit:
  // an unauthenticated caller cannot make the server read a body, and an authenticated one is
  // limited before it costs work.
  const secured: MiddlewareHandler<Env>[] = [
    authenticate({ db, limits, clientAddress: config.clientAddress ?? socketAddress, now }),
    (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)),
  ];

  /**
   * Serves one declared route: the document gets the declaration as it is; the request passes
   * `secured` when the route declares `security`, then `guards`, then the query (validated by
   * `@hono/zod-openapi`) and the JSON body (`jsonBody`) against the declared schemas.
   */
  function serve<R extends RouteConfig>(route: R, guards: MiddlewareHandler<Env>[], handler: Handler<R>) {
    app.openAPIRegistry.registerPath(route);
    const body = route.request?.body?.content;
    const declared = body?.['application/json'];
    const validateBody = body && declared && 'schema' in declared ? [jsonBody(declared.schema as z.ZodType, Object.keys(body))] : [];
    const served = {
      ...route,
      // registered above as declared; the body is left out here so that only `jsonBody` reads it
      hide: true,
      request: route.request?.query ? { query: route.request.query } : undefined,
      middleware: [...(route.security ? [...secured, requireScope(declaredScopes(route))] : []), ...guards, ...validateBody],
    } satisfies RouteConfig;
    app.openapi(served, ((c: Context<Env>) => handler(c, { query: c.req.valid('query' as never), body: c.get('body') } as Input<R>)) as never);
  }

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    // shutting down: the client opens its next request elsewhere instead of on this connection
    if (config.draining?.()) c.header('connection', 'close');
    if (!log) return;
    const principal = c.get('principal') as Principal | undefined;
    log({
      time: new Date().toISOString(),
      level: c.res.status >= 500 ? 'error' : 'info',
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      ...(principal ? { team: principal.teamId, user: principal.userId } : {}),
    });
  });

  const allowedOrigin = (origin: string | undefined) => (origin && originAllowed(origin, corsOrigins) ? origin : null);
  const preflight = cors({
    origin: allowedOrigin,
    allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
    allowHeaders: ['authorization', 'content-type'],
    exposeHeaders: ['retry-after'],
    maxAge: 600,
  });
  // Preflights go to Hono's `cors`. An actual request gets the same headers it would add, set
  // before the handler answers: `cors` adds `Vary` after it (and the allowed origin on a
  // response made before), which makes Hono rebuild the finished response through a full Fetch
  // Response and a stream, about a sixth of an instance's CPU per sync request (session 9).
  app.use('*', async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    const origin = allowedOrigin(c.req.header('origin'));
    if (origin) c.header('access-control-allow-origin', origin);
    c.header('access-control-expose-headers', 'retry-after');
    c.header('vary', 'Origin', { append: true });
    await next();
  });

  app.onError((error, c) => {
    log?.({ time: new Date().toISOString(), level: 'error', method: c.req.method, path: c.req.path, message: error.message });
    // the database being away is not the request's fault: the client backs off and retries
    if (isUnavailableError(error)) return fail(c, 503, 'unavailable', 'the database is unavailable, try again later', { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) });
    // a value the schemas let through but the database refuses is still the request's fault
    if (isDataError(error)) return fail(c, 400, 'bad_request', 'the request holds a value the database cannot store');
    return fail(c, 500, 'internal', 'internal server error');
  });
  app.notFound((c) => fail(c, 404, 'not_found', `no route ${c.req.method} ${c.req.path}`));

  serve(API.health, [], (c) => c.json({ ok: true as const, version: API_VERSION }));
  // the invitation handover page the admin sends (an HTML page for people, not part of the /v1 API)
  app.get('/join', (c) => serveJoinPage(c));

  const needed = listMigrations().map((m) => m.version);
  serve(API.ready, [], async (c) => {
    const notReady = (message: string) => fail(c, 503, 'unavailable', message, { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) });
    if (config.draining?.()) return notReady('the server is shutting down');
    let applied: number[];
    try {
      applied = await appliedMigrations(db);
    } catch (error) {
      log?.({ time: new Date().toISOString(), level: 'error', method: c.req.method, path: c.req.path, message: error instanceof Error ? error.message : String(error) });
      return notReady('the database is unavailable');
    }
    const missing = needed.filter((v) => !applied.includes(v));
    if (missing.length > 0) return notReady(`the database schema is behind this server (missing migrations ${missing.join(', ')}): run \`npm run server:cli migrate\``);
    return c.json({ ok: true as const, schemaVersion: Math.max(0, ...applied) });
  });

  let openapi: string | null = null;
  app.openAPIRegistry.registerComponent('securitySchemes', BEARER_SCHEME, { type: 'http', scheme: 'bearer' });
  for (const [name, schema] of Object.entries(DOCUMENT_COMPONENTS)) app.openAPIRegistry.registerComponent('schemas', name, componentSchema(schema));
  serve(API.openapi, [], (c) => {
    openapi ??= JSON.stringify(app.getOpenAPI31Document({ openapi: '3.1.0', info: OPENAPI_INFO }));
    return c.body(openapi, 200, { 'content-type': 'application/json; charset=utf-8' });
  });

  serve(API.pushEvents, [], async (c, { body }) => c.json({ results: await ingestEvents(db, c.get('principal'), body.events, now()) }));

  const pulledTexts = createPulledEventTexts();
  serve(API.pullEvents, [], async (c, { query }) => {
    const cursor = decodeCursor(query.since);
    if (cursor === null) return fail(c, 400, 'bad_request', 'since: not a cursor this server issued');
    const page = await pullPage(db, c.get('principal').teamId, cursor, query.limit ?? DEFAULT_PULL_LIMIT, pulledTexts);
    if ('reset' in page) {
      return fail(c, 410, 'cursor_reset', 'since: the cursor is from another epoch of this server or past its history; pull from the start and push your events again');
    }
    return c.body(page.json, 200, { 'content-type': 'application/json; charset=utf-8' });
  });

  serve(API.me, [], (c) => {
    const p = c.get('principal');
    const me: MeResponse = { user: { id: p.userId, name: p.userName }, team: { id: p.teamId, name: p.teamName }, role: p.role };
    return c.json(me);
  });

  serve(API.getSettings, [], async (c) => c.json(await getSettings(db, c.get('principal').teamId)));

  serve(API.putSettings, [requireRole('admin', 'only a team admin may change settings')], async (c, { body }) => {
    try {
      return c.json(await putSettings(db, c.get('principal'), body, now()));
    } catch (error) {
      if (error instanceof SettingsConflictError) return fail(c, 409, 'conflict', error.message);
      throw error;
    }
  });

  const mayHandOver: MiddlewareHandler<Env> = async (c, next) => {
    const principal = c.get('principal');
    const { activeDefinition } = await getSettings(db, principal.teamId);
    if (!canRecord(principal.role, 'handed_over', activeDefinition.rolePermissions)) return fail(c, 403, 'forbidden', `a ${principal.role} may not hand over leads`);
    await next();
  };
  serve(API.handoffs, [mayHandOver], async (c, { body }) => {
    let items: unknown[];
    const via = body !== undefined ? 'api' : 'csv';
    if (body !== undefined) {
      items = Array.isArray(body) ? body : body.handoffs;
    } else {
      // text/csv (`jsonBody` left it here)
      try {
        // bytes, not text(): an Excel CSV from a Japanese PC is Shift_JIS, often unlabelled
        const charset = /;\s*charset=([^;]+)/.exec((c.req.header('content-type') ?? '').toLowerCase())?.[1];
        items = handoffItemsFromCsv(decodeCsvBytes(new Uint8Array(await c.req.arrayBuffer()), charset));
      } catch (error) {
        if (error instanceof UnsupportedCharsetError) return fail(c, 415, 'unsupported_media_type', `CSV: ${error.message}`);
        return fail(c, 400, 'bad_request', `CSV: ${error instanceof Error ? error.message : String(error)}`);
      }
      const parsed = HandoffRequestSchema.safeParse(items);
      if (!parsed.success) return fail(c, 400, 'bad_request', `CSV: ${describeIssue(parsed.error)} (a header row and 1..1000 data rows)`);
    }
    return c.json({ results: await intakeHandoffs(db, c.get('principal'), items, now(), via) });
  });

  const alerts = alertHandlers(db, config.alerts, now);
  serve(API.getAlertSettings, [alerts.adminOnly], (c) => alerts.getSettings(c));
  serve(API.putAlertSettings, [alerts.adminOnly], (c, { body }) => alerts.putSettings(c, body));
  serve(API.alertDeliveries, [alerts.adminOnly], (c, { query }) => alerts.deliveries(c, query));
  const readHealth = readHealthHandlers(db, now, log);
  serve(API.postReadHealth, [], (c, { body }) => readHealth.post(c, body));
  serve(API.adminReadHealth, [readHealth.adminOnly], (c) => readHealth.summary(c));
  const ttl = config.sessionTtl ?? DEFAULT_SESSION_TTL;
  serve(API.getAdapters, [], async (c) => c.json({ descriptions: await getAdapterDescriptions(db, c.get('principal').teamId) }));
  serve(API.putAdapter, [requireRole('admin', 'only a team admin may change adapter descriptions')], async (c, { body }) => {
    try {
      return c.json(await putAdapterDescription(db, c.get('principal'), body, now()));
    } catch (error) {
      if (error instanceof StaleAdapterVersionError) return fail(c, 409, 'conflict', error.message);
      throw error;
    }
  });

  registerAuthRoutes(serve, { db, now, ttl, oidc: config.oidc ? createOidcVerifier(config.oidc) : null });
  registerAdminRoutes(serve, { db, now });

  return app;
}
