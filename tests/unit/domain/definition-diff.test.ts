import { describe, expect, it } from 'vitest';
import { DEFAULT_DEFINITION, type SalDefinition } from '../../../lib/domain/definition';
import { definitionProblems, diffDefinitions } from '../../../lib/domain/definition-diff';

const base: SalDefinition = structuredClone(DEFAULT_DEFINITION);
const edit = (fn: (d: SalDefinition) => void): SalDefinition => {
  const d = structuredClone(base);
  fn(d);
  return d;
};

describe('diffDefinitions', () => {
  it('finds nothing between equal definitions, whatever their version numbers', () => {
    expect(diffDefinitions(base, { ...structuredClone(base), version: 7 })).toEqual([]);
    // no hand-off rules and an empty set of them are the same agreement
    expect(diffDefinitions(base, { ...structuredClone(base), handoffRules: {}, writeback: {} })).toEqual([]);
  });

  it('names each changed leaf: a clock, its basis, the undo window, a calendar field', () => {
    const after = edit((d) => {
      d.clocks.acceptance = { minutes: 60, basis: 'calendar', warnBeforeMinutes: 15 };
      d.undoWindowMinutes = 5;
      d.calendar = { ...d.calendar, holidays: 'none', workingDays: [1, 2, 3, 4, 5, 6] };
    });
    expect(diffDefinitions(base, after)).toEqual([
      { path: ['clocks', 'acceptance', 'minutes'], kind: 'changed', before: 480, after: 60 },
      { path: ['clocks', 'acceptance', 'basis'], kind: 'changed', before: 'business', after: 'calendar' },
      { path: ['clocks', 'acceptance', 'warnBeforeMinutes'], kind: 'changed', before: 120, after: 15 },
      { path: ['undoWindowMinutes'], kind: 'changed', before: 10, after: 5 },
      { path: ['calendar', 'workingDays'], kind: 'changed', before: [1, 2, 3, 4, 5], after: [1, 2, 3, 4, 5, 6] },
      { path: ['calendar', 'holidays'], kind: 'changed', before: 'jp', after: 'none' },
    ]);
  });

  it('matches reasons by code and criteria by id: one removal is one change, not a shifted list', () => {
    const after = edit((d) => {
      d.rejectReasons = d.rejectReasons.filter((r) => r.code !== 'competitor');
      d.rejectReasons.find((r) => r.code === 'duplicate')!.commentRequired = true;
      d.rejectReasons.push({ code: 'student', label: { ja: '学生', en: 'Student' }, commentRequired: false });
      const bant = d.criteria.find((c) => c.id === 'bant');
      if (bant?.kind === 'count') bant.min = 3;
    });
    const changes = diffDefinitions(base, after);
    expect(changes).toEqual([
      { path: ['criteria', 'bant', 'min'], kind: 'changed', before: 2, after: 3 },
      { path: ['rejectReasons', 'competitor'], kind: 'removed', before: base.rejectReasons[2] },
      { path: ['rejectReasons', 'duplicate', 'commentRequired'], kind: 'changed', before: false, after: true },
      { path: ['rejectReasons', 'student'], kind: 'added', after: { code: 'student', label: { ja: '学生', en: 'Student' }, commentRequired: false } },
    ]);
  });

  it('reports closures, hand-off rules and write-back fields as whole items', () => {
    const after = edit((d) => {
      d.calendar = { ...d.calendar, closures: [...d.calendar.closures, { from: '2026-08-13', to: '2026-08-16', label: '夏季休業' }] };
      d.handoffRules = { hubspot: { field: 'status', values: ['MQL'] } };
      d.writeback = { salesforce: { on: { accepted: { Status: { value: 'Working - Contacted' } } } } };
    });
    expect(diffDefinitions(base, after)).toEqual([
      { path: ['calendar', 'closures', '2026-08-13〜2026-08-16'], kind: 'added', after: { from: '2026-08-13', to: '2026-08-16', label: '夏季休業' } },
      { path: ['handoffRules'], kind: 'added', after: { hubspot: { field: 'status', values: ['MQL'] } } },
      { path: ['writeback', 'salesforce', 'on', 'accepted', 'Status'], kind: 'added', after: { value: 'Working - Contacted' } },
    ]);
    const later = structuredClone(after);
    later.handoffRules = { hubspot: { field: 'status', values: ['MQL', 'SQL'] } };
    later.writeback = { salesforce: { on: { accepted: { Status: { value: 'Open' } } } } };
    expect(diffDefinitions(after, later)).toEqual([
      { path: ['handoffRules', 'hubspot'], kind: 'changed', before: { field: 'status', values: ['MQL'] }, after: { field: 'status', values: ['MQL', 'SQL'] } },
      { path: ['writeback', 'salesforce', 'on', 'accepted', 'Status'], kind: 'changed', before: { value: 'Working - Contacted' }, after: { value: 'Open' } },
    ]);
  });
});

describe('definitionProblems', () => {
  it('accepts the default definition as it is', () => {
    expect(definitionProblems(base)).toEqual({ definition: base, problems: [] });
  });

  it('names every problem, not only the first, each at its field', () => {
    const candidate = edit((d) => {
      d.clocks.acceptance = { minutes: Number.NaN, basis: 'business', warnBeforeMinutes: 10 };
      d.clocks.first_contact = { minutes: 60, basis: 'business', warnBeforeMinutes: 60 };
      d.undoWindowMinutes = -1;
      d.rejectReasons[1] = { code: 'already_handled', label: { ja: '', en: 'Dup' }, commentRequired: false };
      d.rejectReasons.push({ code: 'Bad Code', label: { ja: 'x', en: 'x' }, commentRequired: false });
      d.calendar = { ...d.calendar, timeZone: 'Mars/Olympus', workingHours: { start: '18:00', end: '09:00' }, workingDays: [] };
      const bant = d.criteria[1];
      if (bant?.kind === 'count') bant.min = 5;
    });
    const { definition, problems } = definitionProblems(candidate);
    expect(definition).toBeNull();
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: ['clocks', 'acceptance', 'minutes'], code: 'not_a_number' },
        { path: ['clocks', 'first_contact'], code: 'warn_after_deadline' },
        { path: ['undoWindowMinutes'], code: 'too_small', limit: 0, inclusive: true },
        { path: ['rejectReasons', 1, 'label', 'ja'], code: 'required' },
        { path: ['rejectReasons', 9, 'code'], code: 'format' },
        { path: ['rejectReasons', 1, 'code'], code: 'duplicate' },
        { path: ['calendar', 'timeZone'], code: 'time_zone' },
        { path: ['calendar', 'workingDays'], code: 'empty_list' },
        { path: ['calendar', 'workingHours'], code: 'interval' },
        { path: ['criteria', 1, 'min'], code: 'min_above_items', limit: 4 },
      ]),
    );
    expect(problems).toHaveLength(10);
  });

  it('names a field in error once, without the refinement over it (a start that is not a time is not also "after the end")', () => {
    const candidate = edit((d) => {
      d.calendar = { ...d.calendar, workingHours: { start: '9am', end: '18:00' } };
      d.clocks.status_update = { minutes: Number.NaN, basis: 'business', warnBeforeMinutes: 60 };
    });
    expect(definitionProblems(candidate).problems).toEqual([
      { path: ['clocks', 'status_update', 'minutes'], code: 'not_a_number' },
      { path: ['calendar', 'workingHours', 'start'], code: 'format' },
    ]);
  });

  it('finds a business calendar without working time, which the schema alone allows', () => {
    const candidate = edit((d) => {
      d.calendar = { ...d.calendar, breaks: [{ start: '09:00', end: '18:00' }] };
    });
    expect(definitionProblems(candidate).problems).toEqual([{ path: ['calendar', 'workingHours'], code: 'no_working_time' }]);
  });

  it('reads a malformed closure, write-back field name and an empty reason list', () => {
    const candidate = edit((d) => {
      d.rejectReasons = [];
      d.calendar = { ...d.calendar, closures: [{ from: '2026-13-01', to: '2026-12-31' }] };
      d.writeback = { salesforce: { on: { accepted: { 'Bad Field': { value: 'x' } } } } };
    });
    const { problems } = definitionProblems(candidate);
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: ['rejectReasons'], code: 'empty_list' },
        { path: ['calendar', 'closures', 0], code: 'format' },
        expect.objectContaining({ path: expect.arrayContaining(['writeback', 'salesforce', 'on', 'accepted']) as unknown }),
      ]),
    );
  });
});
