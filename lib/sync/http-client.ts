import type { z } from 'zod';
import type { LeadEvent } from '../domain/events';
import { ErrorBodySchema, type ErrorBody, type MeResponse, type PushRequest, type SettingsResponse } from '../protocol/http';
import { API, okSchema } from '../protocol/routes';
import type { BackendClient, PullOutcome, PushOutcome } from './engine';
import { parseRetryAfter } from './backoff';
import { ApiError, SyncError } from './errors';

const TIMEOUT_MS = 20_000;

export interface HttpClientOptions {
  /**
   * For a signed-in session: called when the server says the access token expired; returns the
   * next access token (lib/sync/session.ts) or throws `SyncError('signed_out')`.
   */
  refresh?: () => Promise<string>;
}

/** A declared route whose 200 reply is JSON (what `request` can call). */
export type JsonRoute = { method: string; path: string; responses: { 200: { content: { 'application/json': { schema: z.ZodType } } } } };

export interface HttpBackendClient extends BackendClient {
  me(): Promise<MeResponse>;
  settings(): Promise<SettingsResponse>;
  /**
   * Any declared route (the admin pages' calls, lib/sync/admin-client.ts), with the same token,
   * refresh and 401 handling as sync: its parsed 200 reply.
   * @throws SyncError (offline, auth, signed_out, rate_limited, server_error) or ApiError (another protocol error)
   */
  request<R extends JsonRoute>(route: R, input?: { query?: URLSearchParams; body?: unknown }): Promise<z.infer<R['responses'][200]['content']['application/json']['schema']>>;
}

/** The protocol routes this client calls (`tests/server/openapi.test.ts` holds them to the served document). */
export const CLIENT_ROUTES = [API.pushEvents, API.pullEvents, API.me, API.getSettings] as const;

/**
 * The server's own error body, or null when the reply is something else (a proxy's HTML page,
 * an empty body, text). Only a body in the protocol's shape is the server speaking: anything
 * else came from whatever stands in front of it and says nothing about our data.
 */
async function errorBody(response: Response): Promise<ErrorBody | null> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return null;
  const body: unknown = await response.json().catch(() => null);
  const parsed = ErrorBodySchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/**
 * Whether a whole-batch 4xx is the server refusing what we sent (the batch is then split until
 * the culprit is alone and dead-lettered). Only 400 `bad_request` and 422 in the protocol's
 * error shape qualify; 404, 408, 409, 410 and the like, and any reply without that body, are
 * transient: a deploy, a proxy, a misrouted request. Retrying costs little; a dead letter costs
 * a decision the team never sees.
 */
function isRefusal(status: number, body: ErrorBody | null): boolean {
  if (body === null) return false;
  return (status === 400 && body.error.code === 'bad_request') || status === 422;
}

/**
 * The sync engine's view of a SAL Bridge server: the routes of `lib/protocol/routes.ts`. Every reply
 * is parsed before it is trusted: a server that answers something else is a `server_error`
 * (retried with backoff), not a crash, not a dead letter and not a silent data loss.
 */
export function createHttpBackendClient(url: string, token: string, fetchImpl: typeof fetch, now: () => number, options: HttpClientOptions = {}): HttpBackendClient {
  let bearer = token;
  async function send(route: { method: string; path: string }, options: { query?: URLSearchParams; body?: string }): Promise<Response> {
    try {
      return await fetchImpl(`${url}${route.path}${options.query ? `?${options.query}` : ''}`, {
        method: route.method.toUpperCase(),
        ...(options.body ? { body: options.body } : {}),
        headers: { authorization: `Bearer ${bearer}`, accept: 'application/json', ...(options.body ? { 'content-type': 'application/json' } : {}) },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new SyncError('offline', error instanceof Error ? error.message : String(error));
    }
  }

  async function call(route: { method: string; path: string }, callOptions: { query?: URLSearchParams; body?: string } = {}): Promise<Response> {
    let response = await send(route, callOptions);
    if (response.status === 401) {
      const body = await errorBody(response);
      // A session's access token ran out: refresh it (once) and send the request again, so sync
      // never notices. Anything else that ended the session is "signed out", not "wrong token".
      if (body?.error.code === 'token_expired' && options.refresh) {
        bearer = await options.refresh();
        response = await send(route, callOptions);
        if (response.status === 401) {
          const again = await errorBody(response);
          throw new SyncError(again?.error.code === 'signed_out' ? 'signed_out' : 'auth', `HTTP 401${again ? `: ${again.error.code}` : ''}`, null, 401);
        }
      } else if (body?.error.code === 'signed_out' || body?.error.code === 'token_expired') {
        throw new SyncError('signed_out', `HTTP 401: ${body.error.code}`, null, 401);
      } else throw new SyncError('auth', 'HTTP 401', null, 401);
    }
    if (response.status === 401 || response.status === 403) throw new SyncError('auth', `HTTP ${response.status}`, null, response.status);
    if (response.status === 429 || response.status === 503) {
      throw new SyncError('rate_limited', `HTTP ${response.status}`, parseRetryAfter(response.headers.get('retry-after'), now()), response.status);
    }
    if (response.status >= 500) throw new SyncError('server_error', `HTTP ${response.status}`, null, response.status);
    return response;
  }

  async function json<T extends z.ZodType>(response: Response, schema: T): Promise<z.infer<T>> {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new SyncError('server_error', `HTTP ${response.status}: reply is not JSON`, null, response.status);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new SyncError('server_error', `HTTP ${response.status}: unexpected reply (${parsed.error.issues[0]?.message ?? 'invalid'})`, null, response.status);
    return parsed.data;
  }

  /** A 4xx that is not a refusal: the request may well succeed later. */
  function transient(status: number, body: ErrorBody | null): SyncError {
    return new SyncError('server_error', `HTTP ${status}${body ? `: ${body.error.code}: ${body.error.message.slice(0, 200)}` : ' (not a protocol reply)'}`, null, status);
  }

  return {
    url,
    async push(events: LeadEvent[]): Promise<PushOutcome> {
      const request: PushRequest = { events };
      const response = await call(API.pushEvents, { body: JSON.stringify(request) });
      if (response.status === 413) return { kind: 'too_large' };
      if (response.status >= 400) {
        const body = await errorBody(response);
        if (isRefusal(response.status, body)) return { kind: 'batch_rejected', status: response.status, reason: `${body!.error.code}: ${body!.error.message.slice(0, 300)}` };
        throw transient(response.status, body);
      }
      const body = await json(response, okSchema(API.pushEvents));
      return { kind: 'results', results: body.results };
    },
    async pull(since: string | null, limit: number): Promise<PullOutcome> {
      const query = new URLSearchParams({ limit: String(limit) });
      if (since) query.set('since', since);
      const response = await call(API.pullEvents, { query });
      if (response.status >= 400) {
        const body = await errorBody(response);
        if (response.status === 410 && body?.error.code === 'cursor_reset') return { kind: 'cursor_reset' };
        throw transient(response.status, body);
      }
      return { kind: 'page', ...(await json(response, okSchema(API.pullEvents))) };
    },
    async me() {
      const response = await call(API.me);
      if (response.status >= 400) throw transient(response.status, await errorBody(response));
      return json(response, okSchema(API.me));
    },
    async settings() {
      const response = await call(API.getSettings);
      if (response.status >= 400) throw transient(response.status, await errorBody(response));
      return json(response, okSchema(API.getSettings));
    },
    async request(route, input = {}) {
      const response = await call(route, { ...(input.query ? { query: input.query } : {}), ...(input.body !== undefined ? { body: JSON.stringify(input.body) } : {}) });
      if (response.status >= 400) {
        const body = await errorBody(response);
        if (body) throw new ApiError(response.status, body.error.code, body.error.message);
        throw transient(response.status, body);
      }
      return json(response, route.responses[200].content['application/json'].schema) as Promise<z.infer<(typeof route)['responses'][200]['content']['application/json']['schema']>>;
    },
  };
}
