import { useId, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Lang, Translate } from '../../lib/i18n';
import { formatDateTime } from '../../lib/format/time';
import { RoleSchema, type AuditEntry, type CreateInviteResponse, type CreateTokenResponse, type Member, type Role } from '../../lib/protocol/http';
import type { AdminClient } from '../../lib/sync/admin-client';
import { auditQuery, invitesQuery, membersQuery, tokensQuery } from './admin-queries';
import { adminErrorText, Loaded, useAdminMutation } from './admin-parts';
import { AlertsSection } from './AlertsSection';
import { ReadHealthSection } from './ReadHealthSection';
import { AdapterDescriptionsSection } from './AdapterDescriptionsSection';

const ROLES = RoleSchema.options;

/**
 * The team administration page: members and roles, removal, sign-in domains, invitations,
 * integration tokens, read health (whether the team's browsers can read each CRM), the team's SLA
 * alerts and the audit log. Every action goes to the server, which checks the admin
 * role itself; the page only shows what it answers. `inviteLinkFor` turns an invitation code into
 * the link a rep opens (this extension's options page).
 */
export function AdminView({ t, lang, api, selfId, inviteLinkFor }: { t: Translate; lang: Lang; api: AdminClient; selfId: string | null; inviteLinkFor: (code: string) => string }) {
  return (
    <main className="sal-options sal-admin" lang={lang}>
      <h1>{t('admin.title')}</h1>
      <MembersSection t={t} api={api} selfId={selfId} />
      <InvitesSection t={t} lang={lang} api={api} inviteLinkFor={inviteLinkFor} />
      <TokensSection t={t} lang={lang} api={api} />
      <AlertsSection t={t} lang={lang} api={api} />
      <ReadHealthSection t={t} lang={lang} api={api} />
      <AdapterDescriptionsSection t={t} api={api} />
      <AuditSection t={t} lang={lang} api={api} />
    </main>
  );
}

function MembersSection({ t, api, selfId }: { t: Translate; api: AdminClient; selfId: string | null }) {
  const query = useQuery(membersQuery(api));
  const [confirm, setConfirm] = useState<Member | null>(null);
  const setRole = useAdminMutation(({ userId, role }: { userId: string; role: Role }) => api.setRole(userId, role));
  const revoke = useAdminMutation(
    (userId: string) => api.revoke(userId),
    () => setConfirm(null),
  );
  const failure = setRole.error ?? revoke.error;
  return (
    <section className="sal-card" aria-labelledby="admin-members">
      <h2 id="admin-members">{t('admin.members.title')}</h2>
      <Loaded query={query} items={query.data?.members} t={t} empty={t('admin.members.empty')}>
        {(members) => (
          <table className="sal-kpi-table" data-testid="admin-members">
            <thead>
              <tr>
                <th scope="col">{t('admin.members.name')}</th>
                <th scope="col">{t('admin.members.email')}</th>
                <th scope="col">{t('admin.members.role')}</th>
                <th scope="col">{t('admin.members.status')}</th>
                <th scope="col">{t('admin.members.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
                const self = m.id === selfId;
                const active = m.status === 'active';
                return (
                  <tr key={m.id}>
                    <th scope="row">
                      {m.name} {self && t('admin.members.you')}
                    </th>
                    <td>{m.email ?? '—'}</td>
                    <td>
                      <select
                        aria-label={t('admin.members.roleOf', { name: m.name })}
                        value={m.role}
                        disabled={self || !active || setRole.isPending}
                        onChange={(e) => setRole.mutate({ userId: m.id, role: e.target.value as Role })}
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {t(`role.${r}`)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>{active ? t('admin.members.active') : t('admin.members.revoked')}</td>
                    <td>
                      {active && !self && (
                        <button type="button" className="sal-btn" aria-label={t('admin.members.revokeOf', { name: m.name })} onClick={() => setConfirm(m)}>
                          {t('admin.members.revoke')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Loaded>
      {confirm && (
        <div role="alertdialog" aria-labelledby="admin-confirm-revoke" className="sal-warning">
          <p id="admin-confirm-revoke">{t('admin.members.confirmRevoke', { name: confirm.name })}</p>
          <div className="sal-actions">
            {/* focus moves to the decision the admin must take (keyboard: Enter removes, Tab to cancel) */}
            <button type="button" className="sal-btn sal-btn--brand" autoFocus onClick={() => revoke.mutate(confirm.id)} disabled={revoke.isPending}>
              {t('admin.members.confirm')}
            </button>
            <button type="button" className="sal-btn" onClick={() => setConfirm(null)}>
              {t('admin.members.cancel')}
            </button>
          </div>
        </div>
      )}
      {failure && (
        <p role="alert" className="sal-error">
          {t('admin.failed', { error: adminErrorText(failure, t) })}
        </p>
      )}
      {query.data && <DomainsForm key={query.data.domains.join()} t={t} api={api} domains={query.data.domains} />}
    </section>
  );
}

function DomainsForm({ t, api, domains }: { t: Translate; api: AdminClient; domains: string[] }) {
  const id = useId();
  const [text, setText] = useState(domains.join('\n'));
  const save = useAdminMutation((list: string[]) => api.setDomains(list));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(
          text
            .split(/[\s,]+/)
            .map((d) => d.trim())
            .filter(Boolean),
        );
      }}
    >
      <h3>{t('admin.domains.title')}</h3>
      <p className="sal-hint" id={`${id}-help`}>
        {t('admin.domains.help')}
      </p>
      <label htmlFor={id}>{t('admin.domains.label')}</label>
      <textarea id={id} rows={3} value={text} onChange={(e) => setText(e.target.value)} aria-describedby={`${id}-help`} />
      <div className="sal-actions">
        <button type="submit" className="sal-btn" disabled={save.isPending}>
          {t('admin.domains.save')}
        </button>
      </div>
      {save.isSuccess && (
        <p role="status" className="sal-ok">
          {t('admin.saved')}
        </p>
      )}
      {save.isError && (
        <p role="alert" className="sal-error">
          {t('admin.failed', { error: adminErrorText(save.error, t) })}
        </p>
      )}
    </form>
  );
}

function InvitesSection({ t, lang, api, inviteLinkFor }: { t: Translate; lang: Lang; api: AdminClient; inviteLinkFor: (code: string) => string }) {
  const query = useQuery(invitesQuery(api));
  const ids = { name: useId(), email: useId(), role: useId(), hours: useId() };
  const [form, setForm] = useState({ name: '', email: '', role: 'rep' as Role, hours: 72 });
  const [created, setCreated] = useState<CreateInviteResponse | null>(null);
  const [copied, setCopied] = useState(false);
  const create = useAdminMutation(
    () => api.createInvite({ name: form.name.trim(), role: form.role, expiresInHours: form.hours, ...(form.email.trim() ? { email: form.email.trim() } : {}) }),
    (r) => {
      setCreated(r);
      setCopied(false);
      setForm((f) => ({ ...f, name: '', email: '' }));
    },
  );
  const withdraw = useAdminMutation((inviteId: string) => api.revokeInvite(inviteId));
  const failure = create.error ?? withdraw.error;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (form.name.trim()) create.mutate(undefined);
  };
  const link = created ? inviteLinkFor(created.code) : null;
  return (
    <section className="sal-card" aria-labelledby="admin-invites">
      <h2 id="admin-invites">{t('admin.invites.title')}</h2>
      <p className="sal-hint">{t('admin.invites.help')}</p>
      <form onSubmit={onSubmit}>
        <label htmlFor={ids.name}>{t('admin.invites.name')}</label>
        <input id={ids.name} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
        <label htmlFor={ids.email}>{t('admin.invites.email')}</label>
        <input id={ids.email} type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        <label htmlFor={ids.role}>{t('admin.invites.role')}</label>
        <select id={ids.role} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
        <label htmlFor={ids.hours}>{t('admin.invites.hours')}</label>
        <input id={ids.hours} type="number" min={1} max={168} value={form.hours} onChange={(e) => setForm({ ...form, hours: Number(e.target.value) || 72 })} />
        <div className="sal-actions">
          <button type="submit" className="sal-btn sal-btn--brand" disabled={create.isPending}>
            {t('admin.invites.create')}
          </button>
        </div>
      </form>
      {created && link && (
        <div role="status" className="sal-ok" data-testid="admin-invite-link">
          <p>{t('admin.invites.link', { name: created.invite.name, at: formatDateTime(new Date(created.invite.expiresAt), lang) })}</p>
          <input readOnly value={link} aria-label={t('admin.invites.copy')} onFocus={(e) => e.currentTarget.select()} />
          <button
            type="button"
            className="sal-btn"
            onClick={() =>
              void navigator.clipboard.writeText(link).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            {copied ? t('admin.invites.copied') : t('admin.invites.copy')}
          </button>
        </div>
      )}
      {failure && (
        <p role="alert" className="sal-error">
          {t('admin.failed', { error: adminErrorText(failure, t) })}
        </p>
      )}
      <Loaded query={query} items={query.data} t={t} empty={t('admin.invites.empty')}>
        {(invites) => (
          <ul data-testid="admin-invites">
            {invites.map((i) => (
              <li key={i.id}>
                {i.name} · {t(`role.${i.role}`)} · {t(`admin.invites.status.${i.status}`)} · {t('admin.invites.expires', { at: formatDateTime(new Date(i.expiresAt), lang) })}
                {i.status === 'pending' && (
                  <>
                    {' '}
                    <button type="button" className="sal-btn" aria-label={t('admin.invites.withdrawOf', { name: i.name })} onClick={() => withdraw.mutate(i.id)} disabled={withdraw.isPending}>
                      {t('admin.invites.withdraw')}
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </Loaded>
    </section>
  );
}

function TokensSection({ t, lang, api }: { t: Translate; lang: Lang; api: AdminClient }) {
  const query = useQuery(tokensQuery(api));
  const nameId = useId();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreateTokenResponse | null>(null);
  const create = useAdminMutation(
    (toolName: string) => api.createToken(toolName, ['handoffs:write']),
    (r) => {
      setCreated(r);
      setName('');
    },
  );
  const revoke = useAdminMutation((tokenId: string) => api.revokeToken(tokenId));
  const failure = create.error ?? revoke.error;
  return (
    <section className="sal-card" aria-labelledby="admin-tokens">
      <h2 id="admin-tokens">{t('admin.tokens.title')}</h2>
      <p className="sal-hint">{t('admin.tokens.help')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) create.mutate(name.trim());
        }}
      >
        <label htmlFor={nameId}>{t('admin.tokens.name')}</label>
        <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} required />
        <p className="sal-hint">{t('admin.tokens.scope.handoffs:write')}</p>
        <div className="sal-actions">
          <button type="submit" className="sal-btn sal-btn--brand" disabled={create.isPending}>
            {t('admin.tokens.create')}
          </button>
        </div>
      </form>
      {created && (
        <div role="status" className="sal-ok" data-testid="admin-token-secret">
          <p>{t('admin.tokens.secret', { name: created.token.name })}</p>
          <input readOnly value={created.secret} aria-label={t('admin.tokens.secret', { name: created.token.name })} onFocus={(e) => e.currentTarget.select()} />
        </div>
      )}
      {failure && (
        <p role="alert" className="sal-error">
          {t('admin.failed', { error: adminErrorText(failure, t) })}
        </p>
      )}
      <Loaded query={query} items={query.data} t={t} empty={t('admin.tokens.empty')}>
        {(tokens) => (
          <ul data-testid="admin-tokens">
            {tokens.map((k) => (
              <li key={k.id}>
                {k.name} · {k.scopes.join(', ')} · {formatDateTime(new Date(k.createdAt), lang)}{' '}
                {k.revokedAt ? (
                  t('admin.tokens.revoked', { at: formatDateTime(new Date(k.revokedAt), lang) })
                ) : (
                  <button type="button" className="sal-btn" aria-label={t('admin.tokens.revokeOf', { name: k.name })} onClick={() => revoke.mutate(k.id)} disabled={revoke.isPending}>
                    {t('admin.tokens.revoke')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </Loaded>
    </section>
  );
}

function AuditSection({ t, lang, api }: { t: Translate; lang: Lang; api: AdminClient }) {
  const query = useQuery(auditQuery(api));
  return (
    <section className="sal-card" aria-labelledby="admin-audit">
      <h2 id="admin-audit">{t('admin.audit.title')}</h2>
      <Loaded query={query} items={query.data} t={t} empty={t('admin.audit.empty')}>
        {(entries: AuditEntry[]) => (
          <table className="sal-kpi-table" data-testid="admin-audit">
            <thead>
              <tr>
                <th scope="col">{t('admin.audit.when')}</th>
                <th scope="col">{t('admin.audit.who')}</th>
                <th scope="col">{t('admin.audit.what')}</th>
                <th scope="col">{t('admin.audit.target')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.at}>{formatDateTime(new Date(e.at), lang)}</time>
                  </td>
                  <td>{e.actor.name}</td>
                  <td>{t(`admin.audit.action.${e.action}`)}</td>
                  <td>{e.target ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Loaded>
    </section>
  );
}
