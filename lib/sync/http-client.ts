import type { z } from 'zod';
import type { LeadEvent } from '../domain/events';
import { MeResponseSchema, PullEventsResponseSchema, PushEventsResponseSchema, SettingsResponseSchema } from '../protocol/http';
import type { BackendClient, PullPage, PushOutcome } from './engine';
import { parseRetryAfter } from './backoff';
import { SyncError } from './errors';

const TIMEOUT_MS = 20_000;

export interface HttpBackendClient extends BackendClient {
  me(): Promise<z.infer<typeof MeResponseSchema>>;
  settings(): Promise<z.infer<typeof SettingsResponseSchema>>;
}

/**
 * The sync engine's view of a SAL Bridge server (`/v1`, see lib/protocol/http.ts). Every reply
 * is parsed before it is trusted: a server that answers something else is a `server_error`, not
 * a crash and not a silent data loss.
 */
export function createHttpBackendClient(url: string, token: string, fetchImpl: typeof fetch, now: () => number): HttpBackendClient {
  async function call(path: string, init: RequestInit = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetchImpl(`${url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new SyncError('offline', error instanceof Error ? error.message : String(error));
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

  async function errorReason(response: Response): Promise<string> {
    const text = await response.text().catch(() => '');
    return `HTTP ${response.status}${text ? `: ${text.slice(0, 300)}` : ''}`;
  }

  return {
    url,
    async push(events: LeadEvent[]): Promise<PushOutcome> {
      const response = await call('/v1/events', { method: 'POST', body: JSON.stringify({ events }) });
      if (response.status === 413) return { kind: 'too_large' };
      if (response.status >= 400) return { kind: 'batch_rejected', status: response.status, reason: await errorReason(response) };
      const body = await json(response, PushEventsResponseSchema);
      return { kind: 'results', results: body.results };
    },
    async pull(since: string | null, limit: number): Promise<PullPage> {
      const query = new URLSearchParams({ limit: String(limit) });
      if (since) query.set('since', since);
      const response = await call(`/v1/events?${query}`);
      if (response.status >= 400) throw new SyncError('server_error', await errorReason(response), null, response.status);
      return json(response, PullEventsResponseSchema);
    },
    async me() {
      const response = await call('/v1/me');
      if (response.status >= 400) throw new SyncError('server_error', await errorReason(response), null, response.status);
      return json(response, MeResponseSchema);
    },
    async settings() {
      const response = await call('/v1/settings');
      if (response.status >= 400) throw new SyncError('server_error', await errorReason(response), null, response.status);
      return json(response, SettingsResponseSchema);
    },
  };
}
