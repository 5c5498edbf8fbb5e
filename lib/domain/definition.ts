import { z } from 'zod';
import { BusinessCalendarSchema, DEFAULT_CALENDAR_JP } from './calendar';
import { isPgSafeText, pgSafeString, type LeadSnapshot } from './events';
import { RolePermissionsSchema } from './roles';
import { HandoffRulesSchema } from './handoff-rules';
import { WritebackSchema, type WritebackContext } from './writeback';

/**
 * The SAL definition: what marketing and sales agreed a Sales Accepted Lead is, and the rules of
 * the hand-off workflow. It is versioned, and every event carries the version it was made under;
 * the fold keeps it on each decision (`Decision.definitionVersion`) with the decision as recorded
 * (checklist answers, reason code, comment), so which version a decision was made under never
 * changes.
 *
 * What is judged is not versioned: the SLA clocks (`computeClocks`), the list badges, the queue,
 * the KPIs (first contact within the SLA, the health band) and `evaluateDefinition` each take one
 * definition — callers pass the team's current one — and judge every lead by it, old decisions
 * included. So a new version with a shorter SLA can turn an old lead's met clock into a breached
 * one (and move a closed month's first-contact figures), and a reject reason the new version
 * dropped has no label in it (callers show its code).
 */

export const LocalizedLabelSchema = z.object({ ja: pgSafeString().min(1), en: pgSafeString().min(1) });
export type LocalizedLabel = z.infer<typeof LocalizedLabelSchema>;

/**
 * A quality criterion answered by the rep on the checklist.
 * - `yes_no`: the checklist answer under the criterion's id (true / false / null = unknown).
 * - `count`: several items (e.g. BANT), each answered under `<criterionId>.<itemId>`; the
 *   criterion passes when at least `min` items are true.
 */
export const QualityCriterionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('yes_no'),
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    label: LocalizedLabelSchema,
  }),
  z.object({
    kind: z.literal('count'),
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    label: LocalizedLabelSchema,
    items: z.array(z.object({ id: z.string().regex(/^[a-z][a-z0-9_]*$/), label: LocalizedLabelSchema })).min(1),
    min: z.number().int().min(1),
  }),
]);
export type QualityCriterion = z.infer<typeof QualityCriterionSchema>;

export const LeadFieldSchema = z.enum(['name', 'company', 'title', 'email', 'phone', 'leadSource']);
export type LeadField = z.infer<typeof LeadFieldSchema>;

export const DataRequirementsSchema = z.object({
  /** Snapshot fields that must be present (non-blank). */
  requiredFields: z.array(LeadFieldSchema).default([]),
  /** When set, a present email must look like an email address. */
  validEmail: z.boolean().default(true),
  /** When set, a present phone must look like a phone number (Japanese or international). */
  validPhone: z.boolean().default(true),
  /** Minimum engagement / MA score; null = no threshold. */
  minScore: z.number().finite().nullable().default(null),
});
export type DataRequirements = z.infer<typeof DataRequirementsSchema>;

export const ClockBasisSchema = z.enum(['business', 'calendar']);
export type ClockBasis = z.infer<typeof ClockBasisSchema>;

export const ClockRuleSchema = z
  .object({
    /** Length of the SLA in minutes, counted on `basis`. */
    minutes: z.number().positive(),
    basis: ClockBasisSchema,
    /** The clock turns to `warning` when this many minutes (same basis) or fewer remain. */
    warnBeforeMinutes: z.number().nonnegative(),
  })
  .refine((r) => r.warnBeforeMinutes < r.minutes, { message: 'warning must start before the deadline' });
export type ClockRule = z.infer<typeof ClockRuleSchema>;

export const RejectReasonSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]*$/),
  label: LocalizedLabelSchema,
  /**
   * A rejection with this reason needs a non-blank comment (checked by `validateRejection` when it
   * is recorded). The code `other` needs one whatever this says: the event contract requires it
   * (`RejectedEventSchema`).
   */
  commentRequired: z.boolean().default(false),
});
export type RejectReason = z.infer<typeof RejectReasonSchema>;

export const SalDefinitionSchema = z.object({
  version: z.number().int().min(1),
  criteria: z.array(QualityCriterionSchema),
  data: DataRequirementsSchema,
  clocks: z.object({
    /**
     * From `handed_over` (or a reopen) until the first accept / reject decision, or until the
     * lead is closed undecided (recycled). A sales-originated SAL has none.
     */
    acceptance: ClockRuleSchema,
    /**
     * From when the lead became an SAL (`salSince`: the acceptance, a sales-originated SAL's
     * creation, or the decision that resolved a contest into an acceptance) until the first
     * `contacted`; stops when the lead is closed first. None while rejected or contested.
     */
    first_contact: ClockRuleSchema,
    /**
     * From `salSince`, restarted by every later progress report (progress update, contact,
     * qualification), until the lead is closed (won, lost, recycled). None while rejected or contested.
     */
    status_update: ClockRuleSchema,
  }),
  rejectReasons: z.array(RejectReasonSchema).min(1),
  /** How long after an event (its judged time) its actor may still retract it; only their latest effective event. */
  undoWindowMinutes: z.number().nonnegative().default(10),
  // closure labels are free text stored with the definition (calendar.ts owns their shape)
  calendar: BusinessCalendarSchema.refine((c) => c.closures.every((x) => x.label === undefined || isPgSafeText(x.label)), {
    message: 'a closure label contains U+0000 or an unpaired UTF-16 surrogate',
    path: ['closures'],
  }),
  /** Event types each role may record beyond the defaults (see `canRecord` in `roles.ts`). */
  rolePermissions: RolePermissionsSchema.optional(),
  /**
   * Marketing's side of the SLA on rejections: a rejected lead is discussed in the lead review
   * meeting (a `reviewed` event) within this many calendar days of its rejection. Optional so
   * definitions saved before it existed stay valid; absent means `DEFAULT_REVIEW_WITHIN_DAYS`
   * (read it through `reviewWithinDays`).
   */
  reviewWithinDays: z.number().int().min(1).max(365).optional(),
  /**
   * Which leads count as handed over from what the CRM page shows, per CRM UI (`handoff-rules.ts`).
   * Absent: none (hand-offs come only through CSV, the API and the panel). A rule's version is
   * this definition's version.
   */
  handoffRules: HandoffRulesSchema.optional(),
  /**
   * Which CRM fields each decision writes back to the lead's record, per CRM (`writeback.ts`).
   * Optional: a definition stored before write-back existed parses as "write nothing".
   */
  writeback: WritebackSchema.optional(),
});
export type SalDefinition = z.infer<typeof SalDefinitionSchema>;

const reason = (code: string, ja: string, en: string, commentRequired = false): RejectReason => ({
  code,
  label: { ja, en },
  commentRequired,
});

/**
 * Version 1, following the article: accept without delay (8 business hours), first contact
 * within "48 hours" read as two business days (18 business hours on the 9–18 calendar, so a
 * Friday-evening acceptance is not breached over the weekend), a status update every week (five
 * business days), on the Japanese default calendar.
 */
export const DEFAULT_DEFINITION: SalDefinition = {
  version: 1,
  criteria: [
    { kind: 'yes_no', id: 'decision_maker', label: { ja: '決裁者である', en: 'Is the decision maker' } },
    {
      kind: 'count',
      id: 'bant',
      label: { ja: 'BANT条件を満たす', en: 'Meets BANT' },
      items: [
        { id: 'budget', label: { ja: '予算', en: 'Budget' } },
        { id: 'authority', label: { ja: '決裁権', en: 'Authority' } },
        { id: 'need', label: { ja: 'ニーズ', en: 'Need' } },
        { id: 'timeline', label: { ja: '導入時期', en: 'Timeline' } },
      ],
      min: 2,
    },
    { kind: 'yes_no', id: 'need', label: { ja: 'ニーズが具体的', en: 'Concrete need' } },
    { kind: 'yes_no', id: 'urgency', label: { ja: '緊急度が高い', en: 'Urgent' } },
    { kind: 'yes_no', id: 'product_fit', label: { ja: '製品との適合', en: 'Fits the product' } },
  ],
  data: {
    requiredFields: ['name', 'company', 'title', 'email', 'phone'],
    validEmail: true,
    validPhone: true,
    minScore: 50,
  },
  clocks: {
    acceptance: { minutes: 8 * 60, basis: 'business', warnBeforeMinutes: 2 * 60 },
    first_contact: { minutes: 18 * 60, basis: 'business', warnBeforeMinutes: 4 * 60 },
    status_update: { minutes: 5 * 9 * 60, basis: 'business', warnBeforeMinutes: 9 * 60 },
  },
  rejectReasons: [
    reason('already_handled', '対応済', 'Already handled'),
    reason('do_not_call', '架電NG', 'Do not call'),
    reason('competitor', '競合製品を使用中', 'Uses a competitor'),
    reason('not_decision_maker', '決裁者ではない', 'Not the decision maker'),
    reason('no_budget', '予算なし', 'No budget'),
    reason('unclear_need', 'ニーズ不明確', 'Unclear need'),
    reason('bad_contact_data', '連絡先不備', 'Bad contact data'),
    reason('duplicate', '重複', 'Duplicate'),
    reason('other', 'その他', 'Other', true),
  ],
  undoWindowMinutes: 10,
  calendar: DEFAULT_CALENDAR_JP,
};

/** Review of a rejection within a week: the article's meeting is weekly or bi-weekly. */
export const DEFAULT_REVIEW_WITHIN_DAYS = 7;

/** The definition's review SLA in calendar days (`reviewWithinDays`, else the default). */
export function reviewWithinDays(definition: SalDefinition): number {
  return definition.reviewWithinDays ?? DEFAULT_REVIEW_WITHIN_DAYS;
}

/** The reject reason with this code in `definition`, if any. */
export function findRejectReason(definition: SalDefinition, code: string): RejectReason | undefined {
  return definition.rejectReasons.find((r) => r.code === code);
}

/** What `writebackFields` needs from the definition: the team's time zone and its reason labels. */
export function writebackContext(definition: SalDefinition): WritebackContext {
  return { timeZone: definition.calendar.timeZone, reasonLabel: (code, lang) => findRejectReason(definition, code)?.label[lang] };
}

/**
 * Checks a rejection against the definition it is made under: the reason must exist and, when
 * the reason says so, a non-blank comment is required. Returns an error code or null.
 */
export function validateRejection(definition: SalDefinition, reasonCode: string, comment: string | undefined): 'unknown_reason' | 'comment_required' | null {
  const r = findRejectReason(definition, reasonCode);
  if (!r) return 'unknown_reason';
  if (r.commentRequired && (comment ?? '').trim().length === 0) return 'comment_required';
  return null;
}

// --- evaluation -------------------------------------------------------------------------------

export type CriterionOutcome = 'pass' | 'fail' | 'unknown';

export type EvaluationReason =
  | 'answered_yes'
  | 'answered_no'
  | 'not_answered'
  | 'enough_items'
  | 'too_few_items'
  | 'field_present'
  | 'field_missing'
  | 'email_valid'
  | 'email_missing'
  | 'email_invalid'
  | 'phone_valid'
  | 'phone_missing'
  | 'phone_invalid'
  | 'score_met'
  | 'score_below_threshold'
  | 'score_missing';

export interface CriterionResult {
  /** Criterion id for quality criteria; `field:<name>`, `email`, `phone`, `score` for data. */
  id: string;
  group: 'quality' | 'data';
  outcome: CriterionOutcome;
  reason: EvaluationReason;
  label: LocalizedLabel;
  /** For `count` criteria: how many items are true and the minimum. */
  met?: number;
  min?: number;
}

export interface DefinitionEvaluation {
  definitionVersion: number;
  results: CriterionResult[];
  /** 'pass' when every result passes, 'fail' when any fails, otherwise 'unknown'. */
  overall: CriterionOutcome;
}

/** Checklist answers by criterion id (or `<criterionId>.<itemId>` for count items); null = not known. */
export type ChecklistAnswers = Readonly<Record<string, boolean | null | undefined>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const FIELD_LABELS: Record<LeadField, LocalizedLabel> = {
  name: { ja: '氏名', en: 'Name' },
  company: { ja: '会社名', en: 'Company' },
  title: { ja: '役職', en: 'Title' },
  email: { ja: 'メールアドレス', en: 'Email' },
  phone: { ja: '電話番号', en: 'Phone' },
  leadSource: { ja: 'リードソース', en: 'Lead source' },
};

/** Plausible phone: digits with common separators, 10–15 digits (JP 0X-XXXX-XXXX, +81 …). */
export function isPlausiblePhone(phone: string): boolean {
  const trimmed = phone.trim();
  if (!/^\+?[\d\s\-().]+$/.test(trimmed)) return false;
  const digits = trimmed.replace(/\D/g, '');
  return digits.length >= 10 && digits.length <= 15;
}

export function isPlausibleEmail(email: string): boolean {
  return EMAIL.test(email.trim());
}

const blank = (v: string | undefined) => v === undefined || v.trim().length === 0;

/**
 * Evaluates a lead against a definition: each quality criterion from the checklist `answers`,
 * each data requirement from the lead snapshot and its score. Never throws; missing answers
 * give `unknown`, a missing required field gives `fail`.
 */
export function evaluateDefinition(lead: LeadSnapshot & { score?: number }, answers: ChecklistAnswers, definition: SalDefinition): DefinitionEvaluation {
  const results: CriterionResult[] = [];
  for (const c of definition.criteria) {
    if (c.kind === 'yes_no') {
      const a = answers[c.id];
      results.push({
        id: c.id,
        group: 'quality',
        label: c.label,
        outcome: a === true ? 'pass' : a === false ? 'fail' : 'unknown',
        reason: a === true ? 'answered_yes' : a === false ? 'answered_no' : 'not_answered',
      });
    } else {
      let yes = 0;
      let unknown = 0;
      for (const item of c.items) {
        const a = answers[`${c.id}.${item.id}`];
        if (a === true) yes++;
        else if (a !== false) unknown++;
      }
      // Unknown only while the unanswered items could still change the verdict.
      const outcome: CriterionOutcome = yes >= c.min ? 'pass' : yes + unknown >= c.min ? 'unknown' : 'fail';
      results.push({
        id: c.id,
        group: 'quality',
        label: c.label,
        outcome,
        reason: outcome === 'pass' ? 'enough_items' : outcome === 'fail' ? 'too_few_items' : 'not_answered',
        met: yes,
        min: c.min,
      });
    }
  }

  const req = definition.data;
  for (const field of req.requiredFields) {
    if (field === 'email' || field === 'phone') continue; // reported by the validity checks below
    const present = !blank(lead[field]);
    results.push({
      id: `field:${field}`,
      group: 'data',
      label: FIELD_LABELS[field],
      outcome: present ? 'pass' : 'fail',
      reason: present ? 'field_present' : 'field_missing',
    });
  }
  const emailRequired = req.requiredFields.includes('email');
  if (emailRequired || req.validEmail) {
    const r = checkContact(lead.email, emailRequired, req.validEmail, isPlausibleEmail, 'email');
    if (r) results.push({ id: 'email', group: 'data', label: FIELD_LABELS.email, ...r });
  }
  const phoneRequired = req.requiredFields.includes('phone');
  if (phoneRequired || req.validPhone) {
    const r = checkContact(lead.phone, phoneRequired, req.validPhone, isPlausiblePhone, 'phone');
    if (r) results.push({ id: 'phone', group: 'data', label: FIELD_LABELS.phone, ...r });
  }
  if (req.minScore !== null) {
    const s = lead.score;
    results.push({
      id: 'score',
      group: 'data',
      label: { ja: 'スコア', en: 'Score' },
      outcome: s === undefined ? 'unknown' : s >= req.minScore ? 'pass' : 'fail',
      reason: s === undefined ? 'score_missing' : s >= req.minScore ? 'score_met' : 'score_below_threshold',
      min: req.minScore,
    });
  }
  const overall: CriterionOutcome = results.some((r) => r.outcome === 'fail') ? 'fail' : results.every((r) => r.outcome === 'pass') ? 'pass' : 'unknown';
  return { definitionVersion: definition.version, results, overall };
}

function checkContact(
  value: string | undefined,
  required: boolean,
  validate: boolean,
  isValid: (v: string) => boolean,
  kind: 'email' | 'phone',
): { outcome: CriterionOutcome; reason: EvaluationReason } | null {
  if (blank(value)) return required ? { outcome: 'fail', reason: `${kind}_missing` } : null;
  if (validate && !isValid(value!)) return { outcome: 'fail', reason: `${kind}_invalid` };
  return { outcome: 'pass', reason: `${kind}_valid` };
}
