import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BackendSection } from '../../../components/sync/BackendSection';
import { createBackendSectionApi } from '../../../components/sync/backend-api';
import { createTranslator, type Lang } from '../../../lib/i18n';
import { SalDatabase } from '../../../lib/db/schema';
import { recordLocalEvent } from '../../../lib/db/events-repo';
import { writeKv } from '../../../lib/db/kv';
import { dataScopeKv } from '../../../lib/db/scopes';
import type { BackendConfig } from '../../../lib/settings/backend';
import { accepted } from '../../unit/domain/builders';

/**
 * The backend form says what a save does to this browser's decisions before it does it: a
 * token only, the first team, or another team (where this browser's decisions stay behind).
 */

const A = 'https://a.sal.test';
const B = 'https://b.sal.test';
const TEAMS: Record<string, { id: string; name: string }> = { [A]: { id: 'team-a', name: 'チームA' }, [B]: { id: 'team-b', name: 'チームB' } };
let n = 0;

/** A browser that made 12 decisions while syncing with team A, and servers A and B answering /v1/me. */
async function setup(lang: Lang, stored: BackendConfig, reachable = true) {
  const db = new SalDatabase(`backend-section-${n++}`);
  for (let i = 0; i < 12; i++) await recordLocalEvent(db, accepted({ at: new Date(Date.parse('2026-11-24T00:00:00Z') + i * 1000), leadKey: `custom:lead-${i}` }), 1);
  await writeKv(db, dataScopeKv, { url: A, teamId: 'team-a', teamName: 'チームA' });
  const fetchImpl: typeof fetch = async (input) => {
    if (!reachable) throw new TypeError('Failed to fetch');
    const url = new URL(String(input));
    const team = TEAMS[url.origin]!;
    return new Response(JSON.stringify({ user: { id: 'u1', name: '田中' }, team, role: 'rep' }), { headers: { 'content-type': 'application/json' } });
  };
  const notifyBackground = vi.fn(() => Promise.resolve());
  const api = createBackendSectionApi(db, { fetch: fetchImpl, notifyBackground, requestAccess: () => Promise.resolve(true) });
  const saved = vi.spyOn(api, 'save');
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { mutations: { retry: false } } })}>
      <BackendSection t={createTranslator(lang)} stored={stored} api={api} />
    </QueryClientProvider>,
  );
  return { user: userEvent.setup(), saved, notifyBackground };
}

describe('options: what saving the backend will do', () => {
  it('ja: another team — says the 12 decisions stay with team A before anything is saved; saves only when confirmed', async () => {
    const { user, saved } = await setup('ja', { mode: 'server', url: A, token: 'tok-a' });
    const urlBox = screen.getByLabelText('サーバーURL');
    await user.clear(urlBox);
    await user.type(urlBox, B);
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByTestId('backend-plan')).toHaveTextContent('この端末の 12 件の判断はチーム「チームA」に残り、チーム「チームB」には送信されません');
    expect(saved).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: '切り替えて保存' }));
    await waitFor(() => expect(saved).toHaveBeenCalledWith({ mode: 'server', url: B, token: 'tok-a' }));
    expect(await screen.findByTestId('options-notice')).toHaveTextContent('保存しました');
  });

  it('ja: cancelling keeps everything as it was', async () => {
    const { user, saved } = await setup('ja', { mode: 'server', url: A, token: 'tok-a' });
    await user.clear(screen.getByLabelText('サーバーURL'));
    await user.type(screen.getByLabelText('サーバーURL'), B);
    await user.click(screen.getByRole('button', { name: '保存' }));
    await user.click(await screen.findByRole('button', { name: 'キャンセル' }));
    expect(screen.queryByTestId('backend-plan')).toBeNull();
    expect(saved).not.toHaveBeenCalled();
  });

  it('ja: same server and team, new token — "token only", saved at once', async () => {
    const { user, saved } = await setup('ja', { mode: 'server', url: A, token: 'tok-a' });
    await user.clear(screen.getByLabelText('アクセストークン'));
    await user.type(screen.getByLabelText('アクセストークン'), 'tok-a-2');
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByTestId('backend-plan')).toHaveTextContent('トークンのみ更新');
    await waitFor(() => expect(saved).toHaveBeenCalledWith({ mode: 'server', url: A, token: 'tok-a-2' }));
  });

  it('en: the connection test already tells what a save would do to the decisions made here', async () => {
    const { user, saved } = await setup('en', { mode: 'server', url: A, token: 'tok-a' });
    await user.clear(screen.getByLabelText('Server URL'));
    await user.type(screen.getByLabelText('Server URL'), B);
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(await screen.findByTestId('backend-plan')).toHaveTextContent('the decisions made in this browser (12) stay with team “チームA” and are not sent to team “チームB”');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('button', { name: 'Switch and save' })).toBeInTheDocument();
    expect(saved).not.toHaveBeenCalled();
  });

  it('en: same team, new token — token only', async () => {
    const { user, saved } = await setup('en', { mode: 'server', url: A, token: 'tok-a' });
    await user.type(screen.getByLabelText('Access token'), '-2');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByTestId('backend-plan')).toHaveTextContent('On save: token only');
    await waitFor(() => expect(saved).toHaveBeenCalled());
  });

  it('ja: the new server cannot be reached — says the decisions stay with team A if it is another team, and asks first', async () => {
    const { user, saved } = await setup('ja', { mode: 'server', url: A, token: 'tok-a' }, false);
    await user.clear(screen.getByLabelText('サーバーURL'));
    await user.type(screen.getByLabelText('サーバーURL'), B);
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByTestId('backend-plan')).toHaveTextContent('別のチームだった場合、この端末の 12 件の判断はチーム「チームA」に残り、送信されません');
    expect(screen.getByRole('button', { name: '切り替えて保存' })).toBeInTheDocument();
    expect(saved).not.toHaveBeenCalled();
  });
});
