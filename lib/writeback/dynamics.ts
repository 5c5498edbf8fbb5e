import { parseRetryAfter } from '../sync/backoff';
import { holdsAll, type CrmWriter, type WriteOutcome, type WriteRequest } from './writer';

/** A request made from a CRM page's own origin, as the page would make it (see `PageFetch`). */
export interface PageFetchRequest {
  path: string;
  method: 'GET' | 'PATCH';
  headers: Record<string, string>;
  body?: string;
}
export interface PageFetchResponse {
  status: number;
  body: string;
  retryAfter: string | null;
}

/**
 * Runs a same-origin request inside a tab of the CRM (Dynamics' Web API takes the user's browser
 * session from its own origin only). Null when no tab of that origin is open.
 */
export type PageFetch = (origin: string, request: PageFetchRequest) => Promise<PageFetchResponse | null>;

/** The Dynamics environment's origin for a page URL (`https://<org>.crm<N>.dynamics.com`). */
export function dynamicsOrigin(pageUrl: string): string | null {
  try {
    const url = new URL(pageUrl);
    return url.protocol === 'https:' && /\.dynamics\.com$/i.test(url.hostname) ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * Classifies a Dynamics 365 Web API answer (`{"error":{"code","message"}}`): 401 asks to sign in
 * again; 412 (If-Match: the etag changed) is a conflict; 429 (service protection limits) pauses
 * for its Retry-After; other 4xx refuse with the CRM's message; 5xx and other pages are retried.
 */
export function classifyDynamics(status: number, body: string, retryAfter: string | null, now: number): WriteOutcome {
  if (status >= 200 && status < 300) return { kind: 'applied' };
  let error: { code?: unknown; message?: unknown } | undefined;
  try {
    error = (JSON.parse(body) as { error?: typeof error }).error;
  } catch {
    error = undefined;
  }
  const message = typeof error?.message === 'string' ? error.message.slice(0, 1000) : `HTTP ${status}`;
  if (status === 401) return { kind: 'sign_in', message };
  if (status === 412) return { kind: 'conflict', message };
  if (status === 429) return { kind: 'limit', message, retryAfterMs: parseRetryAfter(retryAfter, now) };
  if (status >= 500 || typeof error?.code !== 'string') return { kind: 'transient', message, retryAfterMs: parseRetryAfter(retryAfter, now) };
  return { kind: 'refused', code: error.code, message };
}

const ODATA = { accept: 'application/json', 'odata-version': '4.0', 'odata-maxversion': '4.0' };

/**
 * Writes a Dynamics 365 lead through the Web API from the environment's own origin, with the
 * user's session (`PATCH /api/data/v9.2/leads(<id>)`). The record is read first: a `modifiedon`
 * after the rep's read is a conflict, and the write carries the read's etag in `If-Match`, so a
 * change between the read and the write gives 412 instead of being overwritten.
 */
export function createDynamicsWriter(deps: { pageFetch: PageFetch; now: () => number }): CrmWriter {
  return {
    target: dynamicsOrigin,
    async write(request: WriteRequest): Promise<WriteOutcome> {
      const origin = dynamicsOrigin(request.pageUrl);
      const id = /^[0-9a-f-]{36}$/.exec(request.recordId)?.[0];
      if (!origin || !id) return { kind: 'refused', code: 'unknown_record', message: request.recordId };
      const path = `/api/data/v9.2/leads(${id})`;
      try {
        const read = await deps.pageFetch(origin, { path: `${path}?$select=${['modifiedon', ...Object.keys(request.fields)].join(',')}`, method: 'GET', headers: ODATA });
        if (!read) return { kind: 'transient', message: 'crm_tab_closed', retryAfterMs: null };
        if (read.status !== 200) return classifyDynamics(read.status, read.body, read.retryAfter, deps.now());
        const record = JSON.parse(read.body) as Record<string, unknown>;
        if (request.verifyFirst && holdsAll(record, request.fields)) return { kind: 'applied' };
        const modified = Date.parse(String(record.modifiedon ?? ''));
        if (Number.isFinite(modified) && modified > request.unmodifiedSince) return { kind: 'conflict', message: `modifiedon ${String(record.modifiedon)}` };
        const etag = typeof record['@odata.etag'] === 'string' ? record['@odata.etag'] : '*';
        const write = await deps.pageFetch(origin, {
          path,
          method: 'PATCH',
          headers: { ...ODATA, 'content-type': 'application/json; charset=utf-8', 'if-match': etag },
          body: JSON.stringify(request.fields),
        });
        if (!write) return { kind: 'transient', message: 'crm_tab_closed', retryAfterMs: null };
        return classifyDynamics(write.status, write.body, write.retryAfter, deps.now());
      } catch (error) {
        return { kind: 'transient', message: error instanceof Error ? error.message : String(error), retryAfterMs: null };
      }
    },
  };
}
