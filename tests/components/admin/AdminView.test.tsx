import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { AdminView } from '../../../components/admin/AdminView';
import { createTranslator, type Lang } from '../../../lib/i18n';
import type { AuditEntry, IntegrationToken, Invite, Member } from '../../../lib/protocol/http';
import type { AlertDelivery, AlertSettingsResponse } from '../../../lib/protocol/alerts';
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
  let alerts: AlertSettingsResponse = {
    enabled: false,
    channels: { slack: null, teams: null, webhook: null },
    rules: { clocks: ['acceptance', 'first_contact', 'status_update'], levels: ['warning', 'breached'], outsideBusinessHours: false, language: 'ja' },
    enabledAt: null,
    updatedAt: null,
    updatedBy: null,
  };
  const alertRequests: unknown[] = [];
  const deliveries: AlertDelivery[] = options.empty
    ? []
    : [
        {
          id: 'd1',
          kind: 'sla',
          channel: 'slack',
          leadKey: 'salesforce:00Q1',
          leadName: '山田 商事',
          clock: 'acceptance',
          level: 'breached',
          status: 'sent',
          attempts: 1,
          createdAt: AT,
          nextAttemptAt: null,
          sentAt: AT,
          lastStatus: 200,
          lastError: null,
        },
        {
          id: 'd2',
          kind: 'sla',
          channel: 'webhook',
          leadKey: 'salesforce:00Q2',
          leadName: null,
          clock: 'first_contact',
          level: 'warning',
          status: 'failed',
          attempts: 3,
          createdAt: AT,
          nextAttemptAt: null,
          sentAt: null,
          lastStatus: 410,
          lastError: 'gone',
        },
        {
          id: 'd3',
          kind: 'digest',
          channel: 'teams',
          leadKey: '',
          leadName: null,
          clock: null,
          level: null,
          status: 'pending',
          attempts: 2,
          createdAt: AT,
          nextAttemptAt: AT,
          sentAt: null,
          lastStatus: 503,
          lastError: 'try later',
        },
      ];
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
    revokeInvite: (inviteId) =>
      answer(() => {
        const invite = invites.find((x) => x.id === inviteId)!;
        invite.status = 'revoked';
        log('invite.revoked', invite.name);
        return { invite };
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
    alertSettings: () => answer(() => alerts),
    putAlertSettings: (request) =>
      answer(() => {
        alertRequests.push(request);
        // as the server does: a URL comes back masked, a secret never
        const masked = (url: string) => `${new URL(url).origin}/…`;
        const next = { ...alerts.channels };
        for (const channel of ['slack', 'teams', 'webhook'] as const) {
          const given = request.channels[channel];
          if (given === null) next[channel] = null;
          else if (given) next[channel] = channel === 'webhook' ? { url: masked(given.url), secretSet: true as const } : ({ url: masked(given.url) } as never);
        }
        alerts = { ...alerts, enabled: request.enabled, channels: next, rules: request.rules, enabledAt: request.enabled ? AT : null, updatedAt: `${AT}#${alertRequests.length}`, updatedBy: '管理者' };
        return alerts;
      }),
    alertDeliveries: ({ status }) => answer(() => ({ deliveries: deliveries.filter((d) => !status || d.status === status) })),
    readHealth: () => answer(() => ({ windowDays: 30, crms: [] })),
    adapters: () => answer(() => ({ descriptions: [] })),
    putAdapter: (description) => answer(() => description),
  };
  return { api, members, audit, alertRequests };
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
  it('alerts: sets a Slack channel and the rules, shows the URL masked afterwards, and lists failed deliveries with their reason', async () => {
    const server = fakeServer();
    const t = show(lang, server);
    const user = userEvent.setup();
    const form = await screen.findByTestId('admin-alerts-form');
    await user.click(within(form).getByLabelText(t('admin.alerts.enabled')));
    // on with no channel: said before saving
    expect(within(form).getByText(t('admin.alerts.noChannel'))).toBeTruthy();
    await user.type(within(form).getByLabelText(t('admin.alerts.channel.slack')), 'https://hooks.slack.com/services/T0/B0/secret');
    await user.click(within(form).getByLabelText(t('admin.alerts.level.warning')));
    await user.click(within(form).getByRole('button', { name: t('admin.alerts.save') }));
    expect(await screen.findByText(t('admin.alerts.saved'))).toBeTruthy();
    expect(server.alertRequests).toEqual([
      {
        enabled: true,
        channels: { slack: { url: 'https://hooks.slack.com/services/T0/B0/secret' } },
        rules: { clocks: ['acceptance', 'first_contact', 'status_update'], levels: ['breached'], outsideBusinessHours: false, language: 'ja' },
      },
    ]);
    expect(await screen.findByText(t('admin.alerts.current', { url: 'https://hooks.slack.com/…' }))).toBeTruthy();
    // the secret part of the URL is never shown again, and the field is empty (empty keeps it)
    expect(screen.queryByDisplayValue(/secret/)).toBeNull();

    const log = screen.getByTestId('admin-alert-deliveries');
    await user.selectOptions(within(log).getByLabelText(t('admin.alerts.filter')), 'failed');
    await waitFor(() => expect(within(log).queryByText('山田 商事')).toBeNull());
    const failed = within(log).getByText(t('admin.alerts.status.failed')).closest('tr')!;
    expect(failed.textContent).toContain('HTTP 410');
    expect(failed.textContent).toContain('gone');
  }, 20_000);

  it('alerts: the morning digest is switched on and timed from the keyboard, saved with the alert settings, and its deliveries are listed with their errors', async () => {
    const server = fakeServer();
    const t = show(lang, server);
    const user = userEvent.setup();
    const digest = within(await screen.findByTestId('admin-alerts-digest'));
    expect(screen.getByRole('group', { name: t('admin.alerts.digest') })).toBe(screen.getByTestId('admin-alerts-digest'));
    const on = digest.getByRole('checkbox', { name: t('admin.alerts.digest.enabled') });
    const time = digest.getByLabelText(t('admin.alerts.digest.time'));
    expect([(on as HTMLInputElement).checked, (time as HTMLInputElement).value]).toEqual([false, '09:00']);
    // the keyboard alone: focus the switch, toggle it with Space, tab to the time and type it
    on.focus();
    await user.keyboard(' ');
    expect((on as HTMLInputElement).checked).toBe(true);
    await user.tab();
    expect(document.activeElement).toBe(time);
    await user.clear(time);
    // no time: said beside the field, nothing sent
    expect(digest.getByRole('alert').textContent).toBe(t('admin.alerts.digest.badTime'));
    const form = within(screen.getByTestId('admin-alerts-form'));
    await user.click(form.getByRole('button', { name: t('admin.alerts.save') }));
    expect(server.alertRequests).toEqual([]);
    await user.type(time, '08:30');
    expect(digest.queryByRole('alert')).toBeNull();
    await user.click(form.getByRole('button', { name: t('admin.alerts.save') }));
    expect(await screen.findByText(t('admin.alerts.saved'))).toBeTruthy();
    expect((server.alertRequests[0] as { rules: unknown }).rules).toEqual({
      clocks: ['acceptance', 'first_contact', 'status_update'],
      levels: ['warning', 'breached'],
      outsideBusinessHours: false,
      language: 'ja',
      digest: { enabled: true, time: '08:30' },
    });
    // turned off again: the stored digest is saved off (its time kept)
    await user.click(digest.getByRole('checkbox', { name: t('admin.alerts.digest.enabled') }));
    await user.click(form.getByRole('button', { name: t('admin.alerts.save') }));
    await waitFor(() => expect(server.alertRequests).toHaveLength(2));
    expect((server.alertRequests[1] as { rules: { digest: unknown } }).rules.digest).toEqual({ enabled: false, time: '08:30' });

    const log = within(screen.getByTestId('admin-alert-deliveries'));
    const row = log.getByText(t('admin.alerts.digest')).closest('tr')!;
    // a digest the channel keeps refusing shows why, like an SLA alert
    expect(row.textContent).toContain(t('admin.alerts.status.pending'));
    expect(row.textContent).toContain('HTTP 503 · try later');
  }, 20_000);

  it('alerts: removing a channel sends null for it only; an empty delivery log says so', async () => {
    const server = fakeServer({ empty: true });
    const t = show(lang, server);
    const user = userEvent.setup();
    const form = await screen.findByTestId('admin-alerts-form');
    await user.type(within(form).getByLabelText(t('admin.alerts.channel.teams')), 'https://example.webhook.office.com/x');
    await user.click(within(form).getByRole('button', { name: t('admin.alerts.save') }));
    const remove = await screen.findByLabelText(t('admin.alerts.remove', { channel: t('admin.alerts.channel.teams') }));
    await user.click(remove);
    await user.click(within(screen.getByTestId('admin-alerts-form')).getByRole('button', { name: t('admin.alerts.save') }));
    await waitFor(() => expect(server.alertRequests).toHaveLength(2));
    expect((server.alertRequests[1] as { channels: unknown }).channels).toEqual({ teams: null });
    expect(await screen.findByText(t('admin.alerts.noDeliveries'))).toBeTruthy();
  }, 20_000);

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
    // each list (members, invitations, tokens, alert settings, alert deliveries, read health, adapter descriptions, audit) says it could not load, and why
    await waitFor(() => expect(screen.getAllByText(t('admin.error', { error: t('admin.forbidden') }))).toHaveLength(8));
    expect(screen.getAllByRole('button', { name: t('admin.retry') })).toHaveLength(8);
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

    // withdrawn: the link stops working, the list says so, the audit log records who did it
    await user.click(screen.getByRole('button', { name: t('admin.invites.withdrawOf', { name: '山田 太郎' }) }));
    expect(await screen.findByText(new RegExp(`山田 太郎 · ${t('role.rep')} · ${t('admin.invites.status.revoked')}`))).toBeTruthy();
    expect(screen.queryByRole('button', { name: t('admin.invites.withdrawOf', { name: '山田 太郎' }) })).toBeNull();
    expect(await within(await screen.findByTestId('admin-audit')).findByText(t('admin.audit.action.invite.revoked'))).toBeTruthy();

    await user.type(screen.getByLabelText(t('admin.tokens.name')), 'Marketo');
    await user.click(screen.getByRole('button', { name: t('admin.tokens.create') }));
    const secret = await screen.findByTestId('admin-token-secret');
    expect((within(secret).getByRole('textbox') as HTMLInputElement).value).toBe('salb_secret-shown-once');
    expect(await screen.findByRole('button', { name: t('admin.tokens.revokeOf', { name: 'Marketo' }) })).toBeTruthy();
  });
});
