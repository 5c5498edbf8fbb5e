import { z } from 'zod';
import { LeadKeySchema } from './lead-key';
import { pgSafeString } from './pg-safe';

/**
 * Lead events: the only facts SAL Bridge records. Every screen (panel, list badges, queue,
 * KPIs) is computed from them by the fold in `lifecycle.ts`. Events are immutable; an undo is a
 * `retracted` event pointing at the event it withdraws.
 *
 * `schemaVersion` versions this wire/storage shape (not the SAL definition); bump it with a
 * migration when a field changes meaning.
 */
export const EVENT_SCHEMA_VERSION = 1;

/**
 * How far an event's `occurredAt` may differ from the server's receive time and still be taken
 * as the time it happened (re-exported by `lib/protocol/http.ts`, see `judgedAt`).
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export { isPgSafeText, pgSafeString } from './pg-safe';

/** Earliest and latest instants the contract accepts (ms since the epoch, inclusive). */
export const MIN_INSTANT_MS = Date.UTC(1970, 0, 1);
export const MAX_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether an ISO-8601 instant (already shaped like one) names a real calendar day and lies in
 * 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z. JavaScript rolls 2026-02-30 over to March and
 * reads year 0000; PostgreSQL refuses both, and nothing a rep records is older than 1970.
 */
export function isStorableInstant(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0))) return false;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && ms >= MIN_INSTANT_MS && ms <= MAX_INSTANT_MS;
}

/** ISO-8601 instant with offset that PostgreSQL's `timestamptz` stores as written (see `isStorableInstant`). */
export const pgSafeDateTime = () => z.iso.datetime({ offset: true }).refine(isStorableInstant, { message: 'must be a real date between 1970-01-01 and 9999-12-31' });

/**
 * 26-character Crockford base-32 ULID (time-ordered, created on the client). The first character
 * is 0–7: the 48-bit time fills 50 bits, so a larger one would overflow it (the ULID spec's
 * maximum is `7ZZZZZZZZZZZZZZZZZZZZZZZZZ`). Upper case only, as `ulid()` writes them.
 */
export const UlidSchema = z.string().regex(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/, 'must be a ULID');

/**
 * Actor ids a browser makes up before its rep signs in to a team server (local-only mode):
 * `local-<ULID>`. A server binds one to the first member who pushes it (their decisions made
 * before signing in), refuses it from anyone else, and names it after that member; every other
 * actor id must be the pushing user's own.
 */
export const LOCAL_ACTOR_PREFIX = 'local-';

export const ActorSchema = z.object({
  /** Stable user id (the backend's user id, or a local id in local-only mode). */
  id: pgSafeString().min(1).max(200),
  /** Display name, as shown in histories. */
  name: pgSafeString().max(200).default(''),
});
export type Actor = z.infer<typeof ActorSchema>;

/** What the page showed about the lead when the event was recorded (for lists and queues). */
export const LeadSnapshotSchema = z.object({
  name: pgSafeString().max(500).optional(),
  company: pgSafeString().max(500).optional(),
  title: pgSafeString().max(500).optional(),
  email: pgSafeString().max(500).optional(),
  phone: pgSafeString().max(100).optional(),
  leadSource: pgSafeString().max(200).optional(),
  status: pgSafeString().max(200).optional(),
  /** The CRM page the lead was seen on (to reopen it from the queue). */
  url: pgSafeString().max(2000).optional(),
});
export type LeadSnapshot = z.infer<typeof LeadSnapshotSchema>;

export const TemperatureSchema = z.enum(['hot', 'warm', 'cold']);
export type Temperature = z.infer<typeof TemperatureSchema>;

export const ContactChannelSchema = z.enum(['call', 'email', 'meeting', 'other']);
export type ContactChannel = z.infer<typeof ContactChannelSchema>;

export const SalesSignalSchema = z.enum(['abm', 'intent', 'referral', 'other']);
export type SalesSignal = z.infer<typeof SalesSignalSchema>;

/** Definition versions are PostgreSQL `integer`s on the server. */
export const MAX_DEFINITION_VERSION = 2_147_483_647;

const comment = pgSafeString().max(4000).optional();

/**
 * Where a hand-off came from: a CRM rule read on a page (`crm-rule`), a CSV upload (`csv`), the
 * hand-off API (`api`), a marketer's button in the panel (`panel`), an AI agent (`agent`). Absent
 * on hand-offs recorded before it existed (KPIs count those as unspecified).
 */
export const HandoffSourceKindSchema = z.enum(['crm-rule', 'csv', 'api', 'panel', 'agent']);
export type HandoffSourceKind = z.infer<typeof HandoffSourceKindSchema>;

/** The sender's reasons, shown to the rep above 受領 / 却下; every part optional. */
export const HandoffRationaleSchema = z.object({
  /** Why this lead is ready, in the sender's words. */
  why: pgSafeString().max(2000).optional(),
  /** The sender's score (e.g. an agent's fit score), distinct from the MA score in `score`. */
  score: z.number().finite().optional(),
  /** The intent topic that made the lead ready, e.g. "pricing" or "competitor comparison". */
  intentTopic: pgSafeString().max(200).optional(),
});
export type HandoffRationale = z.infer<typeof HandoffRationaleSchema>;

const base = {
  schemaVersion: z.literal(EVENT_SCHEMA_VERSION),
  id: UlidSchema,
  leadKey: LeadKeySchema,
  actor: ActorSchema,
  /** ISO-8601 instant with offset, e.g. 2026-11-24T09:00:00.000Z. */
  occurredAt: pgSafeDateTime(),
  /** Version of the SAL definition the event was made under (see `definition.ts`). */
  definitionVersion: z.number().int().min(1).max(MAX_DEFINITION_VERSION),
  lead: LeadSnapshotSchema.optional(),
};

export const HandedOverEventSchema = z.object({
  ...base,
  type: z.literal('handed_over'),
  payload: z.object({
    /** Who in marketing handed it over (name or id). */
    by: pgSafeString().max(200),
    /** The sales rep it is assigned to, when known. */
    owner: pgSafeString().max(200).optional(),
    /** Marketing's own word for where the lead came from (a channel, "Web", a lead source): free text. */
    source: pgSafeString().max(200).optional(),
    /** How the hand-off reached SAL Bridge (optional: events before it was added have none). */
    sourceKind: HandoffSourceKindSchema.optional(),
    rationale: HandoffRationaleSchema.optional(),
    campaign: pgSafeString().max(200).optional(),
    score: z.number().finite().optional(),
    note: comment,
  }),
});

export const AcceptedEventSchema = z.object({
  ...base,
  type: z.literal('accepted'),
  payload: z.object({
    /** SAL checklist answers by criterion id (`<criterionId>.<itemId>` for a count criterion's items); null = not known. */
    checklist: z.record(pgSafeString(), z.boolean().nullable()).default({}),
    temperature: TemperatureSchema.optional(),
    comment,
  }),
});

export const RejectedEventSchema = z.object({
  ...base,
  type: z.literal('rejected'),
  payload: z
    .object({
      /**
       * A reject reason code, e.g. `do_not_call`, `other`. The schema checks its shape only:
       * that it is one of the reasons of the definition the rejection is made under, and that a
       * reason configured `commentRequired` has a comment, is checked by `validateRejection`
       * (definition.ts) when the rejection is recorded (panel, lead service); the server does not
       * re-check it against the team's definition.
       */
      reasonCode: pgSafeString().min(1).max(100),
      temperature: TemperatureSchema.optional(),
      comment,
    })
    // The one reason rule of the contract itself, whatever a definition says: `other` carries a
    // comment (an "other" without one tells marketing nothing). A definition that sets `other`'s
    // `commentRequired` to false does not lift it.
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
  payload: z.object({ note: pgSafeString().min(1).max(4000) }),
});

export const QualifiedEventSchema = z.object({
  ...base,
  type: z.literal('qualified'),
  payload: z.object({ comment }),
});

export const RecycledEventSchema = z.object({
  ...base,
  type: z.literal('recycled'),
  payload: z.object({ reason: pgSafeString().min(1).max(200), comment }),
});

export const WonEventSchema = z.object({
  ...base,
  type: z.literal('won'),
  payload: z.object({ amount: z.number().finite().nonnegative().optional(), comment }),
});

export const LostEventSchema = z.object({
  ...base,
  type: z.literal('lost'),
  payload: z.object({ reason: pgSafeString().max(200).optional(), comment }),
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

/**
 * What the lead review meeting (リード検討会議) agreed for a lead: hand it over again, keep it in
 * nurture, fix its data, close it, or change the definition.
 */
export const ReviewOutcomeSchema = z.enum(['hand_over_again', 'keep_in_nurture', 'fix_data', 'close', 'change_definition']);
export type ReviewOutcome = z.infer<typeof ReviewOutcomeSchema>;

/**
 * The meeting's outcome for a lead, with its note. A record of the agreement only: doing it (a new
 * hand-over, a close) is its own event by whoever does it (see `TRANSITIONS.reviewed`).
 */
export const ReviewedEventSchema = z.object({
  ...base,
  type: z.literal('reviewed'),
  payload: z.object({ outcome: ReviewOutcomeSchema, note: comment }),
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
  ReviewedEventSchema,
]);
export type LeadEvent = z.infer<typeof LeadEventSchema>;
export type LeadEventType = LeadEvent['type'];
export type LeadEventOf<T extends LeadEventType> = Extract<LeadEvent, { type: T }>;

/** An event as the server stores and returns it: the client event plus its team sequence. */
export const SequencedEventSchema = z.object({
  /** Per-team sequence assigned by the server at ingest (strictly increasing in commit order). */
  seq: z.number().int().positive(),
  receivedAt: pgSafeDateTime(),
  event: LeadEventSchema,
});
export type SequencedEvent = z.infer<typeof SequencedEventSchema>;

/**
 * An event as the fold reads it: with the server's receive time when the event came from (or was
 * acknowledged by) a server. `receivedAt` is an ISO-8601 instant; absent for events only this
 * browser holds so far.
 */
export type FoldableEvent = LeadEvent & { receivedAt?: string };

/**
 * The time an event is judged at (SLA clocks, the undo window), in ms since the epoch:
 * `max(occurredAt, receivedAt - MAX_CLOCK_SKEW_MS)` when the server's receive time is known, so
 * a client clock set back (or a decision backdated) gains at most MAX_CLOCK_SKEW_MS; `occurredAt`
 * otherwise (provisional: it holds only until the server has the event), and when `receivedAt`
 * does not parse. NaN when `occurredAt` does not parse.
 */
export function judgedAt(occurredAt: string, receivedAt?: string): number {
  return judgedAtMs(Date.parse(occurredAt), receivedAt === undefined ? NaN : Date.parse(receivedAt));
}

/**
 * `judgedAt` of instants already read as numbers (ms since the epoch; `received` NaN when the
 * receive time is unknown): the same rule, for readers that hold the instants as numbers.
 */
export function judgedAtMs(occurred: number, received: number): number {
  return Number.isNaN(received) ? occurred : Math.max(occurred, received - MAX_CLOCK_SKEW_MS);
}

/**
 * A foldable event that carries its judged time, worked out by its reader with `judgedAtMs` from
 * the instants it read as numbers, so `judgedAtMs === judgedAt(occurredAt, receivedAt)`: the fold
 * takes it instead of parsing the two ISO strings. The server's SLA watcher folds a whole team's
 * history this way (100k events) without formatting an ISO string only to parse it back.
 */
export type JudgedEvent = FoldableEvent & { readonly judgedAtMs: number };

/** The judged time of an event to fold: the one it carries (`JudgedEvent`), else `judgedAt` of its instants. */
export function eventJudgedAt(e: FoldableEvent | JudgedEvent): number {
  return (e as Partial<JudgedEvent>).judgedAtMs ?? judgedAt(e.occurredAt, e.receivedAt);
}
