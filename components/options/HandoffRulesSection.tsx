import { useId, useState, type ReactNode } from 'react';
import { HANDOFF_RULE_TARGETS, HandoffRuleFieldSchema, HandoffRuleSchema, type HandoffRule, type HandoffRuleField, type HandoffRules } from '../../lib/domain/handoff-rules';
import type { Translate } from '../../lib/i18n';

/** One CRM's rule as the form holds it: lists as text, one value a line. */
interface RuleDraft {
  enabled: boolean;
  field: HandoffRuleField;
  values: string;
  leadSource: string;
  owner: string;
  checkboxField: string;
  checkboxChecked: boolean;
}

type FieldError = 'values' | 'tooLong' | 'tooMany';
/** Per form field, the first problem found (message key suffix under `rules.error.`). */
type DraftErrors = Partial<Record<'values' | 'leadSource' | 'owner' | 'checkboxField', FieldError>>;

const EMPTY: RuleDraft = { enabled: false, field: 'status', values: '', leadSource: '', owner: '', checkboxField: '', checkboxChecked: true };

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

function draftOf(rule: HandoffRule | undefined): RuleDraft {
  if (!rule) return EMPTY;
  return {
    enabled: true,
    field: rule.field,
    values: rule.values.join('\n'),
    leadSource: (rule.leadSource ?? []).join('\n'),
    owner: (rule.owner ?? []).join('\n'),
    checkboxField: rule.checkbox?.field ?? '',
    checkboxChecked: rule.checkbox?.checked ?? true,
  };
}

function listError(values: string[], required: boolean): FieldError | undefined {
  if (required && values.length === 0) return 'values';
  if (values.some((v) => v.length > 200)) return 'tooLong';
  if (values.length > 50) return 'tooMany';
  return undefined;
}

/**
 * A draft as a rule, or what is wrong with it. Disabled: no rule (null). The checkbox condition is
 * set only when its field is named.
 */
export function ruleFromDraft(d: RuleDraft): { rule: HandoffRule | null; errors: DraftErrors } {
  if (!d.enabled) return { rule: null, errors: {} };
  const values = lines(d.values);
  const leadSource = lines(d.leadSource);
  const owner = lines(d.owner);
  const errors: DraftErrors = {};
  const e1 = listError(values, true);
  const e2 = listError(leadSource, false);
  const e3 = listError(owner, false);
  if (e1) errors.values = e1;
  if (e2) errors.leadSource = e2;
  if (e3) errors.owner = e3;
  if (d.checkboxField.trim().length > 200) errors.checkboxField = 'tooLong';
  const candidate = {
    field: d.field,
    values,
    ...(leadSource.length > 0 ? { leadSource } : {}),
    ...(owner.length > 0 ? { owner } : {}),
    ...(d.checkboxField.trim() ? { checkbox: { field: d.checkboxField.trim(), checked: d.checkboxChecked } } : {}),
  };
  if (Object.keys(errors).length > 0) return { rule: null, errors };
  // the schema is the authority (the same one the server and the background parse)
  const parsed = HandoffRuleSchema.safeParse(candidate);
  return parsed.success ? { rule: parsed.data, errors } : { rule: null, errors: { values: 'values' } };
}

export interface HandoffRulesSectionProps {
  t: Translate;
  /** The rules in force (one per CRM UI). */
  value: HandoffRules;
  /**
   * Called with the whole set each time the form holds valid rules again; `valid` is false (and
   * `next` the last valid set) while some field is in error, so the caller can hold its save.
   */
  onChange(next: HandoffRules, valid: boolean): void;
  /** Server mode: the team's rules, shown but not editable. */
  readOnly?: boolean;
  /** Why the rules are read-only, when not the server's (the enterprise policy's note). */
  readOnlyNote?: ReactNode;
  /** Configured CRMs (`custom:<slug>`) that can have a rule too. */
  customTargets?: readonly string[];
}

/**
 * Options: the hand-off rules, per CRM: which field and values (Lead Status ∈ {MQL, …}) mark a
 * lead as handed over, with optional lead source, owner and checkbox conditions. Value/onChange:
 * the caller stores them (as a new definition version). Every control is a labelled form field;
 * errors are tied to their field (`aria-invalid`, `aria-describedby`) and announced.
 */
export function HandoffRulesSection({ t, value, onChange, readOnly = false, readOnlyNote, customTargets = [] }: HandoffRulesSectionProps) {
  const targets = [...HANDOFF_RULE_TARGETS, ...customTargets.filter((c) => !(HANDOFF_RULE_TARGETS as readonly string[]).includes(c))];
  const [drafts, setDrafts] = useState<Record<string, RuleDraft>>(() => Object.fromEntries(targets.map((k) => [k, draftOf(value[k])])));
  const titleId = useId();

  const nameOf = (target: string) =>
    target.startsWith('custom:') ? t('rules.crm.custom', { slug: target.slice('custom:'.length) }) : t(`rules.crm.${target as (typeof HANDOFF_RULE_TARGETS)[number]}`);

  if (readOnly) {
    const set = Object.entries(value);
    return (
      <section className="sal-card" aria-labelledby={titleId} data-testid="handoff-rules">
        <h2 id={titleId}>{t('rules.title')}</h2>
        {readOnlyNote ?? <p className="sal-hint">{t('rules.readOnly')}</p>}
        {set.length === 0 ? (
          <p>{t('rules.none')}</p>
        ) : (
          <dl>
            {set.map(([target, rule]) => (
              <div key={target}>
                <dt>{nameOf(target)}</dt>
                <dd>{ruleSummary(rule, t)}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>
    );
  }

  const update = (target: string, patch: Partial<RuleDraft>) => {
    const next = { ...drafts, [target]: { ...(drafts[target] ?? EMPTY), ...patch } };
    setDrafts(next);
    const rules: HandoffRules = {};
    let valid = true;
    for (const [k, d] of Object.entries(next)) {
      const r = ruleFromDraft(d);
      if (Object.keys(r.errors).length > 0) valid = false;
      if (r.rule) rules[k] = r.rule;
    }
    onChange(valid ? rules : value, valid);
  };

  return (
    <section className="sal-card" aria-labelledby={titleId} data-testid="handoff-rules">
      <h2 id={titleId}>{t('rules.title')}</h2>
      <p className="sal-hint">{t('rules.intro')}</p>
      {targets.map((target) => (
        <RuleEditor key={target} name={nameOf(target)} draft={drafts[target] ?? EMPTY} t={t} onChange={(patch) => update(target, patch)} />
      ))}
    </section>
  );
}

/** One rule in words: "リード状況 (Lead Status) が「MQL / Open - Not Contacted」のいずれか" plus its conditions. */
export function ruleSummary(rule: HandoffRule, t: Translate): string {
  const parts = [t('rules.summary', { field: t(`rules.field.${rule.field}`), values: rule.values.join(' / ') })];
  if (rule.leadSource) parts.push(t('rules.summary', { field: t('rules.field.leadSource'), values: rule.leadSource.join(' / ') }));
  if (rule.owner) parts.push(t('rules.summary', { field: t('rules.field.owner'), values: rule.owner.join(' / ') }));
  if (rule.checkbox) parts.push(`${rule.checkbox.field}: ${t(rule.checkbox.checked ? 'rules.checkboxChecked' : 'rules.checkboxUnchecked')}`);
  return parts.join(' · ');
}

function RuleEditor({ name, draft, t, onChange }: { name: string; draft: RuleDraft; t: Translate; onChange(patch: Partial<RuleDraft>): void }) {
  const id = useId();
  const { errors } = ruleFromDraft(draft);
  const errorOf = (key: keyof DraftErrors) => {
    const e = errors[key];
    return e ? (
      <p id={`${id}-${key}-error`} className="sal-error" role="alert">
        {t(`rules.error.${e}`)}
      </p>
    ) : null;
  };
  const listField = (key: 'values' | 'leadSource' | 'owner', label: string) => (
    <div className="sal-field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <textarea
        id={`${id}-${key}`}
        rows={2}
        value={draft[key]}
        onChange={(e) => onChange({ [key]: e.target.value })}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={errors[key] ? `${id}-${key}-error` : undefined}
      />
      {errorOf(key)}
    </div>
  );
  return (
    <fieldset className="sal-field sal-rule">
      <legend>{name}</legend>
      <label>
        <input type="checkbox" checked={draft.enabled} onChange={(e) => onChange({ enabled: e.target.checked })} /> {t('rules.enabled')}
      </label>
      {draft.enabled && (
        <>
          <div className="sal-field">
            <label htmlFor={`${id}-field`}>{t('rules.field')}</label>
            <select id={`${id}-field`} value={draft.field} onChange={(e) => onChange({ field: HandoffRuleFieldSchema.parse(e.target.value) })}>
              {HandoffRuleFieldSchema.options.map((f) => (
                <option key={f} value={f}>
                  {t(`rules.field.${f}`)}
                </option>
              ))}
            </select>
          </div>
          {listField('values', t('rules.values'))}
          {listField('leadSource', t('rules.leadSource'))}
          {listField('owner', t('rules.owner'))}
          <div className="sal-field">
            <label htmlFor={`${id}-checkbox`}>{t('rules.checkboxField')}</label>
            <input
              id={`${id}-checkbox`}
              value={draft.checkboxField}
              onChange={(e) => onChange({ checkboxField: e.target.value })}
              aria-invalid={errors.checkboxField ? true : undefined}
              aria-describedby={errors.checkboxField ? `${id}-checkboxField-error` : undefined}
            />
            {errorOf('checkboxField')}
            {draft.checkboxField.trim() && (
              <select aria-label={t('rules.checkboxField')} value={draft.checkboxChecked ? 'on' : 'off'} onChange={(e) => onChange({ checkboxChecked: e.target.value === 'on' })}>
                <option value="on">{t('rules.checkboxChecked')}</option>
                <option value="off">{t('rules.checkboxUnchecked')}</option>
              </select>
            )}
          </div>
        </>
      )}
    </fieldset>
  );
}
