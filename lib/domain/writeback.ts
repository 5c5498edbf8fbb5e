import { z } from 'zod';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { LeadEvent } from './events';
import { pgSafeString } from './pg-safe';

/**
 * Write-back: which CRM fields a decision recorded in SAL Bridge sets on the lead's CRM record, so
 * the CRM stays the system of record (its reports, dashboards and automations see 受領 / 却下).
 * Part of the team's definition (`SalDefinition.writeback`), one mapping per CRM, since the field
 * API names differ (Salesforce `Status`, HubSpot `hs_lead_status`, Dynamics `statuscode` and
 * `statecode`). Every part is optional: a CRM or a decision without a mapping writes nothing.
 *
 * Pure: the values are computed from the event and the team's time zone only.
 */

/** Decisions that can be written back. */
export const WRITEBACK_TRIGGERS = ['accepted', 'rejected', 'recycled', 'qualified', 'won', 'lost'] as const;
export const WritebackTriggerSchema = z.enum(WRITEBACK_TRIGGERS);
export type WritebackTrigger = z.infer<typeof WritebackTriggerSchema>;

/** CRMs SAL Bridge can write to (a configured CRM has no known API). */
export const WritebackCrmSchema = z.enum(['salesforce', 'hubspot', 'dynamics']);
export type WritebackCrm = z.infer<typeof WritebackCrmSchema>;

/**
 * What a field is set to: a fixed value, or a value taken from the decision.
 * - `date`: the day of the decision in the team's time zone (`YYYY-MM-DD`, a CRM date field);
 * - `dateTime`: the decision's instant (ISO-8601, UTC);
 * - `reasonCode` / `reasonLabel`: the rejection's reason (label in the definition's language `lang`);
 *   for recycled / lost the reason text the rep gave;
 * - `comment`, `temperature`, `actorName`, `amount` (won).
 * A source the decision does not carry (a comment left empty) sets the field to null (cleared).
 */
export const WritebackSourceSchema = z.enum(['date', 'dateTime', 'reasonCode', 'reasonLabel', 'comment', 'temperature', 'actorName', 'amount']);
export type WritebackSource = z.infer<typeof WritebackSourceSchema>;

export const WritebackValueSchema = z.union([
  z.object({ value: z.union([pgSafeString().max(1000), z.number().finite(), z.boolean(), z.null()]) }).strict(),
  z.object({ from: WritebackSourceSchema, lang: z.enum(['ja', 'en']).optional() }).strict(),
]);
export type WritebackValue = z.infer<typeof WritebackValueSchema>;

/** A CRM field's API name (Salesforce `Status`, `SAL_Reason__c`; HubSpot `hs_lead_status`; Dynamics `statuscode`). */
export const CrmFieldNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, 'a CRM field API name');

/** Field updates per decision: `{ accepted: { Status: { value: 'Working - Contacted' } } }`. */
export const WritebackRulesSchema = z.partialRecord(WritebackTriggerSchema, z.record(CrmFieldNameSchema, WritebackValueSchema));
export type WritebackRules = z.infer<typeof WritebackRulesSchema>;

/**
 * A Salesforce connected app's (or external client app's) consumer key, for orgs that refuse the
 * rep's cookie session for the API (API Access Control): write-back then signs in to the org with
 * OAuth 2.0 authorization code + PKCE (lib/writeback/salesforce-oauth.ts). Public, not a secret
 * (a PKCE client has none); `3MVG9…` in real orgs.
 */
export const SalesforceClientIdSchema = z.string().regex(/^[A-Za-z0-9._~-]{1,255}$/, 'a connected app consumer key');

export const WritebackSchema = z.object({
  salesforce: z
    .object({
      on: WritebackRulesSchema,
      /** The team's connected app for the OAuth fallback (absent: the rep's cookie session only). */
      oauth: z.object({ clientId: SalesforceClientIdSchema }).optional(),
    })
    .optional(),
  /** `objectType` is read from the record's page (contact or leads object); the rules apply to both. */
  hubspot: z.object({ on: WritebackRulesSchema }).optional(),
  dynamics: z.object({ on: WritebackRulesSchema }).optional(),
});
export type Writeback = z.infer<typeof WritebackSchema>;

/** A value as sent to the CRM. */
export type CrmFieldValue = string | number | boolean | null;
export type CrmFieldUpdates = Record<string, CrmFieldValue>;

export interface WritebackContext {
  /** The team's time zone (IANA), for `date`. */
  timeZone: string;
  /** Label of a reject reason code in a language, when the definition knows the code. */
  reasonLabel(code: string, lang: 'ja' | 'en'): string | undefined;
}

/**
 * The field updates a decision writes to `crm`, or null when the team maps nothing for this CRM
 * and decision (or the event is not a decision that can be written back). Never throws.
 */
export function writebackFields(writeback: Writeback | undefined, crm: WritebackCrm, event: LeadEvent, ctx: WritebackContext): CrmFieldUpdates | null {
  const trigger = WritebackTriggerSchema.safeParse(event.type);
  if (!trigger.success) return null;
  const rules = writeback?.[crm]?.on[trigger.data];
  if (!rules) return null;
  const updates: CrmFieldUpdates = {};
  for (const [field, value] of Object.entries(rules)) updates[field] = 'value' in value ? value.value : sourceValue(value.from, value.lang ?? 'ja', event, ctx);
  return Object.keys(updates).length > 0 ? updates : null;
}

function sourceValue(from: WritebackSource, lang: 'ja' | 'en', event: LeadEvent, ctx: WritebackContext): CrmFieldValue {
  const p = event.payload as Partial<Record<'reasonCode' | 'reason' | 'comment' | 'temperature' | 'amount', unknown>>;
  const text = (v: unknown) => (typeof v === 'string' && v.trim().length > 0 ? v : null);
  switch (from) {
    case 'date':
      return format(new TZDate(Date.parse(event.occurredAt), ctx.timeZone), 'yyyy-MM-dd');
    case 'dateTime':
      return new Date(Date.parse(event.occurredAt)).toISOString();
    case 'reasonCode':
      return text(p.reasonCode) ?? text(p.reason);
    case 'reasonLabel': {
      const code = text(p.reasonCode);
      return code ? (ctx.reasonLabel(code, lang) ?? code) : text(p.reason);
    }
    case 'comment':
      return text(p.comment);
    case 'temperature':
      return text(p.temperature);
    case 'actorName':
      return text(event.actor.name);
    case 'amount':
      return typeof p.amount === 'number' ? p.amount : null;
  }
}

/**
 * A starting point for Salesforce teams using the standard Lead Status values (the options a
 * team's admin edits; not applied unless the team's definition carries it): 受領 → "Working -
 * Contacted", 却下 → "Closed - Not Converted" with the reason in a custom field.
 */
export const SALESFORCE_WRITEBACK_EXAMPLE: Writeback = {
  salesforce: {
    on: {
      accepted: { Status: { value: 'Working - Contacted' }, SAL_Accepted_Date__c: { from: 'date' } },
      rejected: { Status: { value: 'Closed - Not Converted' }, SAL_Reject_Reason__c: { from: 'reasonLabel', lang: 'ja' } },
      recycled: { Status: { value: 'Open - Not Contacted' } },
    },
  },
  hubspot: {
    on: {
      accepted: { hs_lead_status: { value: 'IN_PROGRESS' } },
      rejected: { hs_lead_status: { value: 'UNQUALIFIED' } },
    },
  },
  dynamics: {
    // Dynamics 365 lead: statecode 2 = Disqualified with statuscode 6 "No longer interested";
    // statecode 0 = Open with statuscode 2 "Contacted"
    on: {
      accepted: { statecode: { value: 0 }, statuscode: { value: 2 } },
      rejected: { statecode: { value: 2 }, statuscode: { value: 6 } },
    },
  },
};
