import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { ErrorBody, ErrorCode, Role } from '../../lib/protocol/http';
import { resolveToken, type Principal } from './auth';
import type { Queryable } from './db/types';
import { describeIssue } from './events-store';
import type { RequestLimits } from './rate-limit';

/** What the middleware leaves for the handlers: the caller (secured routes) and the validated JSON body. */
export type Env = { Variables: { principal: Principal; body: unknown } };

/** The protocol's error reply: `{ error: { code, message } }` with its status. */
export function fail(c: Context, status: ContentfulStatusCode, code: ErrorCode, message: string, headers?: Record<string, string>) {
  const body: ErrorBody = { error: { code, message } };
  return c.json(body, status, headers);
}

/**
 * Bearer token → principal (`c.get('principal')`), then the caller's rate limit. Failed
 * authentications are limited per client address, checked before the token lookup, so guessing
 * tokens or flooding with bad ones costs the server little (on PostgreSQL the address's wait is
 * known without a query once this instance has refused it, see `createDatabaseRequestLimits`).
 * A valid token's request costs one round trip for both limits (`limits.admit`), besides the
 * token lookup when its member is not kept (`resolveToken`).
 */
export function authenticate(deps: { db: Queryable; limits: RequestLimits | null; clientAddress: (c: Context) => string; now: () => Date }): MiddlewareHandler<Env> {
  const { db, limits, clientAddress, now } = deps;
  const limitedAddress = (retryAfterSeconds: number, c: Context) => fail(c, 429, 'rate_limited', 'too many requests without a valid token', { 'retry-after': String(retryAfterSeconds) });
  return async (c, next) => {
    const address = limits ? clientAddress(c) : '';
    const refuse = async (message: string, code: 'unauthorized' | 'token_expired' | 'signed_out' = 'unauthorized') => {
      const taken = await limits?.refuse(address, now().getTime());
      if (taken && !taken.ok) return limitedAddress(taken.retryAfterSeconds, c);
      return fail(c, 401, code, message, { 'www-authenticate': 'Bearer' });
    };
    if (limits) {
      const waiting = await limits.addressWait(address, now().getTime());
      if (waiting > 0) return limitedAddress(waiting, c);
    }
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (!match?.[1]) return refuse('missing bearer token');
    const resolved = await resolveToken(db, match[1], now());
    if ('refused' in resolved) return refuse(resolved.refused.message, resolved.refused.code);
    const { principal } = resolved;
    c.set('principal', principal);
    if (limits) {
      const admitted = await limits.admit(address, principal.tokenHash, now().getTime());
      if (!admitted.ok && admitted.limited === 'address') return limitedAddress(admitted.retryAfterSeconds, c);
      if (!admitted.ok) return fail(c, 429, 'rate_limited', 'too many requests', { 'retry-after': String(admitted.retryAfterSeconds) });
    }
    await next();
  };
}

/**
 * An integration token limited to scopes passes only a route that declares one of them (its
 * `security` in lib/protocol/routes.ts); a member's token or session (no scopes) passes every
 * secured route, where its role decides.
 */
export function requireScope(routeScopes: readonly string[]): MiddlewareHandler<Env> {
  return async (c, next) => {
    const { scopes } = c.get('principal');
    if (scopes !== null && !routeScopes.some((scope) => (scopes as readonly string[]).includes(scope))) {
      return fail(c, 403, 'insufficient_scope', `this integration token may only ${scopes.join(', ')}`);
    }
    await next();
  };
}

/** 403 unless the caller has this role (after `authenticate`). */
export function requireRole(role: Role, message: string): MiddlewareHandler<Env> {
  return async (c, next) => {
    if (c.get('principal').role !== role) return fail(c, 403, 'forbidden', message);
    await next();
  };
}

const mediaType = (contentType: string | undefined) => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * Parses the body as JSON and validates it with the route's declared `application/json` schema
 * (`c.get('body')`); 400 `bad_request` otherwise. The body is read as JSON whatever its
 * `Content-Type` says, as this server always has (a script posting JSON as `text/plain` works),
 * except a media type the route declares besides JSON (the CSV of `/v1/handoffs`), which is left
 * to the handler. That is why this is ours and not `@hono/zod-openapi`'s validator, which answers
 * 415 to any undeclared media type and refuses a required JSON body sent as CSV.
 */
export function jsonBody(schema: z.ZodType, declaredMediaTypes: readonly string[]): MiddlewareHandler<Env> {
  const others = declaredMediaTypes.filter((type) => type !== 'application/json');
  const notJson = others.length > 0 ? `body is not JSON (or send ${others.join(' or ')})` : 'body is not JSON';
  return async (c, next) => {
    if (others.includes(mediaType(c.req.header('content-type')))) return next();
    let value: unknown;
    try {
      value = JSON.parse(await c.req.text());
    } catch {
      return fail(c, 400, 'bad_request', notJson);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) return fail(c, 400, 'bad_request', describeIssue(parsed.error));
    c.set('body', parsed.data);
    await next();
  };
}
