import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { SignInSection } from '../../../components/sync/SignInSection';
import type { SignInApi } from '../../../components/sync/signin-api';
import { createTranslator, type Lang } from '../../../lib/i18n';
import type { SessionResponse } from '../../../lib/protocol/http';
import { ApiError } from '../../../lib/sync/errors';
import type { BackendChangePlan } from '../../../lib/sync/backend-change';
import { planText } from '../../../components/sync/BackendSection';

/** Signing in from the options page: an invitation link, single sign-on, and each refusal in the rep's words. */

const SERVER = 'https://sal.example.test';
const SESSION: SessionResponse = {
  accessToken: 'sals_a',
  accessExpiresAt: '2026-11-24T01:15:00.000Z',
  refreshToken: 'salr_r',
  refreshExpiresAt: '2026-12-24T01:00:00.000Z',
  me: { user: { id: 'u1', name: '山田 太郎' }, team: { id: 't1', name: 'Demo 株式会社' }, role: 'rep' },
};

function setup(lang: Lang, api: Partial<SignInApi>, invite = true) {
  const full: SignInApi = {
    authConfig: vi.fn(async () => ({ oidc: { issuer: 'https://idp.test', clientId: 'c', authorizationEndpoint: 'https://idp.test/auth', scopes: ['openid'] } })),
    signInWithSso: vi.fn(async () => SESSION),
    previewInvite: vi.fn(async () => ({ team: SESSION.me.team, name: '山田 太郎', role: 'rep' as const, expiresAt: '2026-11-27T01:00:00.000Z' })),
    signInWithInvite: vi.fn(async () => SESSION),
    plan: vi.fn(async (_url: string, team: { name: string }) => ({ kind: 'first_team' as const, team: team.name, decisions: 0 })),
    save: vi.fn(async () => undefined),
    requestAccess: vi.fn(async () => true),
    ...api,
  };
  const t = createTranslator(lang);
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { mutations: { retry: false } } })}>
      <SignInSection t={t} stored={null} me={null} invite={invite ? { server: SERVER, code: 'c'.repeat(43) } : null} api={full} />
    </QueryClientProvider>,
  );
  return { t, api: full };
}

describe.each(['ja', 'en'] as const)('sign-in section (%s)', (lang) => {
  it('joins with the invitation the link opened, with one click, and stores the session', async () => {
    const { t, api } = setup(lang, {});
    expect(screen.getByText(t('signin.invite.found', { server: SERVER }))).toBeTruthy();
    await userEvent.click(screen.getAllByRole('button', { name: t('signin.invite.join') })[0]!);
    expect(await screen.findByText(t('signin.signedIn', { user: '山田 太郎', team: 'Demo 株式会社' }))).toBeTruthy();
    expect(api.signInWithInvite).toHaveBeenCalledWith(SERVER, 'c'.repeat(43));
    expect(api.save).toHaveBeenCalledWith(SERVER, SESSION, 'invite');
  });

  it('asks before an invitation moves this browser to another team; "cancel" leaves the invitation unused, "switch" joins', async () => {
    const switching: BackendChangePlan = { kind: 'switch_team', from: '旧チーム', to: 'Demo 株式会社', decisions: 3, restored: 0 };
    const { t, api } = setup(lang, { plan: vi.fn(async () => switching) });
    const user = userEvent.setup();
    await user.click(screen.getAllByRole('button', { name: t('signin.invite.join') })[0]!);
    const ask = await screen.findByTestId('signin-switch');
    expect(ask.textContent).toContain(planText(switching, t));
    expect(api.previewInvite).toHaveBeenCalledWith(SERVER, 'c'.repeat(43));
    await user.click(screen.getByRole('button', { name: t('signin.switch.cancel') }));
    expect(await screen.findByText(t('signin.switch.cancelled'))).toBeTruthy();
    expect(api.signInWithInvite).not.toHaveBeenCalled();
    expect(api.save).not.toHaveBeenCalled();

    await user.click(screen.getAllByRole('button', { name: t('signin.invite.join') })[0]!);
    // the confirmation takes the focus, so Enter confirms from the keyboard
    await screen.findByTestId('signin-switch');
    expect(document.activeElement?.textContent).toBe(t('signin.switch.confirm'));
    await user.keyboard('{Enter}');
    expect(await screen.findByText(t('signin.signedIn', { user: '山田 太郎', team: 'Demo 株式会社' }))).toBeTruthy();
    expect(api.signInWithInvite).toHaveBeenCalledTimes(1);
    expect(api.save).toHaveBeenCalledWith(SERVER, SESSION, 'invite');
  });

  it('asks before single sign-on moves this browser to another team, and forgets the session on "cancel"', async () => {
    const { t, api } = setup(lang, { plan: vi.fn(async () => ({ kind: 'switch_team' as const, from: '旧チーム', to: 'Demo 株式会社', decisions: 1, restored: 2 })) }, false);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(t('signin.url')), `${SERVER}{Enter}`);
    await screen.findByTestId('signin-switch');
    expect(api.plan).toHaveBeenCalledWith(SERVER, SESSION.me.team);
    await user.click(screen.getByRole('button', { name: t('signin.switch.cancel') }));
    expect(api.save).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: t('signin.sso') }));
    await user.click(await screen.findByRole('button', { name: t('signin.switch.confirm') }));
    expect(await screen.findByText(t('signin.signedIn', { user: '山田 太郎', team: 'Demo 株式会社' }))).toBeTruthy();
    expect(api.save).toHaveBeenCalledWith(SERVER, SESSION, 'oidc');
    expect(api.signInWithSso).toHaveBeenCalledTimes(2);
  });

  it('says why an invitation is refused', async () => {
    const { t, api } = setup(lang, { signInWithInvite: vi.fn(async () => Promise.reject(new ApiError(401, 'invite_expired', 'expired'))) });
    await userEvent.click(screen.getAllByRole('button', { name: t('signin.invite.join') })[0]!);
    expect((await screen.findByRole('alert')).textContent).toBe(t('signin.error.invite_expired'));
    expect(api.save).not.toHaveBeenCalled();
  });

  it('signs in with the company account from the keyboard, and says why a provider refused', async () => {
    const { t, api } = setup(lang, {}, false);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(t('signin.url')), `${SERVER}{Enter}`);
    expect(await screen.findByText(t('signin.signedIn', { user: '山田 太郎', team: 'Demo 株式会社' }))).toBeTruthy();
    expect(api.save).toHaveBeenCalledWith(SERVER, SESSION, 'oidc');
    vi.mocked(api.signInWithSso).mockRejectedValueOnce(new ApiError(401, 'unknown_domain', 'no team'));
    await user.click(screen.getByRole('button', { name: t('signin.sso') }));
    expect((await screen.findByRole('alert')).textContent).toBe(t('signin.error.unknown_domain'));
  });

  it('tells a rep whose server has no single sign-on', async () => {
    const { t } = setup(lang, { authConfig: vi.fn(async () => ({ oidc: null })) }, false);
    await userEvent.type(screen.getByLabelText(t('signin.url')), SERVER);
    await userEvent.click(screen.getByRole('button', { name: t('signin.sso') }));
    expect((await screen.findByRole('alert')).textContent).toBe(t('signin.error.oidc_not_configured'));
  });
});
