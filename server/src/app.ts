import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  API_VERSION,
  DEFAULT_PULL_LIMIT,
  HandoffRequestSchema,
  PullQuerySchema,
  PushRequestSchema,
  PutSettingsRequestSchema,
  ROUTES,
  type ErrorBody,
  type ErrorCode,
  type MeResponse,
} from '../../lib/protocol/http';
import { buildOpenApiDocument } from '../../lib/protocol/openapi';
import { EXTENSION_ORIGIN } from '../../lib/protocol/extension-id';
import { canRecord } from '../../lib/domain/roles';
import { findPrincipal, type Principal } from './auth';
import type { Database } from './db/types';
import { cursorContext, cursorValid, decodeCursor, describeIssue, ingestEvents, pullEventsJson } from './events-store';
import { isDataError, isUnavailableError } from './db/errors';
import { handoffItemsFromCsv, intakeHandoffs } from './handoffs';
import { decodeCsvBytes, UnsupportedCharsetError } from './csv';
import { createRateLimiter, type RateLimitConfig } from './rate-limit';
import { getSettings, putSettings, SettingsConflictError } from './settings-store';

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
  /** Receives one structured entry per request (default: none; `main.ts` writes JSON lines to stderr). */
  log?: (entry: Record<string, unknown>) => void;
  /** Clock for `receivedAt` and the rate limiter (tests fix it). */
  now?: () => Date;
}

type Env = { Variables: { principal: Principal } };

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_RATE_LIMIT: RateLimitConfig = { capacity: 120, refillPerSecond: 20 };
export const DEFAULT_UNAUTHENTICATED_RATE_LIMIT: RateLimitConfig = { capacity: 30, refillPerSecond: 1 };

function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
/** Seconds a 503 asks the client to wait. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

function fail(c: Context, status: ContentfulStatusCode, code: ErrorCode, message: string, headers?: Record<string, string>) {
  const body: ErrorBody = { error: { code, message } };
  return c.json(body, status, headers);
}

/** Does a CORS allow-list entry match this origin? `scheme://*` matches any origin of that scheme. */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => (entry.endsWith('://*') ? origin.startsWith(entry.slice(0, -1)) && origin.length > entry.length - 1 : entry === origin));
}

async function readJson(c: Context): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    return { ok: true, value: JSON.parse(await c.req.text()) };
  } catch {
    return { ok: false };
  }
}

/**
 * The reference sync server as a Hono app: call `app.request()` in tests, or serve it with
 * `@hono/node-server` (see `main.ts`). Every `/v1` route except the OpenAPI document needs a
 * bearer token; every query is scoped to the token's team.
 */
export function createApp({ db, config = {} }: { db: Database; config?: ServerConfig }): Hono<Env> {
  const app = new Hono<Env>();
  const now = config.now ?? (() => new Date());
  const log = config.log;
  const corsOrigins = config.corsOrigins ?? [EXTENSION_ORIGIN];
  const limiter = config.rateLimit === false ? null : createRateLimiter(config.rateLimit ?? DEFAULT_RATE_LIMIT);
  const unauthenticated = config.rateLimit === false || config.unauthenticatedRateLimit === false ? null : createRateLimiter(config.unauthenticatedRateLimit ?? DEFAULT_UNAUTHENTICATED_RATE_LIMIT);
  const clientAddress = config.clientAddress ?? socketAddress;
  let openapi: string | null = null;

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
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

  app.use(
    '*',
    cors({
      origin: (origin) => (origin && originAllowed(origin, corsOrigins) ? origin : null),
      allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
      allowHeaders: ['authorization', 'content-type'],
      exposeHeaders: ['retry-after'],
      maxAge: 600,
    }),
  );

  app.onError((error, c) => {
    log?.({ time: new Date().toISOString(), level: 'error', method: c.req.method, path: c.req.path, message: error.message });
    // the database being away is not the request's fault: the client backs off and retries
    if (isUnavailableError(error)) return fail(c, 503, 'unavailable', 'the database is unavailable, try again later', { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) });
    // a value the schemas let through but the database refuses is still the request's fault
    if (isDataError(error)) return fail(c, 400, 'bad_request', 'the request holds a value the database cannot store');
    return fail(c, 500, 'internal', 'internal server error');
  });
  app.notFound((c) => fail(c, 404, 'not_found', `no route ${c.req.method} ${c.req.path}`));

  app.get(ROUTES.health, (c) => c.json({ ok: true as const, version: API_VERSION }));
  app.get(ROUTES.openapi, (c) => {
    openapi ??= JSON.stringify(buildOpenApiDocument());
    return c.body(openapi, 200, { 'content-type': 'application/json; charset=utf-8' });
  });

  // Authentication, then the caller's rate limit, then the body limit: an unauthenticated caller
  // cannot make the server read a body, and an authenticated one is limited before it costs work.
  // Failed authentications are limited per client address, checked before the token lookup.
  app.use('/v1/*', async (c, next) => {
    const address = unauthenticated ? clientAddress(c) : '';
    const refuse = (message: string) => {
      const taken = unauthenticated?.take(address, now().getTime());
      if (taken && !taken.ok) return fail(c, 429, 'rate_limited', 'too many requests without a valid token', { 'retry-after': String(taken.retryAfterSeconds) });
      return fail(c, 401, 'unauthorized', message, { 'www-authenticate': 'Bearer' });
    };
    if (unauthenticated) {
      const waiting = unauthenticated.wait(address, now().getTime());
      if (waiting > 0) return fail(c, 429, 'rate_limited', 'too many requests without a valid token', { 'retry-after': String(waiting) });
    }
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) return refuse('missing bearer token');
    const principal = await findPrincipal(db, match[1]);
    if (!principal) return refuse('unknown or revoked token');
    c.set('principal', principal);
    if (limiter) {
      const taken = limiter.take(principal.tokenHash, now().getTime());
      if (!taken.ok) return fail(c, 429, 'rate_limited', 'too many requests', { 'retry-after': String(taken.retryAfterSeconds) });
    }
    await next();
  });
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: config.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
      // The rest of the body is still on its way: close the connection after the answer instead
      // of promising keep-alive on a socket whose next bytes are the unread body.
      onError: (c) => fail(c, 413, 'payload_too_large', `body larger than ${config.bodyLimitBytes ?? DEFAULT_BODY_LIMIT} bytes`, { connection: 'close' }),
    }),
  );

  app.post(ROUTES.events, async (c) => {
    const body = await readJson(c);
    if (!body.ok) return fail(c, 400, 'bad_request', 'body is not JSON');
    const request = PushRequestSchema.safeParse(body.value);
    if (!request.success) return fail(c, 400, 'bad_request', describeIssue(request.error));
    return c.json({ results: await ingestEvents(db, c.get('principal'), request.data.events, now()) });
  });

  app.get(ROUTES.events, async (c) => {
    const query = PullQuerySchema.safeParse(c.req.query());
    if (!query.success) return fail(c, 400, 'bad_request', describeIssue(query.error));
    const cursor = decodeCursor(query.data.since);
    if (cursor === null) return fail(c, 400, 'bad_request', 'since: not a cursor this server issued');
    const teamId = c.get('principal').teamId;
    const context = await cursorContext(db, teamId);
    if (!cursorValid(cursor, context)) {
      return fail(c, 410, 'cursor_reset', 'since: the cursor is from another epoch of this server or past its history; pull from the start and push your events again');
    }
    const page = await pullEventsJson(db, teamId, context.epoch, cursor.seq, query.data.limit ?? DEFAULT_PULL_LIMIT);
    return c.body(page, 200, { 'content-type': 'application/json; charset=utf-8' });
  });

  app.get(ROUTES.me, (c) => {
    const p = c.get('principal');
    const me: MeResponse = { user: { id: p.userId, name: p.userName }, team: { id: p.teamId, name: p.teamName }, role: p.role };
    return c.json(me);
  });

  app.get(ROUTES.settings, async (c) => c.json(await getSettings(db, c.get('principal').teamId)));

  app.put(ROUTES.settings, async (c) => {
    const principal = c.get('principal');
    if (principal.role !== 'admin') return fail(c, 403, 'forbidden', 'only a team admin may change settings');
    const body = await readJson(c);
    if (!body.ok) return fail(c, 400, 'bad_request', 'body is not JSON');
    const request = PutSettingsRequestSchema.safeParse(body.value);
    if (!request.success) return fail(c, 400, 'bad_request', describeIssue(request.error));
    try {
      return c.json(await putSettings(db, principal, request.data, now()));
    } catch (error) {
      if (error instanceof SettingsConflictError) return fail(c, 409, 'conflict', error.message);
      throw error;
    }
  });

  app.post(ROUTES.handoffs, async (c) => {
    const principal = c.get('principal');
    const { activeDefinition } = await getSettings(db, principal.teamId);
    if (!canRecord(principal.role, 'handed_over', activeDefinition.rolePermissions)) return fail(c, 403, 'forbidden', `a ${principal.role} may not hand over leads`);
    const type = (c.req.header('content-type') ?? '').toLowerCase();
    let items: unknown[];
    if (type.startsWith('text/csv')) {
      try {
        // bytes, not text(): an Excel CSV from a Japanese PC is Shift_JIS, often unlabelled
        const charset = /;\s*charset=([^;]+)/.exec(type)?.[1];
        items = handoffItemsFromCsv(decodeCsvBytes(new Uint8Array(await c.req.arrayBuffer()), charset));
      } catch (error) {
        if (error instanceof UnsupportedCharsetError) return fail(c, 415, 'unsupported_media_type', `CSV: ${error.message}`);
        return fail(c, 400, 'bad_request', `CSV: ${error instanceof Error ? error.message : String(error)}`);
      }
      const parsed = HandoffRequestSchema.safeParse(items);
      if (!parsed.success) return fail(c, 400, 'bad_request', `CSV: ${describeIssue(parsed.error)} (a header row and 1..1000 data rows)`);
    } else {
      const body = await readJson(c);
      if (!body.ok) return fail(c, 400, 'bad_request', 'body is not JSON (or send text/csv)');
      const parsed = HandoffRequestSchema.safeParse(body.value);
      if (!parsed.success) return fail(c, 400, 'bad_request', describeIssue(parsed.error));
      items = Array.isArray(parsed.data) ? parsed.data : parsed.data.handoffs;
    }
    return c.json({ results: await intakeHandoffs(db, c.get('principal'), items, now()) });
  });

  return app;
}
