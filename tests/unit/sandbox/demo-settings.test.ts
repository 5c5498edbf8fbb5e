import { describe, expect, it } from 'vitest';
import { SalDefinitionSchema } from '../../../lib/domain/definition';
import { matchesHandoffRule, ruleFor } from '../../../lib/domain/handoff-rules';
import { demoDefinition } from '../../sandbox/demo-settings';
import { LIST_FILLER_COUNT, NAMED_LEADS, fillerLeads } from '../../sandbox/leads';

describe('the npm start demo team', () => {
  const definition = demoDefinition();

  it('is a definition the server accepts, with the write-back example kept', () => {
    expect(SalDefinitionSchema.safeParse(definition).success).toBe(true);
    expect(definition.writeback?.salesforce?.on.accepted?.Status).toEqual({ value: 'Working - Contacted' });
  });

  it('hands over the Lightning list’s leads in "Open - Not Contacted" or "MQL", and not those already worked', () => {
    const rule = ruleFor(definition.handoffRules, 'salesforce-lightning')!;
    const fillers = fillerLeads(LIST_FILLER_COUNT);
    expect(fillers.every((l) => matchesHandoffRule(rule, { status: l.status }))).toBe(true);
    expect(matchesHandoffRule(rule, { status: 'MQL' })).toBe(true);
    const worked = NAMED_LEADS.filter((l) => l.status === 'Working - Contacted');
    expect(worked.length).toBeGreaterThan(0);
    expect(worked.some((l) => matchesHandoffRule(rule, { status: l.status }))).toBe(false);
  });
});
