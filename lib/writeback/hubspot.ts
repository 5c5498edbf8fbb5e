import { parseRetryAfter } from '../sync/backoff';
import { holdsAll, networkFailure, type CrmWriter, type WriteOutcome, type WriteRequest } from './writer';

/** HubSpot's API origin (every data centre's portals answer here). */
export const HUBSPOT_API_ORIGIN = 'https://api.hubapi.com';

/** The CRM object and id behind a HubSpot record key (`<id>` a contact, `0-136:<id>` the leads object). */
export function hubSpotObject(recordId: string): { objectType: 'contacts' | 'leads'; id: string } | null {
  const m = /^(?:(0-136):)?(\d{1,20})$/.exec(recordId);
  if (!m) return null;
  return { objectType: m[1] ? 'leads' : 'contacts', id: m[2]! };
}

/**
 * Classifies a HubSpot CRM v3 answer (`{"status":"error","message","category","policyName"}`):
 * 401 asks for a new token; 429 with the daily policy pauses, the ten-second one is retried; 412
 * is a conflict; other 4xx (`VALIDATION_ERROR`, `MISSING_SCOPES`, `OBJECT_NOT_FOUND`) refuse with
 * HubSpot's message; 5xx and answers that are not HubSpot's JSON are retried.
 */
export function classifyHubSpot(status: number, body: string, retryAfter: string | null, now: number): WriteOutcome {
  if (status >= 200 && status < 300) return { kind: 'applied' };
  type HubSpotError = { message?: unknown; category?: unknown; policyName?: unknown } | null;
  let error: HubSpotError;
  try {
    error = JSON.parse(body) as HubSpotError;
  } catch {
    error = null;
  }
  const message = typeof error?.message === 'string' ? error.message.slice(0, 1000) : `HTTP ${status}`;
  if (status === 401) return { kind: 'sign_in', message };
  if (status === 429) {
    return error?.policyName === 'DAILY'
      ? { kind: 'limit', message, retryAfterMs: parseRetryAfter(retryAfter, now) }
      : { kind: 'transient', message, retryAfterMs: parseRetryAfter(retryAfter, now) ?? 10_000 };
  }
  if (status === 412) return { kind: 'conflict', message };
  if (status >= 500 || typeof error?.category !== 'string') return { kind: 'transient', message, retryAfterMs: parseRetryAfter(retryAfter, now) };
  return { kind: 'refused', code: error.category, message };
}

export interface HubSpotWriterDeps {
  fetch: typeof fetch;
  now: () => number;
  /** The private-app or OAuth access token the admin or rep entered in the options page; null when none. */
  token(): Promise<string | null>;
  /** The API origin (the sandbox CRM in tests); default HUBSPOT_API_ORIGIN. */
  apiOrigin?: string;
}

/**
 * Writes a contact's (or leads-object record's) properties with the team's HubSpot token.
 *
 * HubSpot's CRM v3 object update documents no conditional request (no ETag, `If-Match` or
 * `If-Unmodified-Since`; see ../shared/crm-pages.md), so the check is read-then-compare: the
 * record's `hs_lastmodifieddate` is read first, and a record changed since the rep read it is a
 * conflict, not overwritten. Residual race: a change someone makes between that GET and the PATCH
 * (one round trip, typically well under a second) is not seen, and the PATCH overwrites the
 * properties it sets (only those: other properties keep the other change). Salesforce (412 on
 * `If-Unmodified-Since`) and Dynamics (`If-Match` on the etag) close that window; HubSpot cannot.
 */
export function createHubSpotWriter(deps: HubSpotWriterDeps): CrmWriter {
  const origin = deps.apiOrigin ?? HUBSPOT_API_ORIGIN;
  return {
    target: () => origin,
    async write(request: WriteRequest): Promise<WriteOutcome> {
      const object = hubSpotObject(request.recordId);
      if (!object) return { kind: 'refused', code: 'unknown_record', message: request.recordId };
      const token = await deps.token();
      if (!token) return { kind: 'sign_in', message: 'no HubSpot token' };
      const url = `${origin}/crm/v3/objects/${object.objectType}/${object.id}`;
      const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
      try {
        const read = await deps.fetch(`${url}?properties=${['hs_lastmodifieddate', ...Object.keys(request.fields)].join(',')}`, { headers, credentials: 'omit' });
        const text = await read.text();
        if (!read.ok) return classifyHubSpot(read.status, text, read.headers.get('retry-after'), deps.now());
        const properties = (JSON.parse(text) as { properties?: Record<string, unknown> }).properties ?? {};
        if (request.verifyFirst && holdsAll(properties, request.fields)) return { kind: 'applied' };
        const modified = Date.parse(String(properties.hs_lastmodifieddate ?? ''));
        if (Number.isFinite(modified) && modified > request.unmodifiedSince) return { kind: 'conflict', message: `hs_lastmodifieddate ${String(properties.hs_lastmodifieddate)}` };
        const response = await deps.fetch(url, {
          method: 'PATCH',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ properties: request.fields }),
          credentials: 'omit',
        });
        return classifyHubSpot(response.status, await response.text(), response.headers.get('retry-after'), deps.now());
      } catch (error) {
        return networkFailure(error);
      }
    },
  };
}
