import { useId, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import type { SalDatabase } from '../../lib/db/schema';
import { activeDefinition } from '../../lib/db/reads';
import type { HandoffRules } from '../../lib/domain/handoff-rules';
import type { Translate } from '../../lib/i18n';
import { HandoffRulesSection } from './HandoffRulesSection';
import { saveLocalHandoffRules } from './handoff-rules-store';
import { PolicyNotice, usePolicy } from './PolicyNotice';
import type { Policy } from '../../lib/settings/policy';

/**
 * The options page's hand-off rules: editable with a save button in local-only mode (stored as a
 * new definition version in this browser), the team's rules read-only in server mode (the team's
 * admin sets them in the definition on the server), and the policy's (or the team's, locked)
 * read-only with the policy's note when IT sets or locks them.
 */
export function HandoffRulesCard({
  db,
  t,
  serverMode,
  customTargets,
  policy: given,
}: {
  db: SalDatabase;
  t: Translate;
  serverMode: boolean;
  customTargets: readonly string[];
  /** The enterprise policy (default: read here; tests pass one). */
  policy?: Policy;
}) {
  const definition = useLiveQuery(() => activeDefinition(db), [db]);
  const read = usePolicy();
  const policy = given ?? read;
  const policyNoteId = useId();
  const [pending, setPending] = useState<{ rules: HandoffRules; valid: boolean } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (!definition) return null;
  const value = definition.handoffRules ?? {};
  if (policy.locked.has('handoffRules')) {
    return <HandoffRulesSection t={t} value={policy.handoffRules ?? value} onChange={() => undefined} readOnly readOnlyNote={<PolicyNotice t={t} id={policyNoteId} />} customTargets={customTargets} />;
  }
  if (serverMode) return <HandoffRulesSection t={t} value={value} onChange={() => undefined} readOnly customTargets={customTargets} />;
  const save = async () => {
    if (!pending) return setNotice(t('rules.unchanged'));
    if (!pending.valid) return setNotice(t('rules.invalid'));
    const saved = await saveLocalHandoffRules(db, pending.rules);
    setNotice(saved.changed ? t('rules.saved', { version: saved.version }) : t('rules.unchanged'));
  };
  return (
    <div>
      {/* keyed by version: a definition saved elsewhere (another options tab) resets the form */}
      <HandoffRulesSection
        key={definition.version}
        t={t}
        value={value}
        customTargets={customTargets}
        onChange={(rules, valid) => {
          setNotice(null);
          setPending({ rules, valid });
        }}
      />
      <div className="sal-actions">
        <button type="button" className="sal-btn sal-btn--brand" onClick={() => void save()}>
          {t('rules.save')}
        </button>
        <p role="status" className="sal-hint">
          {notice}
        </p>
      </div>
    </div>
  );
}
