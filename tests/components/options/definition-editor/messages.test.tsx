import { describe, expect, it } from 'vitest';
import { changeLine, fieldLabel, problemText } from '../../../../components/options/definition-editor/messages';
import { draftOf, draftProblems } from '../../../../components/options/definition-editor/draft';
import { DEFAULT_DEFINITION, type SalDefinition } from '../../../../lib/domain/definition';
import { diffDefinitions } from '../../../../lib/domain/definition-diff';
import { createTranslator } from '../../../../lib/i18n';

const ja = createTranslator('ja');
const en = createTranslator('en');

describe('validation messages', () => {
  it('label each problem with the field the form shows, counted from 1, in ja and en', () => {
    const problem = { path: ['criteria', 1, 'items', 0, 'label', 'en'], code: 'required' } as const;
    expect(problemText(problem, ja)).toBe('チェック項目 2 の小項目 1: 表示名 (英語): 入力してください。');
    expect(problemText(problem, en)).toBe('Checklist item 2, sub-item 1: label (English): required.');
    const positive = { path: ['clocks', 'first_contact', 'minutes'], code: 'too_small', limit: 0, inclusive: false } as const;
    expect(problemText(positive, ja)).toBe('初回接触期限: 長さ (時間): 0 より大きくしてください。');
    expect(problemText(positive, en)).toBe('First contact due: length (hours): must be more than 0.');
    // the refinement on a clock is about its warning
    expect(fieldLabel(['clocks', 'acceptance'], ja)).toBe('受領期限: 残りこの時間で警告 (時間)');
    expect(problemText({ path: ['calendar', 'closures', 0], code: 'format' }, en)).toBe('Closure 1: use MM-DD or YYYY-MM-DD.');
  });

  it('place write-back problems on the form row: a field name that is no API name, a field mapped twice, a number that is none', () => {
    const draft = draftOf({ ...DEFAULT_DEFINITION, writeback: { hubspot: { on: { accepted: { hs_lead_status: { value: 'IN_PROGRESS' } } } } } });
    draft.writeback.push({ ...draft.writeback[0]!, key: 98, field: 'Bad Name' });
    draft.writeback.push({ ...draft.writeback[0]!, key: 99, kind: 'number', value: 'abc' });
    const texts = draftProblems(draft).problems.map((p) => problemText(p, ja));
    expect(texts).toEqual(
      expect.arrayContaining([
        '書き戻し 2: 項目 (API 参照名): API 参照名 (英字で始まる英数字と _) にしてください。',
        '書き戻し 3: 項目 (API 参照名): ほかと重複しています。',
        '書き戻し 3: 固定値: 数値を入力してください。',
      ]),
    );
  });
});

describe('change lines', () => {
  it("read as the user enters values: hours on each version's basis, weekday names, yes/no", () => {
    const after: SalDefinition = {
      ...DEFAULT_DEFINITION,
      version: 2,
      clocks: { ...DEFAULT_DEFINITION.clocks, first_contact: { minutes: 24 * 60, basis: 'calendar', warnBeforeMinutes: 4 * 60 } },
      calendar: { ...DEFAULT_DEFINITION.calendar, workingDays: [1, 2, 3, 4, 5, 6] },
      data: { ...DEFAULT_DEFINITION.data, validPhone: false, minScore: null },
    };
    const lines = (t: typeof ja, lang: 'ja' | 'en') => diffDefinitions(DEFAULT_DEFINITION, after).map((c) => changeLine(c, DEFAULT_DEFINITION, after, t, lang));
    expect(lines(ja, 'ja')).toEqual([
      { kind: 'changed', what: '電話番号の形式を確認する', before: 'はい', after: 'いいえ' },
      { kind: 'changed', what: '最低スコア', before: '50', after: 'なし' },
      { kind: 'changed', what: '初回接触期限: 長さ (時間)', before: '18 営業時間', after: '24 時間 (暦時間)' },
      { kind: 'changed', what: '初回接触期限: 数え方', before: '営業時間', after: '暦時間 (24 時間)' },
      { kind: 'changed', what: '営業日', before: '月曜日・火曜日・水曜日・木曜日・金曜日', after: '月曜日・火曜日・水曜日・木曜日・金曜日・土曜日' },
    ]);
    expect(lines(en, 'en')[4]).toEqual({
      kind: 'changed',
      what: 'Working days',
      before: 'Monday・Tuesday・Wednesday・Thursday・Friday',
      after: 'Monday・Tuesday・Wednesday・Thursday・Friday・Saturday',
    });
  });
});
