import type { LeadSnapshot } from '../domain';
import type { LeadOnPage, LeadRead } from './types';

/**
 * The lead fields every adapter reads: the stored snapshot's (`LeadSnapshotSchema` in
 * lib/domain/events.ts, but for the page URL, which the background adds). The one list: adapters,
 * the message contract and the panel take theirs from here.
 */
export const SNAPSHOT_FIELDS = ['name', 'company', 'title', 'email', 'phone', 'leadSource', 'status'] as const;

/** Every field an adapter may read: the snapshot's and the page-only `owner` and `score`. */
export const LEAD_FIELDS = [...SNAPSHOT_FIELDS, 'owner', 'score'] as const;

/** One lead field an adapter reads. */
export type LeadField = (typeof LEAD_FIELDS)[number];

// Compile-time check that SNAPSHOT_FIELDS names exactly the snapshot schema's page fields: a field
// added to (or dropped from) LeadSnapshotSchema without this list fails `tsc` here.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
type _SnapshotFieldsMatchSchema = Assert<SameKeys<(typeof SNAPSHOT_FIELDS)[number], Exclude<keyof LeadSnapshot, 'url'>>>;

/** Stores one field read from a page; the score is parsed as a number ("1,200" → 1200). */
export function setField(lead: LeadOnPage, field: LeadField, value: string): void {
  if (field === 'score') {
    const n = Number(value.replace(/[,\s]/g, ''));
    if (Number.isFinite(n)) lead.score = n;
    return;
  }
  lead[field] = pageText(value, field);
}

/**
 * Longest value per field, in UTF-16 code units: the stored snapshot's limits
 * (LeadSnapshotSchema in lib/domain/events.ts), so a long value cannot make an event fail
 * validation later. Kept here, free of zod, for the content script.
 */
export const FIELD_MAX: Readonly<Record<LeadField, number>> = { name: 500, company: 500, title: 500, email: 500, phone: 100, leadSource: 200, status: 200, owner: 200, score: 100 };

// NUL and the other C0 controls but tab, newline and carriage return; and UTF-16 surrogates
// without their other half. PostgreSQL refuses NUL and unpaired surrogates in text and JSON, so
// one such value read from a page would make its event unstorable on the team server.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSTORABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A page value made storable: characters PostgreSQL refuses are dropped, then the value is cut
 * to at most `max` UTF-16 units on a code point boundary (an emoji is kept whole or left out,
 * never cut in half).
 */
export function clip(s: string, max: number): string {
  const clean = s.replace(UNSTORABLE, '');
  if (clean.length <= max) return clean;
  const cut = clean.charCodeAt(max - 1);
  // a high surrogate as the last unit kept would lose its low half: stop before it
  return clean.slice(0, cut >= 0xd800 && cut <= 0xdbff ? max - 1 : max);
}

/** A page value for `field`, made storable and cut to the field's limit (see `clip`). */
export function pageText(s: string, field: LeadField): string {
  return clip(s, FIELD_MAX[field]);
}

/**
 * The read result every adapter returns: `complete` when each expected field was found on the
 * page (possibly empty), `none` when none was, `partial` otherwise.
 */
export function leadReadResult(lead: LeadOnPage, expected: readonly LeadField[], found: ReadonlySet<LeadField>, empty: ReadonlySet<LeadField>): LeadRead {
  const missing = expected.filter((f) => !found.has(f));
  const status = missing.length === 0 ? 'complete' : missing.length === expected.length ? 'none' : 'partial';
  return { status, lead, missing, empty: expected.filter((f) => empty.has(f)) };
}
