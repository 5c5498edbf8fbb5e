import { z } from 'zod';
import { isPgSafeText } from './pg-safe';
import { isSalesforceId, toCaseSafeId } from './salesforce-id';

/**
 * The CRMs a lead can live in. Lightning and Classic share Salesforce's record ids, so both are
 * `salesforce`; `custom` is a CRM configured by the team (its record ids are opaque strings).
 */
export const CrmIdSchema = z.enum(['salesforce', 'hubspot', 'dynamics', 'custom']);
export type CrmId = z.infer<typeof CrmIdSchema>;

/**
 * `<crm>:<recordId>`, e.g. `salesforce:00Q5g00000AbCdEEAV`: a record id of 1–200 UTF-16 units
 * without whitespace, U+0000 or unpaired surrogates (PostgreSQL stores it); Salesforce ids always
 * 18 characters.
 */
export const LeadKeySchema = z
  .string()
  .regex(/^(salesforce|hubspot|dynamics|custom):[^\s]{1,200}$/, 'lead key must be <crm>:<recordId>')
  .refine((key) => !key.startsWith('salesforce:') || /^salesforce:[a-zA-Z0-9]{18}$/.test(key), {
    message: 'Salesforce lead keys use the 18-character record id',
  })
  .refine(isPgSafeText, { message: 'contains U+0000 or an unpaired UTF-16 surrogate' });
export type LeadKey = z.infer<typeof LeadKeySchema>;

/**
 * Builds the lead key for a record. The id is trimmed; Salesforce ids are normalised to 18
 * characters and Dynamics GUIDs to lower case without braces, so the same record always gets the
 * same key. The result always passes `LeadKeySchema`.
 * @throws Error for anything `LeadKeySchema` would refuse: a malformed Salesforce id; an id that
 *   is empty (after trimming, or after removing a GUID's braces), contains whitespace, is longer
 *   than 200 characters, or holds U+0000 or an unpaired UTF-16 surrogate.
 */
export function makeLeadKey(crm: CrmId, recordId: string): LeadKey {
  const id = recordId.trim();
  let key: string;
  switch (crm) {
    case 'salesforce':
      if (!isSalesforceId(id)) throw new Error(`Not a Salesforce record id: ${JSON.stringify(recordId)}`);
      key = `salesforce:${toCaseSafeId(id)}`;
      break;
    case 'dynamics':
      key = `dynamics:${id.replace(/[{}]/g, '').toLowerCase()}`;
      break;
    default:
      key = `${crm}:${id}`;
  }
  const checked = LeadKeySchema.safeParse(key);
  if (!checked.success) throw new Error(`Not a usable ${crm} record id: ${JSON.stringify(recordId)} (${checked.error.issues[0]?.message ?? 'invalid'})`);
  return key;
}

/**
 * Splits a lead key into its CRM and record id.
 * @throws ZodError when the part before the first `:` is not a known CRM (a string that is not a `LeadKey`).
 */
export function parseLeadKey(key: LeadKey): { crm: CrmId; recordId: string } {
  const at = key.indexOf(':');
  return { crm: CrmIdSchema.parse(key.slice(0, at)), recordId: key.slice(at + 1) };
}

/**
 * Groups anything that names its lead (events, stored rows) by `leadKey`, keeping the input order
 * within each lead and the order of first appearance across leads. `order`, when given, then
 * arranges each lead's list (e.g. into fold order).
 */
export function groupByLead<T extends { leadKey: string }>(items: Iterable<T>): Map<string, T[]>;
export function groupByLead<T extends { leadKey: string }, U>(items: Iterable<T>, order: (list: T[]) => U[]): Map<string, U[]>;
export function groupByLead<T extends { leadKey: string }>(items: Iterable<T>, order?: (list: T[]) => unknown[]): Map<string, unknown[]> {
  const byLead = new Map<string, T[]>();
  for (const item of items) {
    const list = byLead.get(item.leadKey);
    if (list) list.push(item);
    else byLead.set(item.leadKey, [item]);
  }
  return order ? new Map([...byLead].map(([k, v]) => [k, order(v)])) : byLead;
}
