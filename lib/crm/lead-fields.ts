import type { LeadField, LeadOnPage, LeadRead } from './types';

/** Stores one field read from a page; the score is parsed as a number ("1,200" → 1200). */
export function setField(lead: LeadOnPage, field: LeadField, value: string): void {
  if (field === 'score') {
    const n = Number(value.replace(/[,\s]/g, ''));
    if (Number.isFinite(n)) lead.score = n;
    return;
  }
  lead[field] = value;
}

/** Cuts a page value to the length the stored snapshot allows. */
export function clip(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
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
