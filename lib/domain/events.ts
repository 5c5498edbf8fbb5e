import { z } from 'zod';
import { LeadKeySchema } from './lead-key';

/**
 * Lead events: the only facts SAL Bridge records. Every screen (panel, list badges, queue,
 * KPIs) is computed from them by the fold in `lifecycle.ts`. Events are immutable; an undo is a
 * `retracted` event pointing at the event it withdraws.
 *
 * `schemaVersion` versions this wire/storage shape (not the SAL definition); bump it with a
 * migration when a field changes meaning.
 */
export const EVENT_SCHEMA_VERSION = 1;

/** 26-character Crockford base-32 ULID (time-ordered, created on the client). */
export const UlidSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a ULID');

/**
 * Actor ids a browser makes up before its rep signs in to a team server (local-only mode):
 * `local-<ULID>`. A server accepts them from any member who pushes them (their decisions made
 * before signing in) and attributes them to that member; every other actor id must be the
 * pushing user's own.
 */
export const LOCAL_ACTOR_PREFIX = 'local-';

export const ActorSchema = z.object({
  /** Stable user id (the backend's user id, or a local id in local-only mode). */
  id: z.string().min(1).max(200),
  /** Display name, as shown in histories. */
  name: z.string().max(200).default(''),
});
export type Actor = z.infer<typeof ActorSchema>;

/** What the page showed about the lead when the event was recorded (for lists and queues). */
export const LeadSnapshotSchema = z.object({
  name: z.string().max(500).optional(),
  company: z.string().max(500).optional(),
  title: z.string().max(500).optional(),
  email: z.string().max(500).optional(),
  phone: z.string().max(100).optional(),
  leadSource: z.string().max(200).optional(),
  status: z.string().max(200).optional(),
  /** The CRM page the lead was seen on (to reopen it from the queue). */
  url: z.string().max(2000).optional(),
});
export type LeadSnapshot = z.infer<typeof LeadSnapshotSchema>;

export const TemperatureSchema = z.enum(['hot', 'warm', 'cold']);
export type Temperature = z.infer<typeof TemperatureSchema>;

export const ContactChannelSchema = z.enum(['call', 'email', 'meeting', 'other']);
export type ContactChannel = z.infer<typeof ContactChannelSchema>;

export const SalesSignalSchema = z.enum(['abm', 'intent', 'referral', 'other']);
export type SalesSignal = z.infer<typeof SalesSignalSchema>;

const comment = z.string().max(4000).optional();

const base = {
  schemaVersion: z.literal(EVENT_SCHEMA_VERSION),
  id: UlidSchema,
  leadKey: LeadKeySchema,
  actor: ActorSchema,
  /** ISO-8601 instant with offset, e.g. 2026-11-24T09:00:00.000Z. */
  occurredAt: z.iso.datetime({ offset: true }),
  /** Version of the SAL definition the event was made under (see `definition.ts`). */
  definitionVersion: z.number().int().min(1),
  lead: LeadSnapshotSchema.optional(),
};

export const HandedOverEventSchema = z.object({
  ...base,
  type: z.literal('handed_over'),
  payload: z.object({
    /** Who in marketing handed it over (name or id). */
    by: z.string().max(200),
    /** The sales rep it is assigned to, when known. */
    owner: z.string().max(200).optional(),
    source: z.string().max(200).optional(),
    campaign: z.string().max(200).optional(),
    score: z.number().finite().optional(),
    note: comment,
  }),
});

export const AcceptedEventSchema = z.object({
  ...base,
  type: z.literal('accepted'),
  payload: z.object({
    /** SAL checklist answers by criterion id; null = not known. */
    checklist: z.record(z.string(), z.boolean().nullable()).default({}),
    temperature: TemperatureSchema.optional(),
    comment,
  }),
});

export const RejectedEventSchema = z.object({
  ...base,
  type: z.literal('rejected'),
  payload: z
    .object({
      /** A reject reason code of the active definition, e.g. `do_not_call`, `other`. */
      reasonCode: z.string().min(1).max(100),
      temperature: TemperatureSchema.optional(),
      comment,
    })
    .refine((p) => p.reasonCode !== 'other' || (p.comment ?? '').trim().length > 0, {
      message: 'a comment is required when the reason is "other"',
      path: ['comment'],
    }),
});

export const ContactedEventSchema = z.object({
  ...base,
  type: z.literal('contacted'),
  payload: z.object({ channel: ContactChannelSchema, comment }),
});

export const ProgressUpdatedEventSchema = z.object({
  ...base,
  type: z.literal('progress_updated'),
  payload: z.object({ note: z.string().min(1).max(4000) }),
});

export const QualifiedEventSchema = z.object({
  ...base,
  type: z.literal('qualified'),
  payload: z.object({ comment }),
});

export const RecycledEventSchema = z.object({
  ...base,
  type: z.literal('recycled'),
  payload: z.object({ reason: z.string().min(1).max(200), comment }),
});

export const WonEventSchema = z.object({
  ...base,
  type: z.literal('won'),
  payload: z.object({ amount: z.number().finite().nonnegative().optional(), comment }),
});

export const LostEventSchema = z.object({
  ...base,
  type: z.literal('lost'),
  payload: z.object({ reason: z.string().max(200).optional(), comment }),
});

export const SalesOriginatedEventSchema = z.object({
  ...base,
  type: z.literal('sales_originated'),
  payload: z.object({ signal: SalesSignalSchema, temperature: TemperatureSchema.optional(), comment }),
});

/** A rejected lead put back to pending by sales (e.g. rejected by mistake or new information). */
export const ReopenedEventSchema = z.object({
  ...base,
  type: z.literal('reopened'),
  payload: z.object({ comment }),
});

/** Undo of the actor's own latest event, allowed within the definition's undo window. */
export const RetractedEventSchema = z.object({
  ...base,
  type: z.literal('retracted'),
  payload: z.object({ targetEventId: UlidSchema }),
});

export const LeadEventSchema = z.discriminatedUnion('type', [
  HandedOverEventSchema,
  AcceptedEventSchema,
  RejectedEventSchema,
  ContactedEventSchema,
  ProgressUpdatedEventSchema,
  QualifiedEventSchema,
  RecycledEventSchema,
  WonEventSchema,
  LostEventSchema,
  SalesOriginatedEventSchema,
  ReopenedEventSchema,
  RetractedEventSchema,
]);
export type LeadEvent = z.infer<typeof LeadEventSchema>;
export type LeadEventType = LeadEvent['type'];
export type LeadEventOf<T extends LeadEventType> = Extract<LeadEvent, { type: T }>;

/** An event as the server stores and returns it: the client event plus its team sequence. */
export const SequencedEventSchema = z.object({
  /** Per-team sequence assigned by the server at ingest (strictly increasing in commit order). */
  seq: z.number().int().positive(),
  receivedAt: z.iso.datetime({ offset: true }),
  event: LeadEventSchema,
});
export type SequencedEvent = z.infer<typeof SequencedEventSchema>;
