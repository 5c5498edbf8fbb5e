import { z } from 'zod';
import { isSalesforceId, toCaseSafeId } from './salesforce-id';

/**
 * The CRMs a lead can live in. Lightning and Classic share Salesforce's record ids, so both are
 * `salesforce`; `custom` is a CRM configured by the team (its record ids are opaque strings).
 */
export const CrmIdSchema = z.enum(['salesforce', 'hubspot', 'dynamics', 'custom']);
export type CrmId = z.infer<typeof CrmIdSchema>;

/** `<crm>:<recordId>`, e.g. `salesforce:00Q5g00000AbCdEEAV`. Salesforce ids always 18 characters. */
export const LeadKeySchema = z
  .string()
  .regex(/^(salesforce|hubspot|dynamics|custom):[^\s]{1,200}$/, 'lead key must be <crm>:<recordId>')
  .refine((key) => !key.startsWith('salesforce:') || /^salesforce:[a-zA-Z0-9]{18}$/.test(key), {
    message: 'Salesforce lead keys use the 18-character record id',
  });
export type LeadKey = z.infer<typeof LeadKeySchema>;

/**
 * Builds the lead key for a record. Salesforce ids are normalised to 18 characters and
 * Dynamics GUIDs to lower case without braces, so the same record always gets the same key.
 * @throws Error when a Salesforce id is malformed.
 */
export function makeLeadKey(crm: CrmId, recordId: string): LeadKey {
  const id = recordId.trim();
  switch (crm) {
    case 'salesforce':
      if (!isSalesforceId(id)) throw new Error(`Not a Salesforce record id: ${JSON.stringify(recordId)}`);
      return `salesforce:${toCaseSafeId(id)}`;
    case 'dynamics':
      return `dynamics:${id.replace(/[{}]/g, '').toLowerCase()}`;
    default:
      return `${crm}:${id}`;
  }
}

/** Splits a lead key into its CRM and record id. */
export function parseLeadKey(key: LeadKey): { crm: CrmId; recordId: string } {
  const at = key.indexOf(':');
  return { crm: CrmIdSchema.parse(key.slice(0, at)), recordId: key.slice(at + 1) };
}
