import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BackendSection } from '../../../components/sync/BackendSection';
import type { BackendSectionApi } from '../../../components/sync/backend-api';
import { PolicySummary, lockedCustomCrmApi, lockedServerUrl } from '../../../components/options/PolicyNotice';
import type { CustomCrmApi } from '../../../components/options/CustomCrmSection';
import { createTranslator, type Lang } from '../../../lib/i18n';
import { NO_POLICY, parsePolicy } from '../../../lib/settings/policy';
import { CUSTOM_CRM_EXAMPLE } from '../../../lib/settings/custom-crms';
import type { BackendConfig } from '../../../lib/settings/backend';

/** What a rep sees of a server URL set by IT: the URL, not editable, and why, in words a screen reader reads too. */

const POLICY_URL = 'https://sal.corp.example.co.jp';

function renderBackend(lang: Lang, stored: BackendConfig | null, lockedUrl?: string) {
  const api: BackendSectionApi = {
    me: vi.fn(() => Promise.resolve({ user: { id: 'u1', name: '田中' }, team: { id: 't', name: 'チーム' }, role: 'rep' as const })),
    plan: vi.fn(() => Promise.resolve({ kind: 'token_only' as const, team: 'チーム' })),
    save: vi.fn(() => Promise.resolve()),
    requestAccess: vi.fn(() => Promise.resolve(true)),
  } as unknown as BackendSectionApi;
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { mutations: { retry: false } } })}>
      <BackendSection t={createTranslator(lang)} stored={stored} api={api} lockedUrl={lockedUrl} />
    </QueryClientProvider>,
  );
  return { api, user: userEvent.setup() };
}

describe('options: the server URL set by enterprise policy', () => {
  it('ja: shows the policy URL disabled, described by the policy note; local mode cannot be chosen; the token saves against that URL', async () => {
    const { api, user } = renderBackend('ja', { mode: 'server', url: 'https://mine.example.com', token: 'old' }, POLICY_URL);
    const url = screen.getByLabelText('サーバーURL');
    expect(url).toBeDisabled();
    expect(url).toHaveValue(POLICY_URL);
    expect(url).toHaveAccessibleDescription('組織のポリシーで設定されています');
    expect(screen.getByRole('radio', { name: /ローカルモード/ })).toBeDisabled();
    const token = screen.getByLabelText('アクセストークン');
    await user.clear(token);
    await user.type(token, 'new-token');
    await user.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(api.save).toHaveBeenCalledWith({ mode: 'server', url: POLICY_URL, token: 'new-token' }));
  });

  it('en: the same note in English; a local-mode record still shows the server form under policy', () => {
    renderBackend('en', { mode: 'local' }, POLICY_URL);
    expect(screen.getByLabelText('Server URL')).toHaveAccessibleDescription("Set by your organisation's policy");
    expect(screen.getByRole('radio', { name: /team's server/ })).toBeChecked();
  });

  it("a policy that only locks serverUrl keeps the rep's saved server, locked", () => {
    const saved: BackendConfig = { mode: 'server', url: 'https://mine.example.com', token: 't' };
    expect(lockedServerUrl(parsePolicy({ serverUrl: POLICY_URL }), saved)).toBe(POLICY_URL);
    expect(lockedServerUrl(parsePolicy({ lockedSettings: ['serverUrl'] }), saved)).toBe('https://mine.example.com');
    expect(lockedServerUrl(parsePolicy({ lockedSettings: ['serverUrl'] }), { mode: 'local' })).toBeUndefined();
    expect(lockedServerUrl(NO_POLICY, saved)).toBeUndefined();
  });

  it('without a policy the URL is the rep’s to edit and has no note', () => {
    renderBackend('ja', null);
    expect(screen.getByLabelText('サーバーURL')).toBeEnabled();
    expect(screen.queryByTestId('policy-notice')).toBeNull();
  });
});

describe('options: CRMs set by enterprise policy', () => {
  it('ja/en: lists the built-in CRMs left on and the configured ones, says they are set by policy, and reports refused values', () => {
    const policy = parsePolicy({ builtInCrms: ['salesforce', 'dynamics'], customCrms: { version: 1, crms: [CUSTOM_CRM_EXAMPLE] }, serverUrl: 'ftp://x' });
    const { unmount } = render(<PolicySummary t={createTranslator('ja')} policy={policy} />);
    const section = screen.getByRole('region', { name: 'CRM (組織のポリシー)' });
    expect(section).toHaveTextContent('使用する CRM: Salesforce, Dynamics 365');
    expect(section).toHaveTextContent(`設定で追加された CRM: ${CUSTOM_CRM_EXAMPLE.host}`);
    expect(section).toHaveTextContent('組織のポリシーで設定されています');
    expect(section).toHaveTextContent('serverUrl: ');
    unmount();
    render(<PolicySummary t={createTranslator('en')} policy={parsePolicy({ builtInCrms: [] })} />);
    expect(screen.getByRole('region', { name: 'CRMs (organisation policy)' })).toHaveTextContent('CRMs in use: none');
  });

  it('says nothing without a policy', () => {
    const { container } = render(<PolicySummary t={createTranslator('ja')} policy={NO_POLICY} />);
    expect(container).toBeEmptyDOMElement();
  });

  it("the configured-CRM editor lists the policy's CRMs and refuses to store, saying why", async () => {
    const mine = { ...CUSTOM_CRM_EXAMPLE, slug: 'mine', host: 'mine.example.com' };
    const api = { load: vi.fn(() => Promise.resolve([mine])), store: vi.fn(() => Promise.resolve()) } as unknown as CustomCrmApi;
    const t = createTranslator('en');
    expect(lockedCustomCrmApi(api, NO_POLICY, t)).toBe(api);
    const locked = lockedCustomCrmApi(api, parsePolicy({ customCrms: { version: 1, crms: [CUSTOM_CRM_EXAMPLE] } }), t);
    expect(await locked.load()).toEqual([CUSTOM_CRM_EXAMPLE]);
    await expect(locked.store({ version: 1, crms: [] })).rejects.toThrow('set by your organisation');
    expect(api.store).not.toHaveBeenCalled();
    // locked without a list: the rep's own CRMs stay, unchangeable
    expect(await lockedCustomCrmApi(api, parsePolicy({ lockedSettings: ['customCrms'] }), t).load()).toEqual([mine]);
  });
});
