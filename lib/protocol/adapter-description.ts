import { z } from 'zod';
import { DESCRIBED_UIS, type AdapterDescription } from '../crm/description';
import { LEAD_FIELDS } from '../crm/lead-fields';

/**
 * The schema of an adapter description (`AdapterDescription`, lib/crm/description.ts): what the
 * team server stores and serves (`/v1/adapters`) and what the service worker accepts from it
 * before a content script gets it. Data only: strict objects (an unknown key is refused, so nothing
 * rides along), CSS selectors, attribute names, label texts and regular expressions that must
 * compile; all bounded. Selectors cannot be checked without a DOM: the page's interpreter treats
 * an invalid one as finding nothing.
 */

const selector = z.string().trim().min(1).max(500);
const name = z.string().min(1).max(60);
const attribute = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/, 'an attribute name');
/** A regular expression (JavaScript syntax), short: it runs on the CRM's main thread. */
const pattern = z
  .string()
  .min(1)
  .max(300)
  .refine(
    (source) => {
      try {
        new RegExp(source);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'not a valid regular expression' },
  );
const common = {
  name,
  in: selector.optional(),
  deep: z.boolean().optional(),
  strip: pattern.optional(),
  value: z.array(selector).max(10).optional(),
  self: z.boolean().optional(),
  attr: attribute.optional(),
};

export const StrategySchema = z.union([
  z.strictObject({ ...common, css: selector }),
  z.strictObject({
    ...common,
    label: z
      .array(
        z
          .string()
          .min(1)
          .max(100)
          .refine((l) => l === l.toLowerCase(), { message: 'labels are written in lower case' }),
      )
      .min(1)
      .max(20),
    at: selector.optional(),
  }),
]);

const LeadFieldSchema = z.enum(LEAD_FIELDS);
const IdFormSchema = z.enum(['salesforce', 'guid', 'hubspot', 'raw']);

export const AdapterDescriptionSchema = z.strictObject({
  format: z.literal(1),
  ui: z.enum(DESCRIBED_UIS),
  version: z.number().int().min(1).max(1_000_000_000),
  idForm: IdFormSchema,
  views: z.strictObject({ css: selector, active: selector }).optional(),
  page: selector.optional(),
  scope: selector.optional(),
  exclude: selector.optional(),
  fields: z.partialRecord(LeadFieldSchema, z.array(StrategySchema).min(1).max(30)),
  expected: z.array(LeadFieldSchema).max(LEAD_FIELDS.length).optional(),
  anchor: z.strictObject({
    find: z
      .array(z.strictObject({ name, css: selector, in: selector.optional(), deep: z.boolean().optional() }))
      .min(1)
      .max(10),
    needs: LeadFieldSchema.optional(),
    fallback: z.array(selector).max(10).optional(),
  }),
  checkboxes: z.strictObject({ css: selector, attr: attribute, prefix: z.string().max(200), label: attribute.optional() }).optional(),
  list: z
    .strictObject({
      rows: selector,
      row: selector.optional(),
      link: selector.optional(),
      deep: z.boolean().optional(),
      id: z.strictObject({ attr: attribute.optional(), pattern }),
      linkCell: selector.optional(),
      cell: z.array(selector).max(10).optional(),
      exclude: selector.optional(),
    })
    .optional(),
  release: z
    .array(z.strictObject({ css: selector, attr: attribute.optional(), pattern: pattern.optional() }))
    .max(10)
    .optional(),
}) satisfies z.ZodType<AdapterDescription>;

/** `GET /v1/adapters`: the team's descriptions (at most one per UI), newest version of each. */
export const AdapterDescriptionsResponseSchema = z.object({ descriptions: z.array(AdapterDescriptionSchema).max(DESCRIBED_UIS.length) });
export type AdapterDescriptionsResponse = z.infer<typeof AdapterDescriptionsResponseSchema>;

/** `PUT /v1/adapters`: a description for one UI (admin only); its version must be above the stored one's. */
export const PutAdapterDescriptionRequestSchema = AdapterDescriptionSchema;

/**
 * A description parsed from anywhere (server reply, storage): the description or null. Never throws.
 */
export function parseAdapterDescription(value: unknown): AdapterDescription | null {
  const parsed = AdapterDescriptionSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
