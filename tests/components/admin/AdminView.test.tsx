import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { AdminView } from '../../../components/admin/AdminView';
import { createTranslator, type Lang } from '../../../lib/i18n';
import type { AuditEntry, IntegrationToken, Invite, Member } from '../../../lib/protocol/http';
import type { AdminClient } from '../../../lib/sync/admin-client';
import { ApiError } from '../../../lib/sync/errors';

/**
 * The admin page as an admin uses it, in both languages: what it shows while loading, when a list
 * is empty or the server fails, and what each action sends and shows afterwards.
 */

const AT = '2026-11-24T01:00:00.000Z';

/** An in-memory team server behind the admin client, recording the audit log like the real one. */
function fakeServer(options: { fail?: boolean; empty?: boolean; hang?: boolean } = {}) {
  const members: Member[] = options.empty
    ? []
    : [
        { id: 'u-admin', name: '管理者', email: 'admin@example.co.jp', role: 'admin', status: 'active', createdAt: AT },
        { id: 'u-rep', name: '佐藤 健', email: 'sato@example.co.jp', role: 'rep', status: 'active', createdAt: AT },
      ];
  const invites: Invite[] = [];
  const tokens: IntegrationToken[] = [];
  const audit: AuditEntry[] = [];
  const log = (action: AuditEntry['action'], target: string) => audit.unshift({ id: String(audit.length), at: AT, actor: { id: 'u-admin', name: '管理者' }, action, target, detail: {} });
  const answer = async <T,>(value: () => T): Promise<T> => {
    if (options.hang) return new Promise<T>(() => undefined);
    if (options.fail) throw new ApiError(403, 'forbidden', 'only a team admin may do this');
    return value();
  };
  const api: AdminClient = {
    members: () => answer(() => ({ members: [...members], domains: ['example.co.jp'] })),
    setRole: (userId, role) =>
      answer(() => {
        const m = members.find((x) => x.id === userId)!;
        m.role = role;
        log('member.role_changed', m.name);
        return { member: m };
      }),
    revoke: (userId) =>
      answer(() => {
        const m = members.find((x) => x.id === userId)!;
        m.status = 'revoked';
        log('member.revoked', m.name);
        return { member: m };
      }),
    setDomains: (domains) => answer(() => ({ domains })),
    invites: () => answer(() => ({ invites: [...invites] })),
    createInvite: (request) =>
      answer(() => {
        const invite: Invite = {
          id: `i${invites.length}`,
          name: request.name,
          email: request.email ?? null,
          role: request.role,
          createdAt: AT,
          expiresAt: '2026-11-27T01:00:00.000Z',
          status: 'pending',
        };
        invites.unshift(invite);
        log('invite.created', request.name);
        return { invite, code: 'c'.repeat(43) };
      }),
    tokens: () => answer(() => ({ tokens: [...tokens] })),
    createToken: (name, scopes) =>
      answer(() => {
        const token: IntegrationToken = { id: `t${tokens.length}`, name, scopes, createdAt: AT, revokedAt: null };
        tokens.unshift(token);
        log('token.created', name);
        return { token, secret: 'salb_secret-shown-once' };
      }),
    revokeToken: (tokenId) => answer(() => ({ token: tokens.find((x) => x.id === tokenId)! })),
    audit: () => answer(() => ({ entries: [...audit] })),
    readHealth: () => answer(() => ({ windowDays: 30, crms: [] })),
  };
  return { api, members, audit };
}

function show(lang: Lang, server: ReturnType<typeof fakeServer>) {
  const t = createTranslator(lang);
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } })}>
      <AdminView t={t} lang={lang} api={server.api} selfId="u-admin" inviteLinkFor={(code) => `chrome-extension://id/options.html#invite=${code}&server=https%3A%2F%2Fsal.test`} />
    </QueryClientProvider>,
  );
  return t;
}

describe.each(['ja', 'en'] as const)('admin page (%s)', (lang) => {
  it('says it is loading, then shows the members with their roles; the admin cannot remove or re-role themselves', async () => {
    const t = show(lang, fakeServer());
    expect(screen.getAllByText(t('admin.loading')).length).toBeGreaterThan(0);
    const table = await screen.findByTestId('admin-members');
    expect(within(table).getByRole('rowheader', { name: new RegExp('佐藤 健') })).toBeTruthy();
    expect((within(table).getByRole('combobox', { name: t('admin.members.roleOf', { name: '佐藤 健' }) }) as HTMLSelectElement).value).toBe('rep');
    expect((within(table).getByRole('combobox', { name: t('admin.members.roleOf', { name: '管理者' }) }) as HTMLSelectElement).disabled).toBe(true);
    expect(within(table).queryByRole('button', { name: t('admin.members.revokeOf', { name: '管理者' }) })).toBeNull();
    expect(await screen.findByText(t('admin.audit.empty'))).toBeTruthy();
    expect(screen.getByText(t('admin.invites.empty'))).toBeTruthy();
    expect(screen.getByText(t('admin.tokens.empty'))).toBeTruthy();
    expect(screen.getByText(t('admin.readHealth.empty'))).toBeTruthy();
  });

  it('shows the empty state of a team without members', async () => {
    const t = show(lang, fakeServer({ empty: true }));
    expect(await screen.findByText(t('admin.members.empty'))).toBeTruthy();
  });

  it("shows the server's refusal with a retry, in the admin's language", async () => {
    const t = show(lang, fakeServer({ fail: true }));
    // each section (members, invitations, tokens, read health, audit) says it could not load, and why
    await waitFor(() => expect(screen.getAllByText(t('admin.error', { error: t('admin.forbidden') }))).toHaveLength(5));
    expect(screen.getAllByRole('button', { name: t('admin.retry') })).toHaveLength(5);
  });

  it('removes a member with the keyboard after a confirmation, changes a role, and the audit log shows both', async () => {
    const server = fakeServer();
    const t = show(lang, server);
    const user = userEvent.setup();
    const table = await screen.findByTestId('admin-members');
    await user.selectOptions(within(table).getByRole('combobox', { name: t('admin.members.roleOf', { name: '佐藤 健' }) }), 'manager');
    await waitFor(() => expect(server.members[1]!.role).toBe('manager'));
    within(table)
      .getByRole('button', { name: t('admin.members.revokeOf', { name: '佐藤 健' }) })
      .focus();
    await user.keyboard('{Enter}');
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toContain(t('admin.members.confirmRevoke', { name: '佐藤 健' }));
    // the confirmation takes the focus: Enter confirms
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: t('admin.members.confirm') }));
    await user.keyboard('{Enter}');
    await waitFor(() => expect(within(screen.getByTestId('admin-members')).getByText(t('admin.members.revoked'))).toBeTruthy());
    const audit = await screen.findByTestId('admin-audit');
    await waitFor(() => expect(within(audit).getAllByRole('row')).toHaveLength(3));
    expect(audit.textContent).toContain(t('admin.audit.action.member.revoked'));
    expect(audit.textContent).toContain(t('admin.audit.action.member.role_changed'));
  });

  it('creates an invitation and shows its link once; creates an integration token and shows its secret once', async () => {
    const t = show(lang, fakeServer());
    const user = userEvent.setup();
    await screen.findByTestId('admin-members');
    await user.type(screen.getByLabelText(t('admin.invites.name')), '山田 太郎');
    await user.click(screen.getByRole('button', { name: t('admin.invites.create') }));
    const link = await screen.findByTestId('admin-invite-link');
    expect((within(link).getByRole('textbox') as HTMLInputElement).value).toMatch(/^chrome-extension:\/\/id\/options\.html#invite=c+&server=/);
    expect(await screen.findByText(new RegExp(`山田 太郎 · ${t('role.rep')} · ${t('admin.invites.status.pending')}`))).toBeTruthy();

    await user.type(screen.getByLabelText(t('admin.tokens.name')), 'Marketo');
    await user.click(screen.getByRole('button', { name: t('admin.tokens.create') }));
    const secret = await screen.findByTestId('admin-token-secret');
    expect((within(secret).getByRole('textbox') as HTMLInputElement).value).toBe('salb_secret-shown-once');
    expect(await screen.findByRole('button', { name: t('admin.tokens.revokeOf', { name: 'Marketo' }) })).toBeTruthy();
  });
});
