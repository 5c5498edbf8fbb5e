import type { z } from 'zod';
import { SalDefinitionSchema, type SalDefinition } from './definition';
import type { BusinessCalendar } from './calendar';

/**
 * What the definition editor needs to say about a definition, as data (the words are the
 * editor's, in the user's language): what changed between two versions (`diffDefinitions`) and
 * every problem with a candidate (`definitionProblems`). Pure: no clock, no i18n.
 */

/** A place in the definition: object keys, array items by their key (a reason's code, a criterion's id) or index. */
export type DefinitionPath = ReadonlyArray<string | number>;

export interface DefinitionChange {
  /** Where: e.g. `['rejectReasons', 'duplicate', 'commentRequired']`, `['clocks', 'acceptance', 'minutes']`. */
  path: DefinitionPath;
  kind: 'added' | 'removed' | 'changed';
  /** The value before (absent for `added`). */
  before?: unknown;
  /** The value after (absent for `removed`). */
  after?: unknown;
}

/**
 * Arrays whose items are compared by identity rather than by position, so a reason removed from
 * the middle reads as one removal, not as every later reason changed. The key function names an
 * item; the pattern is the array's path with `*` for any key.
 */
const KEYED_ARRAYS: ReadonlyArray<{ pattern: readonly string[]; key: (item: unknown) => string }> = [
  { pattern: ['rejectReasons'], key: (r) => (r as { code: string }).code },
  { pattern: ['criteria'], key: (c) => (c as { id: string }).id },
  { pattern: ['criteria', '*', 'items'], key: (i) => (i as { id: string }).id },
  { pattern: ['calendar', 'closures'], key: (c) => `${(c as { from: string }).from}〜${(c as { to: string }).to}` },
];

/** Arrays of plain values compared as a whole (a list of weekdays, required fields, breaks). */
const isKeyed = (path: DefinitionPath) => KEYED_ARRAYS.find((k) => k.pattern.length === path.length && k.pattern.every((p, i) => p === '*' || p === path[i]));

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Objects compared as one value: a hand-off rule, a write-back value (their parts mean nothing alone). */
const isWholeValue = (path: DefinitionPath) =>
  (path.length === 2 && path[0] === 'handoffRules') || (path.length === 5 && path[0] === 'writeback') || (path.length === 1 && path[0] === 'rolePermissions');

function diffInto(out: DefinitionChange[], path: DefinitionPath, before: unknown, after: unknown): void {
  if (same(before, after)) return;
  if (before === undefined) return void out.push({ path, kind: 'added', after });
  if (after === undefined) return void out.push({ path, kind: 'removed', before });
  const keyed = isKeyed(path);
  if (keyed && Array.isArray(before) && Array.isArray(after)) {
    const a = new Map(before.map((x) => [keyed.key(x), x] as const));
    const b = new Map(after.map((x) => [keyed.key(x), x] as const));
    for (const [k, x] of a) diffInto(out, [...path, k], x, b.get(k));
    for (const [k, x] of b) if (!a.has(k)) out.push({ path: [...path, k], kind: 'added', after: x });
    return;
  }
  if (isObject(before) && isObject(after) && !isWholeValue(path)) {
    // a count criterion turned yes/no (or back) is one change of the whole criterion
    if ('kind' in before && before.kind !== after.kind) return void out.push({ path, kind: 'changed', before, after });
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const k of keys) diffInto(out, [...path, k], before[k], after[k]);
    return;
  }
  out.push({ path, kind: 'changed', before, after });
}

/**
 * What changed from `before` to `after`, leaf by leaf in the definition's order (reasons,
 * criteria and closures matched by their code / id / dates; hand-off rules and write-back values
 * as whole values). The version number itself is not a change. Empty when the two agree.
 */
export function diffDefinitions(before: SalDefinition, after: SalDefinition): DefinitionChange[] {
  const out: DefinitionChange[] = [];
  const { version: _a, ...a } = before;
  const { version: _b, ...b } = after;
  // "no rules" and an empty set of rules (or of write-back mappings) are the same definition
  const norm = (d: Omit<SalDefinition, 'version'>) => ({
    ...d,
    handoffRules: d.handoffRules && Object.keys(d.handoffRules).length > 0 ? d.handoffRules : undefined,
    writeback: d.writeback && Object.keys(d.writeback).length > 0 ? d.writeback : undefined,
  });
  const na = norm(a);
  const nb = norm(b);
  // write-back is diffed per CRM, decision and field: one mapped field is one change
  const wbA = flattenWriteback(na.writeback);
  const wbB = flattenWriteback(nb.writeback);
  diffInto(out, [], { ...na, writeback: undefined }, { ...nb, writeback: undefined });
  for (const [k, v] of wbA) diffInto(out, ['writeback', ...k.split('\u0000')], v, wbB.get(k));
  for (const [k, v] of wbB) if (!wbA.has(k)) out.push({ path: ['writeback', ...k.split('\u0000')], kind: 'added', after: v });
  return out;
}

function flattenWriteback(writeback: SalDefinition['writeback']): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [crm, mapping] of Object.entries(writeback ?? {})) {
    for (const [trigger, fields] of Object.entries(mapping?.on ?? {})) {
      for (const [field, value] of Object.entries(fields ?? {})) out.set([crm, 'on', trigger, field].join('\u0000'), value);
    }
  }
  return out;
}

// --- validation ---------------------------------------------------------------------------------

/**
 * A problem with a candidate definition, in terms the editor can name: where (`path`, items by
 * index as the form lists them) and what (`code`, with the bound for `too_small` / `too_big`).
 */
export interface DefinitionProblem {
  path: DefinitionPath;
  code:
    | 'required' // blank text, a missing value
    | 'not_a_number' // a number field left empty or not a number
    | 'not_an_integer'
    | 'too_small'
    | 'too_big'
    | 'too_long'
    | 'empty_list' // at least one item is needed (reject reasons, working days, values)
    | 'format' // an id, a time HH:MM, a date, a field API name not in the expected form
    | 'time_zone' // not an IANA time zone
    | 'interval' // a start not before its end
    | 'date_range' // a closure whose first day is after its last
    | 'warn_after_deadline' // the warning would start at or after the deadline
    | 'duplicate' // two reasons with one code, two criteria (or items) with one id, a write-back field mapped twice
    | 'min_above_items' // a count criterion needing more items than it has
    | 'no_working_time' // a business calendar without any working time (business clocks would never end)
    | 'invalid';
  /** For `too_small`, `too_big`, `too_long`, `min_above_items`: the bound. */
  limit?: number;
  /** For `too_small`: false when the bound itself is not allowed (a duration must be above 0). */
  inclusive?: boolean;
}

const CUSTOM_MESSAGES: Record<string, DefinitionProblem['code']> = {
  'warning must start before the deadline': 'warn_after_deadline',
  'start must be before end': 'interval',
  'unknown IANA time zone': 'time_zone',
  'from must not be after to': 'date_range',
};

/** One zod issue in the editor's terms. */
export function problemOfIssue(issue: z.core.$ZodIssue): DefinitionProblem {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'number' && (issue.input === undefined || (typeof issue.input === 'number' && Number.isNaN(issue.input)))) return { path, code: 'not_a_number' };
      if (issue.expected === 'int') return { path, code: 'not_an_integer' };
      return { path, code: issue.input === undefined || issue.input === '' ? 'required' : 'invalid' };
    case 'too_small':
      if (issue.origin === 'string') return { path, code: 'required' };
      if (issue.origin === 'array') return { path, code: 'empty_list' };
      // a positive duration: greater than 0 (exclusive); an undo window: 0 or more (inclusive)
      return { path, code: 'too_small', limit: Number(issue.minimum), inclusive: issue.inclusive !== false };
    case 'too_big':
      return issue.origin === 'string' ? { path, code: 'too_long', limit: Number(issue.maximum) } : { path, code: 'too_big', limit: Number(issue.maximum) };
    case 'invalid_format':
      return { path, code: 'format' };
    case 'invalid_union':
    case 'invalid_key':
      return { path, code: 'format' };
    case 'custom':
      return { path, code: CUSTOM_MESSAGES[issue.message] ?? (issue.message.includes('blank') ? 'required' : 'invalid') };
    default:
      return { path, code: 'invalid' };
  }
}

function duplicates<T>(items: readonly T[], key: (item: T) => string, at: (index: number) => DefinitionPath): DefinitionProblem[] {
  const seen = new Set<string>();
  const out: DefinitionProblem[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    if (k === '') return;
    if (seen.has(k)) out.push({ path: at(i), code: 'duplicate' });
    seen.add(k);
  });
  return out;
}

const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether the working hours leave any minute outside the breaks. (Asking `slaDeadline` instead
 * costs seconds on a calendar without working time, since it searches years ahead before giving
 * up, and this runs on every keystroke. Closures covering every day of the year are not looked
 * for: the preview then says the deadline cannot be computed.)
 */
function hasWorkingTime(calendar: BusinessCalendar): boolean {
  const start = minuteOf(calendar.workingHours.start);
  const end = minuteOf(calendar.workingHours.end);
  for (let m = start; m < end; m++) if (!calendar.breaks.some((b) => minuteOf(b.start) <= m && m < minuteOf(b.end))) return true;
  return false;
}

/**
 * Every problem with `candidate` as a team definition (not only the first): the schema's
 * (`SalDefinitionSchema`, the one the server applies) and what the schema cannot see but would
 * make the definition wrong to use: duplicate codes and ids (a decision's reason code must name
 * one reason), a count criterion that can never pass, a business calendar with no working time.
 * `definition` is the parsed candidate when there is no problem, else null.
 */
export function definitionProblems(candidate: unknown): { definition: SalDefinition | null; problems: DefinitionProblem[] } {
  const parsed = SalDefinitionSchema.safeParse(candidate);
  const problems = parsed.success ? [] : parsed.error.issues.map(problemOfIssue);
  const c = candidate as Partial<SalDefinition> | null;
  if (c && Array.isArray(c.rejectReasons))
    problems.push(
      ...duplicates(
        c.rejectReasons,
        (r) => String(r?.code ?? ''),
        (i) => ['rejectReasons', i, 'code'],
      ),
    );
  if (c && Array.isArray(c.criteria)) {
    problems.push(
      ...duplicates(
        c.criteria,
        (x) => String(x?.id ?? ''),
        (i) => ['criteria', i, 'id'],
      ),
    );
    c.criteria.forEach((x, i) => {
      if (x?.kind !== 'count' || !Array.isArray(x.items)) return;
      problems.push(
        ...duplicates(
          x.items,
          (item) => String(item?.id ?? ''),
          (j) => ['criteria', i, 'items', j, 'id'],
        ),
      );
      if (Number.isFinite(x.min) && x.items.length > 0 && x.min > x.items.length) problems.push({ path: ['criteria', i, 'min'], code: 'min_above_items', limit: x.items.length });
    });
  }
  // A refinement over fields already in error says nothing more ("start before end" on a start
  // that is not a time): keep the fields' own problems.
  const refinements = new Set<DefinitionProblem['code']>(['interval', 'warn_after_deadline', 'date_range']);
  const under = (outer: DefinitionPath, inner: DefinitionPath) => inner.length > outer.length && outer.every((p, i) => inner[i] === p);
  const kept = problems.filter((p) => !refinements.has(p.code) || !problems.some((q) => q !== p && under(p.path, q.path)));
  problems.length = 0;
  problems.push(...kept);
  if (parsed.success && !hasWorkingTime(parsed.data.calendar)) problems.push({ path: ['calendar', 'workingHours'], code: 'no_working_time' });
  return { definition: parsed.success && problems.length === 0 ? parsed.data : null, problems };
}
