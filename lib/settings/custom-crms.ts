import { z } from 'zod';
import type { CustomCrmConfig } from '../crm/custom';
import { customCrmHostProblem } from './custom-crm-host';

// "Any CRM by configuration": the team's descriptions of CRMs SAL Bridge has no adapter for
// (lib/crm/custom builds the adapter). Kept in browser.storage.local (`customCrmsStorage` in
// ./storage-items.ts), which the background closes to content scripts at start (setAccessLevel TRUSTED_CONTEXTS): a content script, even a
// confused one on a CRM page, can neither read nor rewrite which hosts SAL Bridge runs on; the
// content script of a configured CRM gets its host's description from the background
// (`page.customCrm`). They hold no secret (selectors and URL patterns only).

/** More would mean a content script registration that matches half the web; ten is plenty. */
export const MAX_CUSTOM_CRMS = 10;

const selector = z.string().trim().min(1).max(500);

export const CustomCrmConfigSchema = z.object({
  slug: z.string().max(30),
  host: z
    .string()
    .max(253)
    .superRefine((host, ctx) => {
      const problem = customCrmHostProblem(host);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  recordUrl: z.string().min(1).max(500),
  listUrl: z.string().max(500).optional(),
  fields: z
    .object({
      name: selector,
      company: selector.optional(),
      title: selector.optional(),
      email: selector.optional(),
      phone: selector.optional(),
      leadSource: selector.optional(),
      status: selector.optional(),
      owner: selector.optional(),
      score: selector.optional(),
    })
    .strict(),
  anchor: selector,
  list: z
    .object({ row: selector, idAttribute: z.string().max(100).optional(), link: selector.optional(), nameCell: selector.optional() })
    .strict()
    .optional(),
}) satisfies z.ZodType<CustomCrmConfig>;

/** The stored record: versioned so a later shape can be migrated from this one. */
export const CustomCrmsSchema = z.object({
  version: z.literal(1),
  crms: z.array(CustomCrmConfigSchema).max(MAX_CUSTOM_CRMS),
});
export type CustomCrms = z.infer<typeof CustomCrmsSchema>;

/**
 * The valid CRMs the stored value holds; none when it is missing or not of this shape. Each CRM
 * is checked on its own, so one that today's rules refuse (a host stored before public suffixes
 * were refused, say) is left out without taking the others with it.
 */
export function parseCustomCrms(stored: unknown): CustomCrmConfig[] {
  const envelope = z.object({ version: z.literal(1), crms: z.array(z.unknown()).max(MAX_CUSTOM_CRMS) }).safeParse(stored);
  if (!envelope.success) return [];
  return envelope.data.crms.flatMap((crm) => {
    const parsed = CustomCrmConfigSchema.safeParse(crm);
    return parsed.success ? [parsed.data] : [];
  });
}

/**
 * The record to store for these CRMs: one per slug (a new one with a known slug replaces it).
 * @throws Error when there would be more than MAX_CUSTOM_CRMS.
 */
export function withCustomCrm(current: readonly CustomCrmConfig[], config: CustomCrmConfig): CustomCrms {
  const crms = [...current.filter((c) => c.slug !== config.slug), config];
  if (crms.length > MAX_CUSTOM_CRMS) throw new Error(`at most ${MAX_CUSTOM_CRMS} CRMs`);
  return { version: 1, crms };
}

/** The record to store without the CRM named by `slug`. */
export function withoutCustomCrm(current: readonly CustomCrmConfig[], slug: string): CustomCrms {
  return { version: 1, crms: current.filter((c) => c.slug !== slug) };
}

/** A filled-in example for the options page's editor: a kintone app used as the lead list. */
export const CUSTOM_CRM_EXAMPLE: CustomCrmConfig = {
  slug: 'kintone-leads',
  host: 'example.cybozu.com',
  recordUrl: '^/k/12/show#record=(?<id>\\d+)',
  listUrl: '^/k/12/?$',
  fields: { name: '.field-name .value', company: '.field-company .value', email: '.field-email .value', phone: '.field-phone .value' },
  anchor: '.record-header',
  list: { row: 'tr.record-row', link: 'a.record-link' },
};
