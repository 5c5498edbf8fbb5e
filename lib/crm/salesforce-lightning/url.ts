import { toCaseSafeId } from '../../domain/salesforce-id';
import type { PageKind } from '../types';

// Imported from the module, not the domain barrel: the barrel also exports zod schemas, which
// must not be bundled into the content script.

const LEAD_PREFIX = '00Q';
const ID = '([a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?)';
const RECORD_PATH = new RegExp(`^/lightning/r/(?:([A-Za-z][A-Za-z0-9_]*)/)?${ID}/view/?$`);
const CONSOLE_HASH = new RegExp(`^#/sObject/${ID}(?:/view)?/?(?:[?].*)?$`);
const LEAD_LIST_PATH = /^\/lightning\/o\/Lead\/(?:list|home)\/?$/;

/** True for Lightning Experience hosts (`<mydomain>.lightning.force.com`, sandboxes included). */
export function isLightningUrl(url: URL): boolean {
  return url.protocol === 'https:' && url.hostname.endsWith('.lightning.force.com');
}

/**
 * The record id a Lightning URL points at, in 18-character form, with the object name when the
 * URL carries it: `/lightning/r/Lead/<id>/view`, `/lightning/r/<id>/view`,
 * `/one/one.app#/sObject/<id>/view`. Null for any other URL.
 */
export function recordFromUrl(url: URL): { object: string | null; recordId: string } | null {
  let object: string | null = null;
  let raw: string | undefined;
  const m = RECORD_PATH.exec(url.pathname);
  if (m) {
    object = m[1] ?? null;
    raw = m[2];
  } else if (url.pathname === '/one/one.app') {
    raw = CONSOLE_HASH.exec(url.hash)?.[1];
  }
  return raw ? { object, recordId: toCaseSafeId(raw) } : null;
}

/**
 * Classifies a Lightning page by URL: a Lead record (id prefix `00Q`; other objects such as
 * Account `001` are 'other' even under `/lightning/r/<id>/view`), the Lead list view or object
 * home, or anything else.
 */
export function detectLightningPage(url: URL): PageKind {
  if (!isLightningUrl(url)) return { kind: 'other' };
  const record = recordFromUrl(url);
  if (record) {
    const isLead = record.recordId.startsWith(LEAD_PREFIX) && (record.object === null || record.object === 'Lead');
    return isLead ? { kind: 'lead-record', recordId: record.recordId } : { kind: 'other' };
  }
  return LEAD_LIST_PATH.test(url.pathname) ? { kind: 'lead-list' } : { kind: 'other' };
}

/** A Lead record's Lightning page on `origin` (`https://<mydomain>.lightning.force.com`). */
export function lightningLeadUrl(origin: string, recordId: string): string {
  return `${origin}/lightning/r/Lead/${encodeURIComponent(recordId)}/view`;
}
