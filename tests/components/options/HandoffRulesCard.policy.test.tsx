import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { HandoffRulesCard } from '../../../components/options/HandoffRulesCard';
import { PolicySummary } from '../../../components/options/PolicyNotice';
import { SalDatabase } from '../../../lib/db/schema';
import { writeKv } from '../../../lib/db/kv';
import { definitionKv } from '../../../lib/db/reads';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { createTranslator } from '../../../lib/i18n';
import { parsePolicy } from '../../../lib/settings/policy';

let n = 0;
const MINE = { 'salesforce-lightning': { field: 'status' as const, values: ['Open - Not Contacted'] } };
const IT = { 'salesforce-lightning': { field: 'status' as const, values: ['MQL'] } };

async function db() {
  const d = new SalDatabase(`rules-card-policy-${n++}`);
  await writeKv(d, definitionKv, { ...DEFAULT_DEFINITION, handoffRules: MINE });
  return d;
}

describe('hand-off rules under enterprise policy (options)', () => {
  it('ja: the policy’s rules are shown, not editable, with the policy note; no save button', async () => {
    render(<HandoffRulesCard db={await db()} t={createTranslator('ja')} serverMode={false} customTargets={[]} policy={parsePolicy({ handoffRules: IT })} />);
    expect(await screen.findByText('組織のポリシーで設定されています')).toBeTruthy();
    expect(screen.getByText('リード状況 (Lead Status) が「MQL」のいずれか')).toBeTruthy();
    expect(screen.queryByText(/Open - Not Contacted/)).toBeNull();
    expect(screen.queryByRole('button', { name: 'ルールを適用' })).toBeNull();
    expect(screen.queryByRole('checkbox')).toBeNull();
  });

  it('en: rules only locked by policy keep the rep’s own, read-only; without a policy they are editable', async () => {
    const store = await db();
    const { unmount } = render(<HandoffRulesCard db={store} t={createTranslator('en')} serverMode={false} customTargets={[]} policy={parsePolicy({ lockedSettings: ['handoffRules'] })} />);
    expect(await screen.findByText("Set by your organisation's policy")).toBeTruthy();
    expect(screen.getByText(/Open - Not Contacted/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /apply/i })).toBeNull();
    unmount();
    render(<HandoffRulesCard db={store} t={createTranslator('en')} serverMode={false} customTargets={[]} policy={parsePolicy({})} />);
    expect((await screen.findAllByRole('checkbox')).length).toBeGreaterThan(0);
  });

  it('the policy summary says the write-back is set by policy', () => {
    render(<PolicySummary t={createTranslator('ja')} policy={parsePolicy({ writeback: { salesforce: { on: {}, oauth: { clientId: '3MVG9X' } } } })} />);
    expect(screen.getByTestId('policy-writeback')).toHaveTextContent('CRM への反映 (項目の対応付けと Salesforce の接続アプリケーション) は組織のポリシーで設定されています。');
  });
});
