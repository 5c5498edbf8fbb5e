import { describe, expect, it } from 'vitest';
import { DEFAULT_DEFINITION, evaluateDefinition, SalDefinitionSchema, validateRejection } from '../../../lib/domain';

const goodLead = {
  name: '山田 太郎',
  company: '株式会社サンプル',
  title: '情報システム部長',
  email: 'taro.yamada@example.co.jp',
  phone: '03-1234-5678',
  score: 72,
};

describe('DEFAULT_DEFINITION', () => {
  it('is valid against its own schema and lists the article’s reject reasons', () => {
    expect(SalDefinitionSchema.parse(DEFAULT_DEFINITION)).toEqual(DEFAULT_DEFINITION);
    const labels = Object.fromEntries(DEFAULT_DEFINITION.rejectReasons.map((r) => [r.code, r.label.ja]));
    expect(labels).toMatchObject({ already_handled: '対応済', do_not_call: '架電NG', competitor: '競合製品を使用中', other: 'その他' });
  });

  it('requires a comment for "other" only', () => {
    expect(validateRejection(DEFAULT_DEFINITION, 'other', ' ')).toBe('comment_required');
    expect(validateRejection(DEFAULT_DEFINITION, 'other', '展示会で名刺交換のみ')).toBeNull();
    expect(validateRejection(DEFAULT_DEFINITION, 'do_not_call', undefined)).toBeNull();
    expect(validateRejection(DEFAULT_DEFINITION, 'no_such_reason', 'x')).toBe('unknown_reason');
  });
});

describe('evaluateDefinition', () => {
  const allYes = {
    decision_maker: true,
    'bant.budget': true,
    'bant.authority': true,
    need: true,
    urgency: true,
    product_fit: true,
  };

  it('passes a complete, qualified lead', () => {
    const r = evaluateDefinition(goodLead, allYes, DEFAULT_DEFINITION);
    expect(r.overall).toBe('pass');
    expect(r.definitionVersion).toBe(1);
  });

  it('says which criteria fail and why', () => {
    const r = evaluateDefinition({ ...goodLead, email: undefined, phone: '12-34', score: 30 }, { ...allYes, decision_maker: false }, DEFAULT_DEFINITION);
    const byId = Object.fromEntries(r.results.map((x) => [x.id, [x.outcome, x.reason]]));
    expect(byId).toMatchObject({
      decision_maker: ['fail', 'answered_no'],
      email: ['fail', 'email_missing'],
      phone: ['fail', 'phone_invalid'],
      score: ['fail', 'score_below_threshold'],
      'field:company': ['pass', 'field_present'],
    });
    expect(r.overall).toBe('fail');
  });

  it('is unknown while answers are missing, and counts BANT items against the minimum', () => {
    const partial = evaluateDefinition({ ...goodLead, score: undefined }, { 'bant.budget': true }, DEFAULT_DEFINITION);
    const byId = Object.fromEntries(partial.results.map((x) => [x.id, x]));
    expect(byId.bant).toMatchObject({ outcome: 'unknown', met: 1, min: 2 });
    expect(byId.urgency?.outcome).toBe('unknown');
    expect(byId.score?.reason).toBe('score_missing');
    expect(partial.overall).toBe('unknown');
    const tooFew = evaluateDefinition(goodLead, { 'bant.budget': true, 'bant.authority': false, 'bant.need': false, 'bant.timeline': false }, DEFAULT_DEFINITION);
    expect(tooFew.results.find((x) => x.id === 'bant')).toMatchObject({ outcome: 'fail', reason: 'too_few_items' });
  });

  it('accepts international phone numbers', () => {
    const r = evaluateDefinition({ ...goodLead, phone: '+81 90-1234-5678' }, allYes, DEFAULT_DEFINITION);
    expect(r.results.find((x) => x.id === 'phone')?.outcome).toBe('pass');
  });
});
