import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import { DefinitionEditor } from '../../../../components/options/definition-editor/DefinitionEditor';
import { PolicySummary } from '../../../../components/options/PolicyNotice';
import { DEFAULT_DEFINITION } from '../../../../lib/domain/definition';
import { createTranslator, type Lang } from '../../../../lib/i18n';
import { parsePolicy, type Policy } from '../../../../lib/settings/policy';

/** The definition editor under enterprise policy: what IT sets or locks is shown read-only with the policy's note. */
const MINE = { 'salesforce-lightning': { field: 'status' as const, values: ['Open - Not Contacted'] } };
const IT = { 'salesforce-lightning': { field: 'status' as const, values: ['MQL'] } };

function show(lang: Lang, policy: Policy) {
  const definition = { ...DEFAULT_DEFINITION, handoffRules: MINE };
  return render(
    <DefinitionEditor
      t={createTranslator(lang)}
      lang={lang}
      snapshot={{ definition, revision: null, managed: false, updatedAt: null, updatedBy: null, versions: [] }}
      mode="local"
      canEdit
      customTargets={[]}
      now={() => new Date('2026-12-01T01:00:00Z')}
      onSave={vi.fn()}
      onReload={vi.fn()}
      policy={policy}
    />,
  );
}

describe('definition editor under enterprise policy', () => {
  it('ja: the policy’s hand-off rules are shown, not editable, with the policy note', () => {
    show('ja', parsePolicy({ handoffRules: IT }));
    const rules = screen.getByTestId('handoff-rules');
    expect(within(rules).getByText('組織のポリシーで設定されています')).toBeTruthy();
    expect(within(rules).getByText('リード状況 (Lead Status) が「MQL」のいずれか')).toBeTruthy();
    expect(within(rules).queryByText(/Open - Not Contacted/)).toBeNull();
    expect(within(rules).queryByRole('checkbox')).toBeNull();
  });

  it('en: rules only locked by policy keep the definition’s own, read-only; without a policy they are editable', () => {
    const { unmount } = show('en', parsePolicy({ lockedSettings: ['handoffRules'] }));
    const locked = screen.getByTestId('handoff-rules');
    expect(within(locked).getByText("Set by your organisation's policy")).toBeTruthy();
    expect(within(locked).getByText(/Open - Not Contacted/)).toBeTruthy();
    expect(within(locked).queryByRole('checkbox')).toBeNull();
    unmount();
    show('en', parsePolicy({}));
    expect(within(screen.getByTestId('handoff-rules')).getAllByRole('checkbox').length).toBeGreaterThan(0);
  });

  it('a write-back mapping set by policy replaces the mapping editor with the policy note', () => {
    show('ja', parsePolicy({ writeback: { salesforce: { on: {}, oauth: { clientId: '3MVG9X' } } } }));
    expect(screen.getByTestId('definition-writeback-policy')).toHaveTextContent('CRM への反映 (項目の対応付けと Salesforce の接続アプリケーション) は組織のポリシーで設定されています。');
  });

  it('the policy summary says the write-back is set by policy', () => {
    render(<PolicySummary t={createTranslator('ja')} policy={parsePolicy({ writeback: { salesforce: { on: {}, oauth: { clientId: '3MVG9X' } } } })} />);
    expect(screen.getByTestId('policy-writeback')).toHaveTextContent('CRM への反映 (項目の対応付けと Salesforce の接続アプリケーション) は組織のポリシーで設定されています。');
  });
});
