import type { LeadField, QualityCriterion, RejectReason, SalDefinition } from '../../../lib/domain/definition';
import { DEFAULT_REVIEW_WITHIN_DAYS } from '../../../lib/domain/definition';
import type { DefinitionChange, DefinitionPath, DefinitionProblem } from '../../../lib/domain/definition-diff';
import type { Closure, TimeInterval } from '../../../lib/domain/calendar';
import type { HandoffRule } from '../../../lib/domain/handoff-rules';
import type { WritebackValue } from '../../../lib/domain/writeback';
import type { Lang, MessageKey, Translate } from '../../../lib/i18n';
import { ruleSummary } from '../HandoffRulesSection';

/**
 * The editor's words for what the domain reports as data: each field's label (the same text its
 * control is labelled with, so a problem names the field the user sees), each problem and each
 * change. Pure functions of the translator.
 */

const CLOCKS = ['acceptance', 'first_contact', 'status_update'] as const;
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** Hours with up to two decimals, from minutes ("8", "1.5"). */
export const hoursOf = (minutes: number) => (Number.isFinite(minutes) ? String(Math.round((minutes / 60) * 100) / 100) : '');

export const weekdayName = (day: number, t: Translate) => t(`def.weekday.${day}` as MessageKey);
export const leadFieldName = (field: LeadField, t: Translate) => t(`def.leadField.${field}`);
export const crmName = (crm: string, t: Translate) => t(`def.crm.${crm}` as MessageKey);

/**
 * The label of the control at `path` in the draft's form (items by index, as the form lists them;
 * counted from 1 for people). Paths the form has no control for fall back to their section.
 */
export function fieldLabel(path: DefinitionPath, t: Translate): string {
  const [head, a, b, c, d, e] = path;
  const n = (i: unknown) => (typeof i === 'number' ? i + 1 : String(i));
  switch (head) {
    case 'rejectReasons':
      if (a === undefined) return t('def.reasons.title');
      if (b === 'code') return t('def.reason.code', { n: n(a) });
      if (b === 'label' && (c === 'ja' || c === 'en')) return t(`def.reason.label.${c}`, { n: n(a) });
      if (b === 'commentRequired') return t('def.reason.commentRequired', { n: n(a) });
      return t('def.reason.item', { n: n(a) });
    case 'criteria':
      if (a === undefined) return t('def.criteria.title');
      if (b === 'items' && c !== undefined) {
        if (d === 'id') return t('def.item.id', { n: n(a), m: n(c) });
        if (d === 'label' && (e === 'ja' || e === 'en')) return t(`def.item.label.${e}`, { n: n(a), m: n(c) });
        return t('def.item.item', { n: n(a), m: n(c) });
      }
      if (b === 'items') return t('def.criterion.items', { n: n(a) });
      if (b === 'kind' || b === 'id' || b === 'min') return t(`def.criterion.${b}`, { n: n(a) });
      if (b === 'label' && (c === 'ja' || c === 'en')) return t(`def.criterion.label.${c}`, { n: n(a) });
      return t('def.criterion.item', { n: n(a) });
    case 'data':
      if (a === 'requiredFields' || a === 'validEmail' || a === 'validPhone' || a === 'minScore') return t(`def.data.${a}`);
      return t('def.data.title');
    case 'clocks':
      if (typeof a === 'string' && (CLOCKS as readonly string[]).includes(a)) {
        const clock = t(`clock.${a as (typeof CLOCKS)[number]}`);
        // the warning rule's refinement sits on the clock: it is the warning that must move
        if (b === undefined || b === 'warnBeforeMinutes') return t('def.clock.warn', { clock });
        if (b === 'basis') return t('def.clock.basis', { clock });
        return t('def.clock.minutes', { clock });
      }
      return t('def.clocks.title');
    case 'undoWindowMinutes':
      return t('def.undo');
    case 'reviewWithinDays':
      return t('def.review');
    case 'calendar':
      switch (a) {
        case 'timeZone':
          return t('def.cal.timeZone');
        case 'workingDays':
          return t('def.cal.workingDays');
        case 'workingHours':
          return b === 'start' || b === 'end' ? t(`def.cal.hours.${b}`) : t('def.cal.hours');
        case 'breaks':
          if (b === undefined) return t('def.cal.breaks');
          return c === 'start' || c === 'end' ? t(`def.break.${c}`, { n: n(b) }) : t('def.break.item', { n: n(b) });
        case 'holidays':
          return t('def.cal.holidays');
        case 'closures':
          if (b === undefined) return t('def.cal.closures');
          return c === 'from' || c === 'to' || c === 'label' ? t(`def.closure.${c}`, { n: n(b) }) : t('def.closure.item', { n: n(b) });
        default:
          return t('def.cal.title');
      }
    case 'handoffRules':
      return t('rules.title');
    case 'writeback':
      if (typeof a === 'number' && (b === 'field' || b === 'value' || b === 'trigger' || b === 'kind' || b === 'lang')) return t(`def.wb.${b}`, { n: n(a) });
      return t('def.wb.title');
    default:
      return t('def.title');
  }
}

/** What is wrong, in the user's words, without the field. */
export function problemMessage(problem: DefinitionProblem, t: Translate): string {
  const last = problem.path[problem.path.length - 1];
  const limit = problem.limit ?? 0;
  switch (problem.code) {
    case 'too_small':
      return problem.inclusive === false ? t('def.problem.aboveLimit', { limit }) : t('def.problem.atLeast', { limit });
    case 'too_big':
      return t('def.problem.atMost', { limit });
    case 'too_long':
      return t('def.problem.tooLong', { limit });
    case 'min_above_items':
      return t('def.problem.minAboveItems', { limit });
    case 'format':
      if (last === 'code' || last === 'id') return t('def.problem.idFormat');
      if (last === 'start' || last === 'end') return t('def.problem.timeFormat');
      if (problem.path[1] === 'closures') return t('def.problem.dateFormat');
      if (problem.path[0] === 'writeback') return t('def.problem.apiName');
      return t('def.problem.format');
    default:
      return t(`def.problem.${problem.code}`);
  }
}

/** "受領期限: 長さ (時間) — 数値を入力してください。" */
export function problemText(problem: DefinitionProblem, t: Translate): string {
  return t('def.problem.line', { field: fieldLabel(problem.path, t), problem: problemMessage(problem, t) });
}

// --- changes --------------------------------------------------------------------------------------

const yesNo = (v: unknown, t: Translate) => t(v ? 'def.yes' : 'def.no');
const interval = (i: TimeInterval) => `${i.start}–${i.end}`;

function writebackValueText(v: WritebackValue, t: Translate): string {
  if ('from' in v) return v.from === 'reasonLabel' ? t('def.wb.kindWithLang', { kind: t('def.wb.kind.reasonLabel'), lang: v.lang ?? 'ja' }) : t(`def.wb.kind.${v.from}`);
  if (v.value === null) return t('def.wb.kind.null');
  return typeof v.value === 'string' ? `「${v.value}」` : String(v.value);
}

export interface ChangeLine {
  kind: DefinitionChange['kind'];
  /** What changed, e.g. "受領期限: 長さ (時間)" or "却下理由「重複」". */
  what: string;
  before?: string;
  after?: string;
}

/**
 * One change in the user's words: what, and its value before and after as they would enter it
 * (hours for SLA lengths, weekday names, yes / no). Reasons and criteria are named by their label
 * in `lang` (from the version that has them).
 */
export function changeLine(change: DefinitionChange, before: SalDefinition, after: SalDefinition, t: Translate, lang: Lang): ChangeLine {
  const [head, a, b, c, d, e] = change.path;
  const line = (what: string, show: (v: unknown) => string = (v) => String(v)): ChangeLine => ({
    kind: change.kind,
    what,
    ...(change.before !== undefined ? { before: show(change.before) } : {}),
    ...(change.after !== undefined ? { after: show(change.after) } : {}),
  });
  switch (head) {
    case 'rejectReasons': {
      const r = (before.rejectReasons.find((x) => x.code === a) ?? after.rejectReasons.find((x) => x.code === a))!;
      const name = `${r.label[lang]} (${r.code})`;
      if (b === undefined) return { kind: change.kind, what: t('def.change.reason', { name }) };
      if (b === 'commentRequired') return line(t('def.change.reasonField', { name, field: t('def.reason.commentRequiredShort') }), (v) => yesNo(v, t));
      return line(t('def.change.reasonField', { name, field: t(`def.labelIn.${c === 'en' ? 'en' : 'ja'}`) }));
    }
    case 'criteria': {
      const x = (before.criteria.find((k) => k.id === a) ?? after.criteria.find((k) => k.id === a))!;
      const name = `${x.label[lang]} (${x.id})`;
      const summary = (v: unknown) => criterionSummary(v as QualityCriterion, t, lang);
      if (b === undefined) return line(t('def.change.criterion', { name }), summary);
      if (b === 'items') {
        const items = [
          ...((before.criteria.find((k) => k.id === a) as { items?: { id: string; label: { ja: string; en: string } }[] })?.items ?? []),
          ...((after.criteria.find((k) => k.id === a) as { items?: { id: string; label: { ja: string; en: string } }[] })?.items ?? []),
        ];
        const item = items.find((i) => i.id === c);
        const itemName = `${item?.label[lang] ?? String(c)} (${String(c)})`;
        if (d === undefined) return line(t('def.change.item', { name, item: itemName }), (v) => (v as { label: Record<Lang, string> }).label[lang]);
        return line(t('def.change.itemField', { name, item: itemName, field: t(`def.labelIn.${e === 'en' ? 'en' : 'ja'}`) }));
      }
      if (b === 'min') return line(t('def.change.criterionField', { name, field: t('def.criterion.minShort') }));
      return line(t('def.change.criterionField', { name, field: t(`def.labelIn.${c === 'en' ? 'en' : 'ja'}`) }));
    }
    case 'data':
      if (a === 'requiredFields') return line(t('def.data.requiredFields'), (v) => (v as LeadField[]).map((f) => leadFieldName(f, t)).join('、') || t('def.none'));
      if (a === 'minScore') return line(t('def.data.minScoreShort'), (v) => (v === null ? t('def.none') : String(v)));
      return line(t(`def.data.${a as 'validEmail' | 'validPhone'}`), (v) => yesNo(v, t));
    case 'clocks': {
      const clock = t(`clock.${a as (typeof CLOCKS)[number]}`);
      if (b === 'basis') return line(t('def.clock.basis', { clock }), (v) => t(`def.basis.${v as 'business' | 'calendar'}`));
      // each value in the basis of its own version ("8 business hours → 1 hour (calendar)")
      const kind = a as (typeof CLOCKS)[number];
      const shown = (v: unknown, d: SalDefinition) => t(`def.hoursValue.${d.clocks[kind].basis}`, { h: hoursOf(v as number) });
      return { kind: change.kind, what: t(b === 'minutes' ? 'def.clock.minutes' : 'def.clock.warn', { clock }), before: shown(change.before, before), after: shown(change.after, after) };
    }
    case 'undoWindowMinutes':
      return line(t('def.undo'), (v) => t('def.minutesValue', { m: String(v) }));
    case 'reviewWithinDays':
      return {
        kind: 'changed',
        what: t('def.review'),
        before: t('def.daysValue', { d: before.reviewWithinDays ?? DEFAULT_REVIEW_WITHIN_DAYS }),
        after: t('def.daysValue', { d: after.reviewWithinDays ?? DEFAULT_REVIEW_WITHIN_DAYS }),
      };
    case 'calendar':
      switch (a) {
        case 'workingDays':
          return line(t('def.cal.workingDays'), (v) => (v as number[]).map((day) => weekdayName(day, t)).join('・'));
        case 'workingHours':
          return line(t(`def.cal.hours.${b as 'start' | 'end'}`));
        case 'breaks':
          return line(t('def.cal.breaks'), (v) => (v as TimeInterval[]).map(interval).join('、') || t('def.none'));
        case 'holidays':
          return line(t('def.cal.holidays'), (v) => yesNo(v === 'jp', t));
        case 'closures': {
          const closure = (change.before ?? change.after) as Closure | string;
          const name = String(b);
          if (c === 'label') return line(t('def.change.closureLabel', { name }), (v) => String(v ?? ''));
          return { kind: change.kind, what: t('def.change.closure', { name: typeof closure === 'object' && closure.label ? `${name} ${closure.label}` : name }) };
        }
        default:
          return line(t('def.cal.timeZone'));
      }
    case 'handoffRules': {
      const rules = (v: unknown) =>
        Object.entries(v as Record<string, HandoffRule>)
          .map(([target, rule]) => `${handoffTargetName(target, t)}: ${ruleSummary(rule, t)}`)
          .join(' / ');
      if (a === undefined) return line(t('rules.title'), rules);
      return line(t('def.change.handoff', { crm: handoffTargetName(String(a), t) }), (v) => ruleSummary(v as HandoffRule, t));
    }
    case 'writeback':
      return line(t('def.change.writeback', { crm: crmName(String(a), t), decision: t(`event.${c as 'accepted'}`), field: String(d) }), (v) => writebackValueText(v as WritebackValue, t));
    case 'rolePermissions':
      return { kind: 'changed', what: t('def.change.roles') };
    default:
      return line(change.path.join('.'), (v) => JSON.stringify(v));
  }
}

function handoffTargetName(target: string, t: Translate): string {
  return target.startsWith('custom:') ? t('rules.crm.custom', { slug: target.slice('custom:'.length) }) : t(`rules.crm.${target}` as MessageKey);
}

function criterionSummary(c: QualityCriterion, t: Translate, lang: Lang): string {
  if (c.kind === 'yes_no') return `${c.label[lang]} (${t('def.kind.yes_no')})`;
  return `${c.label[lang]} (${t('def.kind.countSummary', { min: c.min, items: c.items.map((i) => i.label[lang]).join('・') })})`;
}

/** The reason list's own words, for read-only views. */
export function reasonSummary(r: RejectReason, lang: Lang, t: Translate): string {
  return r.commentRequired ? t('def.reason.withComment', { label: r.label[lang], code: r.code }) : `${r.label[lang]} (${r.code})`;
}

export { CLOCKS, WEEKDAYS };
