import { describe, expect, it } from 'vitest';
import { SalDatabase } from '../../../lib/db/schema';
import { activeDefinition } from '../../../lib/db/reads';
import { saveLocalHandoffRules } from '../../../components/options/handoff-rules-store';

let n = 0;

describe('local-mode hand-off rules', () => {
  it('are saved as the next definition version; saving them unchanged makes none; clearing them makes another', async () => {
    const db = new SalDatabase(`rules-store-${n++}`);
    const rules = { 'salesforce-lightning': { field: 'status' as const, values: ['MQL'] } };
    expect(await saveLocalHandoffRules(db, rules)).toEqual({ version: 2, changed: true });
    const v2 = await activeDefinition(db);
    expect(v2).toMatchObject({ version: 2, handoffRules: rules });
    // everything else of the definition is kept
    expect(v2.rejectReasons.length).toBeGreaterThan(0);
    expect(await saveLocalHandoffRules(db, rules)).toEqual({ version: 2, changed: false });
    expect(await saveLocalHandoffRules(db, {})).toEqual({ version: 3, changed: true });
    expect((await activeDefinition(db)).handoffRules).toBeUndefined();
  });
});
