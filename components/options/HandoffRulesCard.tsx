import { useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import type { SalDatabase } from '../../lib/db/schema';
import { activeDefinition } from '../../lib/db/reads';
import type { HandoffRules } from '../../lib/domain/handoff-rules';
import type { Translate } from '../../lib/i18n';
import { HandoffRulesSection } from './HandoffRulesSection';
import { saveLocalHandoffRules } from './handoff-rules-store';

/**
 * The options page's hand-off rules: editable with a save button in local-only mode (stored as a
 * new definition version in this browser), the team's rules read-only in server mode (the team's
 * admin sets them in the definition on the server).
 */
export function HandoffRulesCard({ db, t, serverMode, customTargets }: { db: SalDatabase; t: Translate; serverMode: boolean; customTargets: readonly string[] }) {
  const definition = useLiveQuery(() => activeDefinition(db), [db]);
  const [pending, setPending] = useState<{ rules: HandoffRules; valid: boolean } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (!definition) return null;
  const value = definition.handoffRules ?? {};
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
