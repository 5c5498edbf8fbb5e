import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SalesforceConnectSection, type SalesforceConnectApi } from '../../../components/options/SalesforceConnectSection';
import { createTranslator } from '../../../lib/i18n';
import type { SalesforceConnectionsInfo } from '../../../lib/messaging/protocol';

const REDIRECT = 'https://ecedhdaembmmekajpokfnlphejicnojd.chromiumapp.org/';
const ORG = 'https://acme.my.salesforce.com';

function fakeApi(initial: Partial<SalesforceConnectionsInfo>, connect: SalesforceConnectApi['connect'] = async (org) => ({ ok: true, origin: org })) {
  let info: SalesforceConnectionsInfo = { clientId: '3MVG9Team.App', byPolicy: false, redirectUri: REDIRECT, connected: [], waiting: [], ...initial };
  const api = {
    info: vi.fn(async () => info),
    connect: vi.fn(async (org: string) => {
      const result = await connect(org);
      if (result.ok) info = { ...info, waiting: info.waiting.filter((o) => o !== result.origin), connected: [{ origin: result.origin, connectedAt: Date.parse('2026-11-30T01:00:00Z') }] };
      return result;
    }),
    disconnect: vi.fn(async (org: string) => {
      info = { ...info, connected: info.connected.filter((c) => c.origin !== org) };
      return { ok: true };
    }),
  };
  return api;
}

describe('SalesforceConnectSection', () => {
  it('ja: an org waiting for a connection is connected with its button, then listed as connected and disconnected again', async () => {
    const api = fakeApi({ waiting: [ORG] });
    render(<SalesforceConnectSection t={createTranslator('ja')} api={api} />);
    expect(await screen.findByRole('heading', { name: 'Salesforce への接続 (CRM への反映)' })).toBeTruthy();
    expect(screen.getByText('接続アプリケーション (コンシューマー鍵): 3MVG9Team.App')).toBeTruthy();
    // what the team's admin registers as the app's callback
    expect(screen.getByText(`接続アプリケーションのコールバック URL: ${REDIRECT}`)).toBeTruthy();
    const waiting = screen.getByRole('group', { name: '接続を待っている組織があります。接続すると待機中の反映を行います。' });
    await userEvent.click(within(waiting).getByRole('button', { name: 'Salesforce に接続' }));
    expect(api.connect).toHaveBeenCalledWith(ORG);
    expect(await screen.findByRole('status')).toHaveTextContent(`${ORG} に接続しました。`);
    const connected = screen.getByRole('list', { name: '接続済みの組織' });
    expect(within(connected).getByText(new RegExp(`${ORG.replace(/\./g, '\\.')} \\(.* から接続\\)`))).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: `${ORG} の接続を解除` }));
    expect(api.disconnect).toHaveBeenCalledWith(ORG);
    expect(await screen.findByText(`${ORG} の接続を解除しました。`)).toBeTruthy();
    expect(screen.queryByRole('list', { name: '接続済みの組織' })).toBeNull();
  });

  it('en: connects an org typed by its My Domain URL (Enter), and says why a connection failed', async () => {
    const api = fakeApi({}, async () => ({ ok: false, error: 'exchange_failed', message: 'invalid_grant: invalid code verifier' }));
    render(<SalesforceConnectSection t={createTranslator('en')} api={api} />);
    const field = await screen.findByLabelText('Org URL (My Domain: https://<org>.my.salesforce.com)');
    await userEvent.type(field, `${ORG}{Enter}`);
    expect(api.connect).toHaveBeenCalledWith(ORG);
    expect(await screen.findByRole('status')).toHaveTextContent('Could not connect (Salesforce issued no token): invalid_grant: invalid code verifier');
  });

  it('without a connected app: says the team admin sets one, offers no connection; a policy’s app is marked as such', async () => {
    const none = fakeApi({ clientId: null, waiting: [ORG] });
    const { unmount } = render(<SalesforceConnectSection t={createTranslator('ja')} api={none} />);
    expect(await screen.findByText(/チームの接続アプリケーションが設定されていません/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Salesforce に接続' })).toBeDisabled();
    expect(screen.queryByLabelText(/組織の URL/)).toBeNull();
    unmount();
    render(<SalesforceConnectSection t={createTranslator('en')} api={fakeApi({ byPolicy: true })} />);
    expect(await screen.findByText("Connected app (consumer key): 3MVG9Team.App (Set by your organisation's policy)")).toBeTruthy();
  });
});
