import type { CrmFieldUpdates, CrmFieldValue } from '../domain/writeback';

/**
 * One CRM's write-back client, as the queue (queue.ts) calls it. Each CRM has its own file
 * (salesforce.ts, hubspot.ts, dynamics.ts); each turns the CRM's answers into a `WriteOutcome`
 * with a pure classifier, tested on the CRMs' documented error bodies.
 */
export interface WriteRequest {
  /** The record id as SAL Bridge keys it (`parseLeadKey(...).recordId`). */
  recordId: string;
  /** The CRM page the decision was made on: which org, portal or environment. */
  pageUrl: string;
  fields: CrmFieldUpdates;
  /** A record changed in the CRM after this instant (ms) is a conflict: the write is not made. */
  unmodifiedSince: number;
  /**
   * An earlier try was still out when the worker stopped: the CRM may have applied it. The writer
   * reads the record first and, if it already holds every value, reports `applied` without
   * writing again (a write is never applied twice).
   */
  verifyFirst: boolean;
}

/**
 * What the CRM said, in the queue's terms:
 * - `applied`: 2xx (or the values were already there, see `verifyFirst`);
 * - `sign_in`: the session or token is missing, expired or refused (401, `INVALID_SESSION_ID`);
 * - `refused`: the CRM refused these values for good (permissions, validation rule, picklist):
 *   retrying the same write cannot succeed; `message` is the CRM's own;
 * - `conflict`: the record changed since the rep read it (412, or a newer modification time);
 * - `limit`: the org's API allocation is used up (`REQUEST_LIMIT_EXCEEDED`, 429 daily);
 * - `transient`: anything worth retrying (network, 5xx, a proxy's page, the CRM's tab not open).
 */
export type WriteOutcome =
  | { kind: 'applied' }
  | { kind: 'sign_in'; message: string }
  | { kind: 'refused'; code: string; message: string }
  | { kind: 'conflict'; message: string }
  | { kind: 'limit'; message: string; retryAfterMs: number | null }
  | { kind: 'transient'; message: string; retryAfterMs: number | null };

/**
 * The `sign_in` message of a Salesforce job whose org refused the rep's cookie session for the API
 * while the team has a connected app and the rep has not connected this org (or its connection
 * ended): the panel says "connect Salesforce in the options page", the options page lists the org.
 */
export const SALESFORCE_CONNECT_REQUIRED = 'salesforce_connect_required';

export interface CrmWriter {
  write(request: WriteRequest): Promise<WriteOutcome>;
  /** Which session or quota a job uses (an org's API host): one sign-in or limit holds every job of the same target. */
  target(pageUrl: string): string | null;
}

/**
 * Whether a value read back from the CRM is the value written: text as the CRM returns it, numbers
 * and booleans by value, date-times by instant (Salesforce answers `…+0000` for a `…Z` written).
 */
export function sameCrmValue(read: unknown, written: CrmFieldValue): boolean {
  if (written === null) return read === null || read === undefined || read === '';
  if (read === null || read === undefined) return false;
  if (typeof written === 'string' && typeof read === 'string' && written.includes('T') && read.includes('T')) {
    const a = Date.parse(written);
    const b = Date.parse(read.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
    if (Number.isFinite(a) && Number.isFinite(b)) return a === b;
  }
  return String(read) === String(written);
}

/** Whether a record read back holds every value of `fields`. */
export function holdsAll(record: Record<string, unknown>, fields: CrmFieldUpdates): boolean {
  return Object.entries(fields).every(([name, value]) => sameCrmValue(record[name], value));
}

/** A network failure (fetch threw): always retried. */
export function networkFailure(error: unknown): WriteOutcome {
  return { kind: 'transient', message: error instanceof Error ? error.message : String(error), retryAfterMs: null };
}
