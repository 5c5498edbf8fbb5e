import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
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
import { findPrincipal, type Principal } from './auth';
import type { Database } from './db/types';
import { cursorContext, cursorValid, decodeCursor, describeIssue, ingestEvents, pullEventsJson } from './events-store';
import { isUnavailableError } from './db/errors';
import { handoffItemsFromCsv, intakeHandoffs } from './handoffs';
import { decodeCsvBytes, UnsupportedCharsetError } from './csv';
import { createRateLimiter, type RateLimitConfig } from './rate-limit';
import { getSettings, putSettings, SettingsConflictError } from './settings-store';

export interface ServerConfig {
  /**
   * Origins allowed by CORS: exact origins (`chrome-extension://abcdef…`, `https://crm.example`)
   * or `chrome-extension://*` for any extension. Default: any `chrome-extension://` origin.
   */
  corsOrigins?: readonly string[];
  /** Largest request body in bytes (default 1 MiB); larger → 413. */
  bodyLimitBytes?: number;
  /** Per-token token bucket (default 120 burst, 20/s); `false` turns it off. */
  rateLimit?: RateLimitConfig | false;
  /** Receives one structured entry per request (default: none; `main.ts` writes JSON lines to stderr). */
  log?: (entry: Record<string, unknown>) => void;
  /** Clock for `receivedAt` and the rate limiter (tests fix it). */
  now?: () => Date;
}

type Env = { Variables: { principal: Principal } };

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_RATE_LIMIT: RateLimitConfig = { capacity: 120, refillPerSecond: 20 };
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
  const corsOrigins = config.corsOrigins ?? ['chrome-extension://*'];
  const limiter = config.rateLimit === false ? null : createRateLimiter(config.rateLimit ?? DEFAULT_RATE_LIMIT);
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
  app.use('/v1/*', async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) return fail(c, 401, 'unauthorized', 'missing bearer token', { 'www-authenticate': 'Bearer' });
    const principal = await findPrincipal(db, match[1]);
    if (!principal) return fail(c, 401, 'unauthorized', 'unknown or revoked token', { 'www-authenticate': 'Bearer' });
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
      onError: (c) => fail(c, 413, 'payload_too_large', `body larger than ${config.bodyLimitBytes ?? DEFAULT_BODY_LIMIT} bytes`),
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
