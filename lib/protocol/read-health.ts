import { z } from 'zod';
import { CrmIdSchema } from '../domain/lead-key';
import { ReadHealthDaySchema } from '../domain/read-health';

/**
 * Wire shapes of read health (issue 16): a browser posts its daily aggregates of read health
 * records (`POST /v1/health/reads`, any member, for their own team), and an admin reads each
 * CRM's state (`GET /v1/admin/read-health`). The days carry counts and field names only, never
 * lead data. The routes are declared in `routes.ts`; the reference server serves them
 * (`server/src/read-health.ts`).
 */

/** How many days a browser posts at most in one request (it keeps about a month). */
export const MAX_READ_HEALTH_DAYS = 100;

export const PostReadHealthRequestSchema = z.object({
  days: z.array(ReadHealthDaySchema).min(1).max(MAX_READ_HEALTH_DAYS),
});
export type PostReadHealthRequest = z.infer<typeof PostReadHealthRequestSchema>;

export const PostReadHealthResponseSchema = z.object({
  /** Days stored (each replaces what this member had posted for the same CRM, page kind and day). */
  stored: z.number().int().min(0),
  /** Days outside the window the server keeps (older than `READ_HEALTH_WINDOW_DAYS`, or later than tomorrow): not stored. */
  ignored: z.number().int().min(0),
});
export type PostReadHealthResponse = z.infer<typeof PostReadHealthResponseSchema>;

const CountsSchema = z.object({ reads: z.number().int().min(0), ok: z.number().int().min(0), partial: z.number().int().min(0), failing: z.number().int().min(0) });

/** One CRM as the admin page shows it (see `crmHealth` in lib/domain/read-health.ts). */
export const CrmReadHealthSchema = z.object({
  crm: CrmIdSchema,
  status: z.enum(['ok', 'partial', 'failing']),
  since: z.iso.datetime({ offset: true }),
  /** The last UTC day with reads, whose counts these are. */
  day: z.iso.date(),
  counts: CountsSchema,
  topMissing: z.array(z.object({ field: z.string(), count: z.number().int().min(0) })),
  /** Members whose browsers reported that day. */
  members: z.number().int().min(0),
  /** Adapter versions seen that day, most reads first. */
  adapterVersions: z.array(z.string()),
});
export type CrmReadHealth = z.infer<typeof CrmReadHealthSchema>;

export const ReadHealthResponseSchema = z.object({
  /** The days looked at (the server keeps this many). */
  windowDays: z.number().int().min(1),
  crms: z.array(CrmReadHealthSchema),
});
export type ReadHealthResponse = z.infer<typeof ReadHealthResponseSchema>;
