import type { PageKind } from '../types';

// Dynamics 365 model-driven apps (Unified Interface): `https://<org>.crm<N>.dynamics.com/main.aspx`
// with the page in the query string: `pagetype=entityrecord&etn=lead&id=<GUID>` (a record) or
// `pagetype=entitylist&etn=lead&viewid=<GUID>` (a view). The app is a single-page app: moving
// between pages rewrites the query string without a reload.

const HOST = /^[a-z0-9-]+\.crm\d{0,2}\.dynamics\.com$/;
const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/** True for model-driven app pages (`<org>.crm<N>.dynamics.com/main.aspx`). */
export function isDynamicsUrl(url: URL): boolean {
  return url.protocol === 'https:' && HOST.test(url.hostname) && url.pathname.toLowerCase() === '/main.aspx';
}

/** A GUID in SAL Bridge's form: lower case, no braces (as `makeLeadKey('dynamics', …)` keys it); null if not a GUID. */
export function normalizeGuid(raw: string | null | undefined): string | null {
  const m = GUID.exec((raw ?? '').trim());
  return m?.[1] ? m[1].toLowerCase() : null;
}

/** The lead GUID a model-driven app URL shows, or null (other entities, the new-record form, lists). */
export function dynamicsLeadIdFromUrl(url: URL): string | null {
  return isLeadPage(url, 'entityrecord') ? normalizeGuid(url.searchParams.get('id')) : null;
}

/** Classifies a Dynamics page: a lead record, a lead view (entity list), or other. */
export function detectDynamicsPage(url: URL): PageKind {
  const id = isDynamicsUrl(url) && dynamicsLeadIdFromUrl(url);
  return id ? { kind: 'lead-record', recordId: id } : { kind: isDynamicsUrl(url) && isLeadPage(url, 'entitylist') ? 'lead-list' : 'other' };
}

/** True when the URL's page type (any case) is `pageType` for the lead entity. */
function isLeadPage(url: URL, pageType: string): boolean {
  const q = url.searchParams;
  return q.get('pagetype')?.toLowerCase() === pageType && q.get('etn')?.toLowerCase() === 'lead';
}

/**
 * A lead's record page in the org (and model-driven app, when `seen` names one) of a Dynamics
 * URL this browser has seen. Null when `seen` is not a Dynamics app page or `id` not a GUID.
 */
export function dynamicsLeadUrl(seen: URL, id: string): string | null {
  const guid = normalizeGuid(id);
  if (!isDynamicsUrl(seen) || !guid) return null;
  const q = new URLSearchParams();
  const appId = seen.searchParams.get('appid');
  if (appId) q.set('appid', appId);
  q.set('pagetype', 'entityrecord');
  q.set('etn', 'lead');
  q.set('id', guid);
  return `${seen.origin}/main.aspx?${q}`;
}
