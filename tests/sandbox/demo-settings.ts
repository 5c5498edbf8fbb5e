import { DEFAULT_DEFINITION, type SalDefinition } from '../../lib/domain/definition';
import type { HandoffRules } from '../../lib/domain/handoff-rules';
import { SALESFORCE_WRITEBACK_EXAMPLE } from '../../lib/domain/writeback';

/**
 * The demo team's hand-off rule (`npm start`): what marketing automation (Lead Status "MQL") and
 * assignment rules ("Open - Not Contacted") leave on a lead means "handed over", so the sandbox
 * list's leads that were not handed over through the API read 受領待ち as soon as a rep sees them.
 */
export const DEMO_HANDOFF_RULES: HandoffRules = {
  'salesforce-lightning': { field: 'status', values: ['MQL', 'Open - Not Contacted'] },
  'salesforce-classic': { field: 'status', values: ['MQL', 'Open - Not Contacted'] },
};

/** The demo team's definition: the default one, the hand-off rule, and the write-back example (受領 → "Working - Contacted", …). */
export function demoDefinition(): SalDefinition {
  return { ...DEFAULT_DEFINITION, handoffRules: DEMO_HANDOFF_RULES, writeback: SALESFORCE_WRITEBACK_EXAMPLE };
}
