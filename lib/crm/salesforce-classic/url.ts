import { toCaseSafeId } from '../../domain/salesforce-id';
import type { PageKind } from '../types';

// Salesforce Classic (`<host>.my.salesforce.com`): a lead record at `/<id>`, lead lists at `/00Q`
// (`?fcf=<list view id>`) or `/00Q/o`.

const RECORD_PATH = /^\/([a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?)\/?$/;

/** True for Classic pages: `*.my.salesforce.com`, not its Lightning paths. */
export function classicMatches(url: URL): boolean {
  return url.protocol === 'https:' && url.hostname.endsWith('.my.salesforce.com') && !url.pathname.startsWith('/lightning/');
}

/** Classic record id from `/<id>` (18-character form) or null. */
export function classicRecordId(url: URL): string | null {
  const m = RECORD_PATH.exec(url.pathname);
  return m?.[1] ? toCaseSafeId(m[1]) : null;
}

/** Classifies a Classic page: `/<00Q id>` lead record, `/00Q` or `/00Q/o` lead list. */
export function detectClassicPage(url: URL): PageKind {
  if (!classicMatches(url)) return { kind: 'other' };
  const id = classicRecordId(url);
  if (id) return id.startsWith('00Q') ? { kind: 'lead-record', recordId: id } : { kind: 'other' };
  return /^\/00Q(?:\/o)?\/?$/.test(url.pathname) ? { kind: 'lead-list' } : { kind: 'other' };
}

/** A lead's Classic detail page on the host of a Classic URL this browser has seen; null for other URLs. */
export function classicLeadUrl(seen: URL, recordId: string): string | null {
  return classicMatches(seen) ? `${seen.origin}/${encodeURIComponent(recordId)}` : null;
}
