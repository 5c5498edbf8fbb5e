import { useId, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { MessageKey, Translate } from '../../lib/i18n';
import type { MeResponse } from '../../lib/protocol/http';
import { normaliseBackendUrl, type BackendConfig } from '../../lib/settings/backend';
import { ApiError, SyncError } from '../../lib/sync/errors';
import { parseInviteLink, type InviteLink } from '../../lib/sync/session';
import type { SignInApi } from './signin-api';

type Notice = { kind: 'ok' | 'error'; text: string } | null;

/** A sign-in failure in the rep's words: each refusal code of the server has its sentence. */
export function signInErrorText(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    const key = `signin.error.${error.code}` as MessageKey;
    const text = t(key);
    return text === key ? t('signin.error.other', { error: error.message }) : text;
  }
  if (error instanceof SyncError) return t(`error.${error.code}` as MessageKey);
  return t('signin.error.other', { error: error instanceof Error ? error.message : String(error) });
}

/**
 * Signing in without a token: with the company's identity provider (when the server has one), or
 * with an invitation link (opened from the admin's message: `invite` comes from this page's URL;
 * or pasted). The token form below stays for integration and CLI tokens.
 */
export function SignInSection({
  t,
  stored,
  me,
  lockedUrl,
  invite,
  api,
}: {
  t: Translate;
  stored: BackendConfig | null | undefined;
  /** Who the stored backend is signed in as (the stored `GET /v1/me`). */
  me: { user: { name: string }; team: { name: string } } | null | undefined;
  lockedUrl?: string | undefined;
  invite: InviteLink | null;
  api: SignInApi;
}) {
  const ids = { url: useId(), link: useId(), linkHint: useId() };
  const storedUrl = stored?.mode === 'server' ? stored.url : '';
  const [typedUrl, setUrl] = useState<string | null>(null);
  const url = lockedUrl ?? typedUrl ?? storedUrl;
  const [pasted, setPasted] = useState('');
  const [notice, setNotice] = useState<Notice>(null);

  const done = (session: { me: MeResponse }) => setNotice({ kind: 'ok', text: t('signin.signedIn', { user: session.me.user.name, team: session.me.team.name }) });
  const failed = (error: unknown) => setNotice({ kind: 'error', text: signInErrorText(error, t) });

  const sso = useMutation({
    mutationFn: async (server: string) => {
      const config = await api.authConfig(server);
      if (!config.oidc) throw new ApiError(404, 'oidc_not_configured', '');
      const session = await api.signInWithSso(server, config.oidc);
      await api.save(server, session, 'oidc');
      return session;
    },
    onMutate: () => setNotice(null),
    onSuccess: done,
    onError: failed,
  });

  const join = useMutation({
    mutationFn: async (link: InviteLink) => {
      const session = await api.signInWithInvite(link.server, link.code);
      await api.save(link.server, session, 'invite');
      return session;
    },
    onMutate: () => setNotice(null),
    onSuccess: done,
    onError: failed,
  });

  const startSso = () => {
    const checked = normaliseBackendUrl(url);
    if (!checked.ok) {
      setNotice({ kind: 'error', text: url.trim() ? t(`error.${checked.error}`) : t('signin.urlFirst') });
      return;
    }
    // permissions.request must start inside the click; sign-in does not wait for it (CORS admits the extension)
    api.requestAccess(checked.url).catch(() => undefined);
    sso.mutate(checked.url);
  };

  const joinWith = (link: InviteLink | null) => {
    if (!link) {
      setNotice({ kind: 'error', text: t('signin.invite.badLink') });
      return;
    }
    if (lockedUrl !== undefined && link.server !== lockedUrl) {
      setNotice({ kind: 'error', text: t('policy.locked') });
      return;
    }
    api.requestAccess(link.server).catch(() => undefined);
    join.mutate(link);
  };

  const busy = sso.isPending || join.isPending;
  const session = stored?.mode === 'server' ? stored.session : undefined;

  return (
    <section className="sal-card" aria-labelledby="signin-title">
      <h2 id="signin-title">{t('signin.title')}</h2>
      {session && me && (
        <p className="sal-hint" data-testid="signin-session">
          {t('signin.session', { user: me.user.name, team: me.team.name, method: t(`signin.method.${session.method}`) })}
        </p>
      )}
      {invite && !join.isSuccess && (
        <div className="sal-invite" data-testid="signin-invite">
          <p>{t('signin.invite.found', { server: invite.server })}</p>
          <button type="button" className="sal-btn sal-btn--brand" onClick={() => joinWith(invite)} disabled={busy}>
            {t('signin.invite.join')}
          </button>
        </div>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          startSso();
        }}
      >
        <label htmlFor={ids.url}>{t('signin.url')}</label>
        <input id={ids.url} type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://sal.example.co.jp" disabled={lockedUrl !== undefined} autoComplete="url" />
        <div className="sal-actions">
          <button type="submit" className="sal-btn sal-btn--brand" disabled={busy} aria-describedby="signin-sso-hint">
            {sso.isPending ? t('signin.signingIn') : t('signin.sso')}
          </button>
        </div>
        <p id="signin-sso-hint" className="sal-hint">
          {t('signin.ssoHint')}
        </p>
      </form>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          joinWith(parseInviteLink(pasted.trim()));
        }}
      >
        <h3>{t('signin.invite.title')}</h3>
        <label htmlFor={ids.link}>{t('signin.invite.paste')}</label>
        <input id={ids.link} type="url" value={pasted} onChange={(e) => setPasted(e.target.value)} aria-describedby={ids.linkHint} autoComplete="off" />
        <p id={ids.linkHint} className="sal-hint">
          {t('signin.invite.pasteHint')}
        </p>
        <div className="sal-actions">
          <button type="submit" className="sal-btn" disabled={busy || !pasted.trim()}>
            {join.isPending ? t('signin.signingIn') : t('signin.invite.join')}
          </button>
        </div>
      </form>
      {notice && (
        <p className={notice.kind === 'ok' ? 'sal-ok' : 'sal-error'} role={notice.kind === 'ok' ? 'status' : 'alert'} data-testid="signin-notice">
          {notice.text}
        </p>
      )}
    </section>
  );
}
