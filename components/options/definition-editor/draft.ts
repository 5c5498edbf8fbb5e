import type { SalDefinition } from '../../../lib/domain/definition';
import { definitionProblems, type DefinitionProblem } from '../../../lib/domain/definition-diff';
import { CrmFieldNameSchema, WritebackSourceSchema, type Writeback, type WritebackCrm, type WritebackSource, type WritebackTrigger, type WritebackValue } from '../../../lib/domain/writeback';

/**
 * The editor's working copy of a definition. Everything is the definition's own shape (a number
 * field left empty is NaN, so the schema names it), except the write-back mapping, which the form
 * lists as rows (one CRM field set by one decision) and the hand-off rules' validity, which their
 * own section reports.
 */
export interface Draft {
  definition: SalDefinition;
  writeback: WritebackRow[];
  /** False while the hand-off rules section holds a field in error. */
  handoffValid: boolean;
}

/** What a row sets the field to: a fixed value of a type, or a value from the decision. */
export type WritebackKind = 'text' | 'number' | 'true' | 'false' | 'null' | WritebackSource;
export const WRITEBACK_KINDS: readonly WritebackKind[] = ['text', 'number', 'true', 'false', 'null', ...WritebackSourceSchema.options];

export interface WritebackRow {
  /** Stable React key (rows are added and removed). */
  key: number;
  crm: WritebackCrm;
  trigger: WritebackTrigger;
  field: string;
  kind: WritebackKind;
  /** The fixed text or number, as typed. */
  value: string;
  /** For `reasonLabel`: which label is written. */
  lang: 'ja' | 'en';
}

let rowKeys = 0;
export const nextRowKey = () => ++rowKeys;

function rowOf(crm: WritebackCrm, trigger: WritebackTrigger, field: string, v: WritebackValue): WritebackRow {
  const base = { key: nextRowKey(), crm, trigger, field, value: '', lang: 'ja' as const };
  if ('from' in v) return { ...base, kind: v.from, lang: v.lang ?? 'ja' };
  if (typeof v.value === 'string') return { ...base, kind: 'text', value: v.value };
  if (typeof v.value === 'number') return { ...base, kind: 'number', value: String(v.value) };
  if (v.value === null) return { ...base, kind: 'null' };
  return { ...base, kind: v.value ? 'true' : 'false' };
}

/** A definition's write-back mapping as rows, CRM by CRM, decision by decision. */
export function writebackRows(writeback: Writeback | undefined): WritebackRow[] {
  const rows: WritebackRow[] = [];
  for (const [crm, mapping] of Object.entries(writeback ?? {}) as Array<[WritebackCrm, { on: Record<string, Record<string, WritebackValue>> } | undefined]>) {
    for (const [trigger, fields] of Object.entries(mapping?.on ?? {})) {
      for (const [field, v] of Object.entries(fields)) rows.push(rowOf(crm, trigger as WritebackTrigger, field, v));
    }
  }
  return rows;
}

function valueOf(row: WritebackRow): WritebackValue {
  switch (row.kind) {
    case 'text':
      return { value: row.value };
    case 'number':
      // empty is NaN, which the schema names as "not a number"
      return { value: row.value.trim() === '' ? Number.NaN : Number(row.value) };
    case 'true':
      return { value: true };
    case 'false':
      return { value: false };
    case 'null':
      return { value: null };
    case 'reasonLabel':
      return { from: 'reasonLabel', lang: row.lang };
    default:
      return { from: row.kind };
  }
}

/** The rows as the definition's mapping (absent when there are none). A field mapped twice keeps its last row. */
export function writebackOf(rows: readonly WritebackRow[]): Writeback | undefined {
  if (rows.length === 0) return undefined;
  const out: Record<string, { on: Record<string, Record<string, WritebackValue>> }> = {};
  for (const row of rows) {
    const on = (out[row.crm] ??= { on: {} }).on;
    (on[row.trigger] ??= {})[row.field] = valueOf(row);
  }
  return out as Writeback;
}

export function draftOf(definition: SalDefinition): Draft {
  return { definition: structuredClone(definition), writeback: writebackRows(definition.writeback), handoffValid: true };
}

/** The draft as the definition it would save (not yet validated). */
export function candidateOf(draft: Draft): SalDefinition {
  const { writeback: _old, ...rest } = draft.definition;
  const writeback = writebackOf(draft.writeback);
  return { ...rest, ...(writeback ? { writeback } : {}) };
}

/**
 * Every problem of the draft, write-back problems placed on their row (`['writeback', row, part]`)
 * since the form lists rows, and a field mapped twice for one decision named on its second row.
 */
export function draftProblems(draft: Draft): { definition: SalDefinition | null; problems: DefinitionProblem[] } {
  const { definition, problems } = definitionProblems(candidateOf(draft));
  const out: DefinitionProblem[] = [];
  for (const p of problems) {
    if (p.path[0] !== 'writeback') {
      out.push(p);
      continue;
    }
    // ['writeback', crm, 'on', trigger, field, ...]: the row that maps this field (the last, as `writebackOf` keeps)
    const [, crm, , trigger, field] = p.path;
    const index = draft.writeback.findLastIndex((r) => r.crm === crm && r.trigger === trigger && r.field === field);
    const row = draft.writeback[index];
    if (!row) continue;
    // an empty name is reported as required below
    if (!CrmFieldNameSchema.safeParse(row.field).success) {
      if (row.field !== '') out.push({ path: ['writeback', index, 'field'], code: 'format' });
    } else if (p.path.length > 5) out.push({ ...p, path: ['writeback', index, 'value'] });
    else out.push({ path: ['writeback', index, 'value'], code: row.kind === 'number' ? 'not_a_number' : 'invalid' });
  }
  const seen = new Set<string>();
  draft.writeback.forEach((r, i) => {
    const k = `${r.crm}/${r.trigger}/${r.field}`;
    if (r.field !== '' && seen.has(k)) out.push({ path: ['writeback', i, 'field'], code: 'duplicate' });
    if (r.field === '') out.push({ path: ['writeback', i, 'field'], code: 'required' });
    seen.add(k);
  });
  // the hand-off rules section names its own problems beside its fields; the summary counts it
  if (!draft.handoffValid) out.push({ path: ['handoffRules'], code: 'invalid' });
  const unique = out.filter((p, i) => out.findIndex((q) => q.code === p.code && JSON.stringify(q.path) === JSON.stringify(p.path)) === i);
  return { definition: unique.length === 0 ? definition : null, problems: unique };
}
