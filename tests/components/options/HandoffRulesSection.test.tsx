import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HandoffRulesSection } from '../../../components/options/HandoffRulesSection';
import { createTranslator, type Lang } from '../../../lib/i18n';
import type { HandoffRules } from '../../../lib/domain/handoff-rules';

function setup(value: HandoffRules = {}, o: { lang?: Lang; readOnly?: boolean; customTargets?: string[] } = {}) {
  const onChange = vi.fn();
  render(<HandoffRulesSection t={createTranslator(o.lang ?? 'ja')} value={value} onChange={onChange} readOnly={o.readOnly} customTargets={o.customTargets} />);
  // no pause between keystrokes: the machine running the suite may be loaded
  return { onChange, user: userEvent.setup({ delay: null }) };
}

describe('hand-off rules editor', () => {
  it('ja: sets a Lightning rule (Lead Status ∈ {MQL, Open - Not Contacted}) with a lead source condition, by keyboard alone', async () => {
    const { onChange, user } = setup();
    const lightning = screen.getByRole('group', { name: 'Salesforce (Lightning Experience)' });
    // Tab to the checkbox, Space to enable, then type into the fields it reveals
    await user.tab();
    expect(within(lightning).getByRole('checkbox', { name: 'この CRM でルールを使う' })).toHaveFocus();
    await user.keyboard(' ');
    // enabled with no value yet: invalid, announced and tied to its field
    const values = within(lightning).getByLabelText('引き渡しとみなす値 (1 行に 1 つ)');
    expect(values).toHaveAttribute('aria-invalid', 'true');
    expect(within(lightning).getByRole('alert')).toHaveTextContent('値を 1 つ以上入力してください。');
    expect(onChange).toHaveBeenLastCalledWith({}, false);
    await user.tab(); // the field select (Lead Status by default)
    expect(within(lightning).getByLabelText('項目')).toHaveFocus();
    await user.tab();
    expect(values).toHaveFocus();
    await user.keyboard('MQL{Enter}Open - Not Contacted');
    await user.tab();
    expect(within(lightning).getByLabelText('リードソースの条件 (任意、1 行に 1 つ)')).toHaveFocus();
    await user.keyboard('Web');
    expect(within(lightning).queryByRole('alert')).not.toBeInTheDocument();
    expect(onChange).toHaveBeenLastCalledWith({ 'salesforce-lightning': { field: 'status', values: ['MQL', 'Open - Not Contacted'], leadSource: ['Web'] } }, true);
  }, 20_000);

  it('en: edits an existing rule, a checkbox condition and a configured CRM, with its messages in English', async () => {
    const { onChange, user } = setup({ hubspot: { field: 'status', values: ['MQL'] } }, { lang: 'en', customTargets: ['custom:kintone'] });
    const hubspot = screen.getByRole('group', { name: 'HubSpot' });
    expect(within(hubspot).getByLabelText('Values that mean handed over (one per line)')).toHaveValue('MQL');
    await user.type(within(hubspot).getByLabelText('Checkbox field (optional: label or API name)'), 'MQL__c');
    await user.selectOptions(within(hubspot).getByRole('combobox', { name: 'Checkbox field (optional: label or API name)' }), 'when unchecked');
    expect(onChange).toHaveBeenLastCalledWith({ hubspot: { field: 'status', values: ['MQL'], checkbox: { field: 'MQL__c', checked: false } } }, true);

    const kintone = screen.getByRole('group', { name: 'Configured CRM: kintone' });
    await user.click(within(kintone).getByRole('checkbox', { name: 'Use a rule for this CRM' }));
    expect(within(kintone).getByRole('alert')).toHaveTextContent('Enter at least one value.');
    await user.selectOptions(within(kintone).getByLabelText('Field'), 'Owner');
    await user.type(within(kintone).getByLabelText('Values that mean handed over (one per line)'), 'Inside Sales');
    expect(onChange).toHaveBeenLastCalledWith(
      { hubspot: { field: 'status', values: ['MQL'], checkbox: { field: 'MQL__c', checked: false } }, 'custom:kintone': { field: 'owner', values: ['Inside Sales'] } },
      true,
    );
  }, 20_000);

  it('turning a rule off removes it', async () => {
    const { onChange, user } = setup({ 'dynamics-365': { field: 'status', values: ['MQL'] } });
    await user.click(within(screen.getByRole('group', { name: 'Dynamics 365' })).getByRole('checkbox'));
    expect(onChange).toHaveBeenLastCalledWith({}, true);
  });

  it("server mode: shows the team's rules read-only, in words, in both languages", () => {
    const rules: HandoffRules = { 'salesforce-lightning': { field: 'status', values: ['MQL', 'Open - Not Contacted'], owner: ['佐藤 健一'] } };
    setup(rules, { readOnly: true });
    expect(screen.getByText('チームのルールです。変更はチームの管理者がサーバーで行います。')).toBeInTheDocument();
    expect(screen.getByText('リード状況 (Lead Status) が「MQL / Open - Not Contacted」のいずれか · 所有者 が「佐藤 健一」のいずれか')).toBeInTheDocument();
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();
  });

  it('server mode, en, without rules', () => {
    setup({}, { readOnly: true, lang: 'en' });
    expect(screen.getByRole('heading', { name: 'Hand-off rules' })).toBeInTheDocument();
    expect(screen.getByText('No rules.')).toBeInTheDocument();
  });
});
