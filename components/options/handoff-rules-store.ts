import type { SalDatabase } from '../../lib/db/schema';
import { writeKv } from '../../lib/db/kv';
import { activeDefinition, definitionKv } from '../../lib/db/reads';
import type { HandoffRules } from '../../lib/domain/handoff-rules';
import { dataChangedStorage } from '../../lib/settings/storage-items';

const same = (a: HandoffRules | undefined, b: HandoffRules) => JSON.stringify(a ?? {}) === JSON.stringify(b);

/**
 * Local-only mode: stores `rules` as the next version of this browser's SAL definition (a rule's
 * version is its definition's), so hand-offs recorded from now on name the new version and those
 * already recorded keep theirs. Unchanged rules store nothing. Open panels are told to refetch.
 * Resolves to the version in force afterwards, and whether it is new.
 */
export async function saveLocalHandoffRules(db: SalDatabase, rules: HandoffRules): Promise<{ version: number; changed: boolean }> {
  const current = await activeDefinition(db);
  if (same(current.handoffRules, rules)) return { version: current.version, changed: false };
  const { handoffRules: _old, ...rest } = current;
  const version = current.version + 1;
  await writeKv(db, definitionKv, { ...rest, version, ...(Object.keys(rules).length > 0 ? { handoffRules: rules } : {}) });
  await dataChangedStorage.setValue(Date.now());
  return { version, changed: true };
}
