import { describe, expect, it } from 'vitest';
import { HandoffRulesSchema, matchesHandoffRule, ruleHandoffCycle, ruleHandoffEvent, ruleHandoffId, RULE_ACTOR_ID, type HandoffRule } from '../../../lib/domain/handoff-rules';
import { DEFAULT_DEFINITION, SalDefinitionSchema } from '../../../lib/domain/definition';
import { HandedOverEventSchema, LeadEventSchema, UlidSchema } from '../../../lib/domain/events';
import { foldLead } from '../../../lib/domain/lifecycle';
import { accepted, handedOver, LEAD, recycled, rejected, REP_A, won, contacted } from './builders';

const MQL: HandoffRule = { field: 'status', values: ['MQL', 'Open - Not Contacted'] };

describe('hand-off rule matching', () => {
  it('matches a Lead Status among the rule values, as people read them (width, case, spaces)', () => {
    expect(matchesHandoffRule(MQL, { status: 'MQL' })).toBe(true);
    expect(matchesHandoffRule(MQL, { status: ' open - not contacted ' })).toBe(true);
    expect(matchesHandoffRule(MQL, { status: 'ＭＱＬ' })).toBe(true);
    expect(matchesHandoffRule(MQL, { status: 'Working - Contacted' })).toBe(false);
  });

  it('never matches on a field the page did not show', () => {
    expect(matchesHandoffRule(MQL, {})).toBe(false);
    expect(matchesHandoffRule({ field: 'leadSource', values: ['Web'] }, { status: 'MQL' })).toBe(false);
  });

  it('requires every optional condition: lead source, owner, checkbox', () => {
    const rule: HandoffRule = { ...MQL, leadSource: ['Web', 'セミナー'], owner: ['佐藤 健一'], checkbox: { field: 'MQL__c', checked: true } };
    const all = { status: 'MQL', leadSource: 'セミナー', owner: '佐藤 健一', checkboxes: { MQL__c: true } };
    expect(matchesHandoffRule(rule, all)).toBe(true);
    expect(matchesHandoffRule(rule, { ...all, leadSource: '展示会' })).toBe(false);
    expect(matchesHandoffRule(rule, { ...all, owner: '田中' })).toBe(false);
    expect(matchesHandoffRule(rule, { ...all, checkboxes: { MQL__c: false } })).toBe(false);
    // a page that does not show the checkbox does not match
    expect(matchesHandoffRule(rule, { ...all, checkboxes: {} })).toBe(false);
    // the checkbox is found by its label too, whatever its case
    expect(matchesHandoffRule({ ...MQL, checkbox: { field: 'mql 判定', checked: false } }, { status: 'MQL', checkboxes: { 'MQL 判定': false } })).toBe(true);
  });
});

describe('which leads a rule may hand over', () => {
  const at = (h: number) => `2026-11-24T0${h}:00:00Z`;
  it('a lead never tracked starts cycle 0', () => {
    expect(ruleHandoffCycle(foldLead([]))).toBe(0);
  });

  it('never a lead handed over, accepted or rejected in its current cycle, nor a won one', () => {
    const h = handedOver({ at: at(1) });
    expect(ruleHandoffCycle(foldLead([h]))).toBeNull();
    expect(ruleHandoffCycle(foldLead([h, accepted({ at: at(2) })]))).toBeNull();
    expect(ruleHandoffCycle(foldLead([h, rejected({ at: at(2) })]))).toBeNull();
    expect(ruleHandoffCycle(foldLead([h, accepted({ at: at(2) }), contacted({ at: at(3) }), won({ at: at(4) })]))).toBeNull();
  });

  it('a recycled lead starts its next cycle', () => {
    expect(ruleHandoffCycle(foldLead([handedOver({ at: at(1) }), recycled({ at: at(2) })]))).toBe(1);
  });
});

describe('rule hand-off ids', () => {
  it('are the same in every browser for one team, lead and cycle, and ULID-shaped', async () => {
    const a = await ruleHandoffId('team-1', LEAD, 0);
    expect(await ruleHandoffId('team-1', LEAD, 0)).toBe(a);
    expect(UlidSchema.safeParse(a).success).toBe(true);
    const others = await Promise.all([ruleHandoffId('team-1', LEAD, 1), ruleHandoffId('team-2', LEAD, 0), ruleHandoffId('team-1', 'salesforce:00Q5g00000FgHiJEAV', 0)]);
    expect(new Set([a, ...others]).size).toBe(4);
  });

  it('stay ULID-shaped over many inputs (first character 0–7)', async () => {
    for (let i = 0; i < 200; i++) expect(UlidSchema.safeParse(await ruleHandoffId(`t${i}`, LEAD, i)).success).toBe(true);
  });
});

describe('rule hand-off events', () => {
  const base = { teamId: 'team-1', leadKey: LEAD, rule: MQL, definitionVersion: 3, at: Date.parse('2026-11-24T01:00:00Z') };

  it('records source crm-rule, the rule actor, the definition version and why', async () => {
    const event = await ruleHandoffEvent({ ...base, state: foldLead([]), input: { status: 'MQL', owner: '佐藤 健一', leadSource: 'Web' }, lead: { name: '山田 太郎' } });
    expect(LeadEventSchema.parse(event)).toMatchObject({
      id: await ruleHandoffId('team-1', LEAD, 0),
      type: 'handed_over',
      actor: { id: RULE_ACTOR_ID },
      definitionVersion: 3,
      lead: { name: '山田 太郎' },
      payload: { sourceKind: 'crm-rule', owner: '佐藤 健一', source: 'Web', rationale: { why: 'status = MQL' } },
    });
  });

  it('makes the same content whichever rep reads the page (only the time and the snapshot are theirs)', async () => {
    const a = await ruleHandoffEvent({ ...base, state: foldLead([]), input: { status: 'MQL' } });
    const b = await ruleHandoffEvent({ ...base, state: foldLead([]), input: { status: 'MQL' }, at: base.at + 60_000 });
    expect({ ...b, occurredAt: a?.occurredAt }).toEqual(a);
  });

  it('makes no second hand-off in a cycle, and none when the rule does not match', async () => {
    const first = await ruleHandoffEvent({ ...base, state: foldLead([]), input: { status: 'MQL' } });
    expect(first).not.toBeNull();
    expect(await ruleHandoffEvent({ ...base, state: foldLead([first!]), input: { status: 'MQL' } })).toBeNull();
    expect(await ruleHandoffEvent({ ...base, state: foldLead([first!, accepted({ at: '2026-11-24T02:00:00Z', actor: REP_A })]), input: { status: 'MQL' } })).toBeNull();
    expect(await ruleHandoffEvent({ ...base, state: foldLead([]), input: { status: 'Working - Contacted' } })).toBeNull();
  });

  it('the fold keeps the source kind and rationale on the cycle, and nobody can undo it as their own', async () => {
    const event = await ruleHandoffEvent({ ...base, state: foldLead([]), input: { status: 'MQL' } });
    const state = foldLead([event!]);
    expect(state.handOver).toMatchObject({ sourceKind: 'crm-rule', rationale: { why: 'status = MQL' } });
    expect(state.status).toBe('pending');
  });
});

describe('schema compatibility', () => {
  it('a definition stored before hand-off rules still parses, with no rules', () => {
    const old = JSON.parse(JSON.stringify(DEFAULT_DEFINITION)) as Record<string, unknown>;
    expect('handoffRules' in old).toBe(false);
    const parsed = SalDefinitionSchema.parse(old);
    expect(parsed.handoffRules).toBeUndefined();
  });

  it('a definition with rules per CRM UI parses; an unknown CRM or an empty value list does not', () => {
    const rules = { 'salesforce-lightning': MQL, 'custom:kintone': { field: 'status', values: ['MQL'] } };
    expect(SalDefinitionSchema.parse({ ...DEFAULT_DEFINITION, handoffRules: rules }).handoffRules).toEqual(rules);
    expect(HandoffRulesSchema.safeParse({ salesforce: MQL }).success).toBe(false);
    expect(HandoffRulesSchema.safeParse({ hubspot: { field: 'status', values: [] } }).success).toBe(false);
    expect(HandoffRulesSchema.safeParse({ hubspot: { field: 'status', values: ['  '] } }).success).toBe(false);
  });

  it('a hand-off recorded before source kinds still parses, its free-text source kept', () => {
    const old = handedOver({ at: '2026-11-01T00:00:00Z' }, { source: 'セミナー', campaign: '11月ウェビナー' });
    const json = JSON.parse(JSON.stringify(old)) as { payload: Record<string, unknown> };
    expect(json.payload.sourceKind).toBeUndefined();
    expect(HandedOverEventSchema.parse(json).payload).toMatchObject({ source: 'セミナー', campaign: '11月ウェビナー' });
  });

  it('a source kind outside the list is refused; a rationale is optional in every part', () => {
    const h = JSON.parse(JSON.stringify(handedOver({ at: '2026-11-01T00:00:00Z' }))) as { payload: Record<string, unknown> };
    expect(HandedOverEventSchema.safeParse({ ...h, payload: { ...h.payload, sourceKind: 'fax' } }).success).toBe(false);
    expect(HandedOverEventSchema.safeParse({ ...h, payload: { ...h.payload, sourceKind: 'agent', rationale: {} } }).success).toBe(true);
    expect(HandedOverEventSchema.safeParse({ ...h, payload: { ...h.payload, sourceKind: 'agent', rationale: { why: '価格ページを3回閲覧', score: 0.82, intentTopic: 'pricing' } } }).success).toBe(
      true,
    );
  });
});
