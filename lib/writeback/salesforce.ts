import { parseRetryAfter } from '../sync/backoff';
import type { SalesforceOAuthTokens } from './salesforce-oauth';
import { SALESFORCE_CONNECT_REQUIRED, holdsAll, networkFailure, type CrmWriter, type WriteOutcome, type WriteRequest } from './writer';

/** REST API version SAL Bridge writes with (Winter '25; every org since supports it). */
export const SALESFORCE_API_VERSION = '62.0';

/**
 * The org's API origin for a Salesforce page: `https://<MyDomain>.my.salesforce.com` (sandbox and
 * other editions keep their infix: `acme--dev.sandbox.lightning.force.com` →
 * `acme--dev.sandbox.my.salesforce.com`). The API is called there and not on the Lightning host,
 * whose session is not valid for the API and whose redirect drops the Authorization header.
 * Null for a page that is not on a Salesforce My Domain.
 */
export function salesforceApiOrigin(pageUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:') return null;
  const host = url.hostname.toLowerCase();
  const m = /^([a-z0-9-]+(?:\.[a-z0-9-]+)*)\.(lightning\.force\.com|my\.salesforce\.com)$/.exec(host);
  return m ? `https://${m[1]}.my.salesforce.com` : null;
}

/** Error codes that mean "these values are refused", whatever the status (the docs' list and its kin). */
const SESSION_CODES = new Set(['INVALID_SESSION_ID', 'INVALID_AUTH_HEADER']);

/**
 * Classifies a Salesforce REST answer. Errors are `[{"message", "errorCode", "fields"}]`: a 401
 * or `INVALID_SESSION_ID` asks for a new session; `REQUEST_LIMIT_EXCEEDED` pauses; 412 (the record
 * changed after If-Unmodified-Since) is a conflict; any other structured error
 * (`INSUFFICIENT_ACCESS_OR_READONLY`, `FIELD_CUSTOM_VALIDATION_EXCEPTION`,
 * `INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST`, `API_DISABLED_FOR_ORG`, `ENTITY_IS_DELETED`, …) is a
 * refusal with the CRM's message. 5xx, 429 and answers that are not Salesforce's JSON (a proxy's
 * page) are retried.
 */
export function classifySalesforce(status: number, body: string, retryAfter: string | null, now: number): WriteOutcome {
  if (status >= 200 && status < 300) return { kind: 'applied' };
  const errors = parseErrors(body);
  const first = errors[0];
  const message = first?.message ?? `HTTP ${status}`;
  if (status === 401 || errors.some((e) => SESSION_CODES.has(e.errorCode))) return { kind: 'sign_in', message };
  if (errors.some((e) => e.errorCode === 'REQUEST_LIMIT_EXCEEDED')) return { kind: 'limit', message, retryAfterMs: parseRetryAfter(retryAfter, now) };
  if (status === 412) return { kind: 'conflict', message };
  if (status >= 500 || status === 429 || !first) return { kind: 'transient', message, retryAfterMs: parseRetryAfter(retryAfter, now) };
  return { kind: 'refused', code: first.errorCode, message: errors.map((e) => e.message).join(' / ') };
}

function parseErrors(body: string): Array<{ message: string; errorCode: string }> {
  try {
    const parsed: unknown = JSON.parse(body);
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((e: unknown) => {
      const r = e as { message?: unknown; errorCode?: unknown } | null;
      return r && typeof r.errorCode === 'string' ? [{ errorCode: r.errorCode, message: typeof r.message === 'string' ? r.message.slice(0, 1000) : r.errorCode }] : [];
    });
  } catch {
    return [];
  }
}

export interface SalesforceWriterDeps {
  fetch: typeof fetch;
  now: () => number;
  /**
   * The rep's session for the org's API origin: the `sid` cookie of its `my.salesforce.com` host
   * (read by the service worker with chrome.cookies; HttpOnly in many orgs, so no page or content
   * script can). Null when the rep is not signed in there.
   */
  sessionId(apiOrigin: string): Promise<string | null>;
  /**
   * The OAuth fallback (lib/writeback/salesforce-oauth.ts) for orgs that refuse cookie sessions
   * for the API. Absent: the cookie session only.
   */
  oauth?: SalesforceOAuthTokens & {
    /** Whether the team has a connected app: a refused session then asks the rep to connect the org. */
    configured(): Promise<boolean>;
  };
}

/**
 * Writes a Lead's fields: `PATCH /services/data/vNN.0/sobjects/Lead/<id>` with
 * `If-Unmodified-Since` (the record changed since the rep read it → 412, not overwritten).
 *
 * Which credential: the rep's own session (the `sid` cookie) first, as established extensions
 * do. When the API refuses it (401 / `INVALID_SESSION_ID`: expired, or an org with API Access
 * Control that refuses cookie sessions) or there is none, the org's OAuth token if the rep
 * connected the org, refreshed once when refused in turn; a refused request wrote nothing, so
 * trying the next credential cannot apply a write twice. Without a connection, a team with a
 * connected app gets `SALESFORCE_CONNECT_REQUIRED` (the panel says to connect in the options
 * page), any other team "sign in again". Credentials stay in the service worker: they go to the
 * org's own API host and nowhere else.
 */
export function createSalesforceWriter(deps: SalesforceWriterDeps): CrmWriter {
  return {
    target: salesforceApiOrigin,
    async write(request: WriteRequest): Promise<WriteOutcome> {
      const origin = salesforceApiOrigin(request.pageUrl);
      if (!origin) return { kind: 'refused', code: 'unknown_org', message: request.pageUrl };
      const url = `${origin}/services/data/v${SALESFORCE_API_VERSION}/sobjects/Lead/${encodeURIComponent(request.recordId)}`;
      try {
        const sid = await deps.sessionId(origin);
        const byCookie = sid ? await writeWith(deps, url, sid, request) : null;
        if (byCookie && byCookie.kind !== 'sign_in') return byCookie;
        const oauth = deps.oauth;
        const token = oauth ? await oauth.accessToken(origin) : null;
        if (oauth && token) {
          const first = await writeWith(deps, url, token, request);
          if (first.kind !== 'sign_in') return first;
          const fresh = await oauth.refresh(origin, token);
          const second = fresh ? await writeWith(deps, url, fresh, request) : null;
          if (second && second.kind !== 'sign_in') return second;
          return { kind: 'sign_in', message: SALESFORCE_CONNECT_REQUIRED };
        }
        if (oauth && (await oauth.configured())) return { kind: 'sign_in', message: SALESFORCE_CONNECT_REQUIRED };
        return byCookie ?? { kind: 'sign_in', message: 'no Salesforce session' };
      } catch (error) {
        return networkFailure(error);
      }
    },
  };
}

/** One try with one bearer credential: the read-back check when asked for, then the PATCH. @throws on a network failure */
async function writeWith(deps: Pick<SalesforceWriterDeps, 'fetch' | 'now'>, url: string, bearer: string, request: WriteRequest): Promise<WriteOutcome> {
  const headers = { authorization: `Bearer ${bearer}`, accept: 'application/json' };
  if (request.verifyFirst) {
    const read = await deps.fetch(`${url}?fields=${Object.keys(request.fields).join(',')}`, { headers, credentials: 'omit' });
    const text = await read.text();
    if (!read.ok) return classifySalesforce(read.status, text, read.headers.get('retry-after'), deps.now());
    if (holdsAll(JSON.parse(text) as Record<string, unknown>, request.fields)) return { kind: 'applied' };
  }
  const response = await deps.fetch(url, {
    method: 'PATCH',
    headers: { ...headers, 'content-type': 'application/json', 'if-unmodified-since': new Date(request.unmodifiedSince).toUTCString() },
    body: JSON.stringify(request.fields),
    // the credential goes in the header only; the browser's own cookies for the host stay out
    credentials: 'omit',
  });
  return classifySalesforce(response.status, await response.text(), response.headers.get('retry-after'), deps.now());
}
