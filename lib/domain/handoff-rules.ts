import { z } from 'zod';
import { EVENT_SCHEMA_VERSION, pgSafeString, type LeadEventOf, type LeadSnapshot } from './events';
import type { LeadState } from './lifecycle';

/**
 * Hand-off rules: which leads count as handed over to sales, judged from what the CRM page shows
 * (marketing automation writes Lead Status "MQL", assignment rules give a lead to a rep as
 * "Open - Not Contacted", a score tool ticks a checkbox). One rule per CRM UI, kept in the team's
 * SAL definition (`SalDefinition.handoffRules`), so a rule's version is the definition's version:
 * changing a rule makes a new definition version, and it applies from then on (leads already
 * handed over, accepted or rejected in their cycle are never handed over again by it).
 *
 * This module is the one schema of these settings (the options page edits it, the server stores
 * it inside the definition, an enterprise policy can carry it) and the pure matching the service
 * worker runs on every read of a lead page or a list row.
 */

/** Which CRM UI a rule is for: an adapter's `ui` (lib/crm/*), or a configured CRM's `custom:<slug>`. */
export const HANDOFF_RULE_TARGETS = ['salesforce-lightning', 'salesforce-classic', 'hubspot', 'dynamics-365'] as const;
export const HandoffRuleTargetSchema = z.union([z.enum(HANDOFF_RULE_TARGETS), z.string().regex(/^custom:[a-z0-9][a-z0-9-]{0,29}$/, 'a configured CRM is custom:<slug>')]);
export type HandoffRuleTarget = z.infer<typeof HandoffRuleTargetSchema>;

/** The page fields a rule can test: the ones every adapter reads (lib/crm/lead-fields.ts). */
export const HandoffRuleFieldSchema = z.enum(['status', 'leadSource', 'owner', 'title']);
export type HandoffRuleField = z.infer<typeof HandoffRuleFieldSchema>;

const value = pgSafeString()
  .max(200)
  .refine((v) => v.trim().length > 0, { message: 'a value must not be blank' });
const values = z.array(value).min(1).max(50);

export const HandoffRuleSchema = z.object({
  /** The field whose value marks a hand-off, e.g. `status` (Lead Status). */
  field: HandoffRuleFieldSchema,
  /** The field's values that mean "handed over", e.g. ["MQL", "Open - Not Contacted"]. */
  values,
  /** When set, the lead source must also be one of these. */
  leadSource: values.optional(),
  /** When set, the owner must also be one of these (as the page shows the owner: name or alias). */
  owner: values.optional(),
  /**
   * When set, a checkbox field must be in this state: `field` is its label as the page shows it or
   * its API name (e.g. `MQL__c`). A page that does not show the checkbox does not match.
   */
  checkbox: z.object({ field: value, checked: z.boolean() }).optional(),
});
export type HandoffRule = z.infer<typeof HandoffRuleSchema>;

/** The rules of a definition, one per CRM UI (absent: that CRM hands nothing over by rule). */
export const HandoffRulesSchema = z.record(HandoffRuleTargetSchema, HandoffRuleSchema);
export type HandoffRules = z.infer<typeof HandoffRulesSchema>;

/** What a page showed about one lead (a record page's read, or a list row's cells), for matching. */
export interface RuleInput extends Partial<Record<HandoffRuleField, string>> {
  /** Checkbox fields seen, by label or API name (both may be present for one field). */
  checkboxes?: Readonly<Record<string, boolean>>;
}

/** Picklist values compared as people read them: width-folded (NFKC), trimmed, case-insensitive. */
const norm = (s: string) => s.normalize('NFKC').trim().toLowerCase();
const oneOf = (actual: string | undefined, allowed: readonly string[]) => actual !== undefined && allowed.some((v) => norm(v) === norm(actual));

/**
 * Whether what the page shows matches the rule: the rule's field holds one of its values, and
 * each optional condition set holds too. A field the page did not show never matches (a rule is
 * never taken as met on missing data).
 */
export function matchesHandoffRule(rule: HandoffRule, input: RuleInput): boolean {
  if (!oneOf(input[rule.field], rule.values)) return false;
  if (rule.leadSource && !oneOf(input.leadSource, rule.leadSource)) return false;
  if (rule.owner && !oneOf(input.owner, rule.owner)) return false;
  if (rule.checkbox) {
    const wanted = norm(rule.checkbox.field);
    const seen = Object.entries(input.checkboxes ?? {}).find(([k]) => norm(k) === wanted);
    if (!seen || seen[1] !== rule.checkbox.checked) return false;
  }
  return true;
}

/** The rule for a CRM UI in `rules`, if any. */
export function ruleFor(rules: HandoffRules | undefined, target: string): HandoffRule | undefined {
  return rules?.[target];
}

/**
 * The cycle a rule hand-off would start for a lead in `state`, or null when the rule must not
 * hand it over: the lead is already handed over, accepted or rejected in its current cycle (any
 * status but untracked and closed), or won (final). A recycled or lost lead starts a new cycle,
 * numbered `state.cycles.length` (0 for a lead never tracked).
 */
export function ruleHandoffCycle(state: Pick<LeadState, 'status' | 'cycles'>): number | null {
  return state.status === 'untracked' || state.status === 'recycled' || state.status === 'lost' ? state.cycles.length : null;
}

/**
 * The actor of every rule hand-off: the CRM rule, not the rep whose browser happened to read the
 * page first. So the event is the same whoever records it, nobody can undo it as "their own", and
 * the server names it after no member (it keeps who submitted it).
 */
export const RULE_ACTOR_ID = 'crm-rule';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The id of the rule hand-off of `leadKey`'s cycle `cycle` in team `teamId`: SHA-256 of the three,
 * written as a 26-character ULID (first character 0–7, so `UlidSchema` takes it). Every rep's
 * browser makes the same id for the same hand-off, so the server's idempotency by id keeps one.
 * Its time part is hash bits, not a time: nothing orders events by id.
 */
export async function ruleHandoffId(teamId: string, leadKey: string, cycle: number): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`crm-rule\n${teamId}\n${leadKey}\n${cycle}`)));
  // 3 + 25 × 5 = 128 bits, read most significant first
  let bit = 0;
  const take = (n: number) => {
    let v = 0;
    for (let i = 0; i < n; i++, bit++) v = (v << 1) | (((bytes[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1);
    return v;
  };
  let id = CROCKFORD[take(3)]!;
  for (let i = 0; i < 25; i++) id += CROCKFORD[take(5)]!;
  return id;
}

export interface RuleHandoffInput {
  teamId: string;
  leadKey: string;
  state: Pick<LeadState, 'status' | 'cycles'>;
  rule: HandoffRule;
  input: RuleInput;
  definitionVersion: number;
  /** When the page was read (ms since the epoch). */
  at: number;
  /** What the page showed (stored on the event as its snapshot). */
  lead?: LeadSnapshot;
}

/**
 * The `handed_over` event a rule makes of a read, or null when the rule does not match or the
 * lead may not be handed over now (see `ruleHandoffCycle`). The payload names the rule's field
 * and the value seen, so a rep reads why the lead came to them.
 */
export async function ruleHandoffEvent(x: RuleHandoffInput): Promise<LeadEventOf<'handed_over'> | null> {
  const cycle = ruleHandoffCycle(x.state);
  if (cycle === null || !matchesHandoffRule(x.rule, x.input)) return null;
  const seen = x.input[x.rule.field] ?? '';
  return {
    schemaVersion: EVENT_SCHEMA_VERSION,
    id: await ruleHandoffId(x.teamId, x.leadKey, cycle),
    leadKey: x.leadKey,
    actor: { id: RULE_ACTOR_ID, name: '' },
    occurredAt: new Date(x.at).toISOString(),
    definitionVersion: x.definitionVersion,
    ...(x.lead ? { lead: x.lead } : {}),
    type: 'handed_over',
    payload: {
      by: RULE_ACTOR_ID,
      ...(x.input.owner ? { owner: x.input.owner.slice(0, 200) } : {}),
      ...(x.input.leadSource ? { source: x.input.leadSource.slice(0, 200) } : {}),
      sourceKind: 'crm-rule',
      rationale: { why: `${x.rule.field} = ${seen}`.slice(0, 2000) },
    },
  };
}

/** Whether an event is a hand-off made by a CRM rule (recorded by whichever rep's browser saw it first). */
export function isRuleHandoff(event: { type: string; payload: unknown }): boolean {
  return event.type === 'handed_over' && (event.payload as { sourceKind?: unknown } | null)?.sourceKind === 'crm-rule';
}
