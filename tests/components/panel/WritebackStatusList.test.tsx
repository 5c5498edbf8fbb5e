import { describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WritebackStatusList } from '../../../components/panel/WritebackStatusList';
import { createTranslator, type Lang } from '../../../lib/i18n';
import type { WritebackStatus } from '../../../lib/messaging/protocol';
import { SALESFORCE_CONNECT_REQUIRED } from '../../../lib/writeback/writer';

const at = Date.parse('2026-11-30T01:00:00Z');
const line = (id: string, trigger: WritebackStatus['trigger'], state: WritebackStatus['state'], crm: WritebackStatus['crm'] = 'salesforce'): WritebackStatus => ({
  id,
  crm,
  trigger,
  state,
  createdAt: at,
});

function setup(writebacks: WritebackStatus[], lang: Lang = 'ja') {
  const onRetry = vi.fn();
  render(<WritebackStatusList writebacks={writebacks} t={createTranslator(lang)} retrying={null} onRetry={onRetry} />);
  return { onRetry };
}

describe('WritebackStatusList', () => {
  it('says the CRM was updated and to reload, with no retry (ja)', () => {
    setup([line('a', 'accepted', { kind: 'reflected', at })]);
    expect(screen.getByRole('region', { name: 'CRM への反映' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Salesforce を更新しました — 再読み込みで表示されます');
    expect(screen.getByText('受領')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '再試行' })).toBeNull();
  });

  it('shows the CRM’s own message on a refusal, says the decision is recorded, and offers 再試行', async () => {
    const { onRetry } = setup([line('r', 'rejected', { kind: 'failed', code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: '却下理由を入力してください。' })]);
    expect(screen.getByRole('alert').textContent).toBe('Salesforce が更新を受け付けませんでした: 却下理由を入力してください。(判断は記録済みです)');
    await userEvent.click(screen.getByRole('button', { name: '再試行' }));
    expect(onRetry).toHaveBeenCalledWith('r');
  });

  it('asks to sign in again, shows a conflict and a pause, each with a retry (en)', () => {
    setup(
      [
        line('s', 'accepted', { kind: 'sign_in', message: 'Session expired or invalid' }),
        line('c', 'rejected', { kind: 'conflict', message: '412' }, 'hubspot'),
        line('p', 'won', { kind: 'paused', message: 'TotalRequests Limit exceeded.' }, 'dynamics'),
      ],
      'en',
    );
    const alerts = screen.getAllByRole('alert').map((a) => a.textContent);
    expect(alerts).toEqual([
      'Sign in to Salesforce again; the update completes after you sign in',
      'The record changed in HubSpot after you opened it, so it was not overwritten. Check it, then retry',
      'Paused: the Dynamics 365 API limit is reached (TotalRequests Limit exceeded.)',
    ]);
    expect(screen.getAllByRole('button', { name: 'Retry' })).toHaveLength(3);
  });

  it('waiting reads as such; a Dynamics write waits for a tab of the CRM (en)', () => {
    setup([line('w', 'accepted', { kind: 'waiting' }), line('d', 'accepted', { kind: 'waiting', message: 'crm_tab_closed' }, 'dynamics')], 'en');
    expect(screen.getAllByRole('status').map((s) => s.textContent)).toEqual(['Waiting to update Salesforce', 'Updates Dynamics 365 when a Dynamics 365 tab is open']);
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('renders nothing when no decision on the lead is written back', () => {
    const { container } = render(<WritebackStatusList writebacks={[]} t={createTranslator('ja')} retrying={null} onRetry={() => undefined} />);
    expect(container.innerHTML).toBe('');
  });
});

describe('WritebackStatusList: an org that refuses the session for the API', () => {
  it('asks to connect Salesforce in the options page, with 再試行 (ja), and in English', () => {
    const state = { kind: 'sign_in' as const, message: SALESFORCE_CONNECT_REQUIRED };
    setup([line('c', 'accepted', state)]);
    expect(screen.getByRole('alert').textContent).toBe('Salesforce が API でのセッション利用を拒否しました。オプションページの「Salesforce への接続」でこの組織に接続すると反映します');
    expect(screen.getByRole('button', { name: '再試行' })).toBeTruthy();
    cleanup();
    setup([line('c', 'accepted', state)], 'en');
    expect(screen.getByRole('alert').textContent).toContain('Connect this org under “Connect Salesforce” in the options page');
    cleanup();
    // an expired session of an org without a connected app still says "sign in again"
    setup([line('d', 'accepted', { kind: 'sign_in', message: 'Session expired or invalid' })]);
    expect(screen.getByRole('alert').textContent).toBe('Salesforce にサインインし直してください。サインイン後に反映します');
  });
});
