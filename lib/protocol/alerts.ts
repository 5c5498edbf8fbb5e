import { z } from 'zod';
import { pgSafeString } from '../domain/events';

/**
 * Wire shapes of the team's SLA alerts (`/v1/alerts/*`, admin only): where the server posts
 * when a lead's SLA clock reaches warning or breach, and the delivery log. The routes are
 * declared in `routes.ts`; the reference server serves them (`server/src/alerts/`).
 */

export const AlertChannelSchema = z.enum(['slack', 'teams', 'webhook']);
export type AlertChannel = z.infer<typeof AlertChannelSchema>;
export const ALERT_CHANNELS = AlertChannelSchema.options;

/** The states that alert: `warning` (the clock entered its warning window) and `breached`. */
export const AlertLevelSchema = z.enum(['warning', 'breached']);
/** The SLA clocks (`SlaClockKind` in `lib/domain/sla-clocks.ts`). */
export const AlertClockSchema = z.enum(['acceptance', 'first_contact', 'status_update']);

/** A webhook URL as typed; the server also checks scheme and target (https, no private network). */
const webhookUrl = pgSafeString().trim().min(1).max(2000);

/** A local time of day `HH:MM` (00:00–23:59) in the team calendar's zone. */
const DIGEST_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * The morning digest: once a day, at `time` in the team business calendar's zone, on the
 * calendar's working days only (not on weekends, holidays or closures), one message per channel
 * listing per rep their hand-offs waiting for acceptance, due today and overdue. Part of the
 * alerts: it goes out only while alerts are on, to their channels, in their language.
 */
export const AlertDigestSchema = z.object({
  enabled: z.boolean(),
  time: z.string().regex(DIGEST_TIME, 'must be HH:MM (00:00–23:59)'),
});
export type AlertDigest = z.infer<typeof AlertDigestSchema>;

/** The digest's time until an admin picks one: the start of the default calendar's day. */
export const DEFAULT_DIGEST_TIME = '09:00';

export const AlertRulesSchema = z.object({
  clocks: z.array(AlertClockSchema).default(['acceptance', 'first_contact', 'status_update']),
  levels: z.array(AlertLevelSchema).default(['warning', 'breached']),
  /**
   * Business-time clocks alert only in the team's business hours (an alert due at night waits
   * for the next opening) unless this is true. Calendar-time clocks alert at any hour.
   */
  outsideBusinessHours: z.boolean().default(false),
  /** Language of the messages (Japanese by default). */
  language: z.enum(['ja', 'en']).default('ja'),
  /** The morning digest (absent: off; settings saved before it existed have none). */
  digest: AlertDigestSchema.optional(),
});
export type AlertRules = z.infer<typeof AlertRulesSchema>;

/**
 * Save the team's alert settings. Per channel: an object sets it, `null` removes it, absent keeps
 * what is stored (so an admin can change the rules without re-sending the secrets they cannot read
 * back). The generic webhook's `secret` signs each body (HMAC-SHA256, see the README).
 */
export const PutAlertSettingsRequestSchema = z.object({
  enabled: z.boolean(),
  channels: z
    .object({
      slack: z.object({ url: webhookUrl }).nullable().optional(),
      teams: z.object({ url: webhookUrl }).nullable().optional(),
      webhook: z
        .object({ url: webhookUrl, secret: pgSafeString().min(16, 'the shared secret needs at least 16 characters').max(200) })
        .nullable()
        .optional(),
    })
    .default({}),
  rules: AlertRulesSchema.default({ clocks: ['acceptance', 'first_contact', 'status_update'], levels: ['warning', 'breached'], outsideBusinessHours: false, language: 'ja' }),
});
export type PutAlertSettingsRequest = z.infer<typeof PutAlertSettingsRequestSchema>;

/** A configured channel as an admin reads it back: the URL masked (it is a credential), never the secret. */
const MaskedChannelSchema = z.object({ url: z.string() });

export const AlertSettingsResponseSchema = z.object({
  enabled: z.boolean(),
  channels: z.object({
    slack: MaskedChannelSchema.nullable(),
    teams: MaskedChannelSchema.nullable(),
    webhook: MaskedChannelSchema.extend({ secretSet: z.literal(true) }).nullable(),
  }),
  rules: AlertRulesSchema,
  /** Since when alerts are on: transitions before it are not announced (no backlog flood). */
  enabledAt: z.iso.datetime({ offset: true }).nullable(),
  updatedAt: z.iso.datetime({ offset: true }).nullable(),
  updatedBy: z.string().nullable(),
});
export type AlertSettingsResponse = z.infer<typeof AlertSettingsResponseSchema>;

export const AlertDeliveryStatusSchema = z.enum(['pending', 'sending', 'sent', 'failed']);
export type AlertDeliveryStatus = z.infer<typeof AlertDeliveryStatusSchema>;

export const AlertDeliveriesQuerySchema = z.object({
  status: AlertDeliveryStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

/**
 * One alert (or digest) to one channel. `pending`: waiting for its (next) attempt at `nextAttemptAt`;
 * `sending`: claimed by a server instance (resent after `nextAttemptAt` if that instance died);
 * `sent`: the channel answered 2xx; `failed`: given up (a 4xx other than 408/429, a refused
 * target, a channel no longer configured, or too many attempts), with the last error.
 */
export const AlertDeliverySchema = z.object({
  id: z.string(),
  /** `sla`: one clock of one lead; `digest`: one day's morning digest (no lead, clock or level). Absent from servers before the digest: `sla`. */
  kind: z.enum(['sla', 'digest']).default('sla'),
  channel: AlertChannelSchema,
  /** The lead (`''` for a digest). */
  leadKey: z.string(),
  leadName: z.string().nullable(),
  clock: AlertClockSchema.nullable(),
  level: AlertLevelSchema.nullable(),
  status: AlertDeliveryStatusSchema,
  attempts: z.number().int().nonnegative(),
  createdAt: z.iso.datetime({ offset: true }),
  nextAttemptAt: z.iso.datetime({ offset: true }).nullable(),
  sentAt: z.iso.datetime({ offset: true }).nullable(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
});
export type AlertDelivery = z.infer<typeof AlertDeliverySchema>;

export const AlertDeliveriesResponseSchema = z.object({ deliveries: z.array(AlertDeliverySchema) });
export type AlertDeliveriesResponse = z.infer<typeof AlertDeliveriesResponseSchema>;
