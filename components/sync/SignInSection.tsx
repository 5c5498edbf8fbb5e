import { useId, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { MessageKey, Translate } from '../../lib/i18n';
import type { MeResponse, SessionResponse } from '../../lib/protocol/http';
import type { BackendChangePlan } from '../../lib/sync/backend-change';
import { normaliseBackendUrl, type BackendConfig } from '../../lib/settings/backend';
import { ApiError, SyncError } from '../../lib/sync/errors';
import { parseInviteLink, type InviteLink } from '../../lib/sync/session';
import type { SignInApi } from './signin-api';
import { needsConfirmation, planText } from './BackendSection';

type Notice = { kind: 'ok' | 'error'; text: string } | null;

/**
 * A sign-in that would move this browser to another team, held until the rep confirms: an
 * invitation not yet taken (cancelling leaves it unused), or a single sign-on session not yet
 * stored (cancelling forgets it; the browser keeps its current team).
 */
type Pending = { plan: BackendChangePlan } & ({ kind: 'invite'; link: InviteLink } | { kind: 'sso'; url: string; session: SessionResponse });

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

  const [pending, setPending] = useState<Pending | null>(null);
  const settled = (session: SessionResponse | null) => (session ? done(session) : undefined);

  const sso = useMutation({
    mutationFn: async ({ server, confirmed }: { server: string; confirmed?: SessionResponse }): Promise<SessionResponse | null> => {
      let session = confirmed;
      if (!session) {
        const config = await api.authConfig(server);
        if (!config.oidc) throw new ApiError(404, 'oidc_not_configured', '');
        session = await api.signInWithSso(server, config.oidc);
        const plan = await api.plan(server, session.me.team);
        if (needsConfirmation(plan)) {
          setPending({ kind: 'sso', url: server, session, plan });
          return null;
        }
      }
      await api.save(server, session, 'oidc');
      return session;
    },
    onMutate: () => setNotice(null),
    onSuccess: settled,
    onError: failed,
  });

  const join = useMutation({
    mutationFn: async ({ link, confirmed }: { link: InviteLink; confirmed?: boolean }): Promise<SessionResponse | null> => {
      if (!confirmed) {
        // asked before the invitation is taken: it works once, so a "no" must leave it unused
        const preview = await api.previewInvite(link.server, link.code);
        const plan = await api.plan(link.server, preview.team);
        if (needsConfirmation(plan)) {
          setPending({ kind: 'invite', link, plan });
          return null;
        }
      }
      const session = await api.signInWithInvite(link.server, link.code);
      await api.save(link.server, session, 'invite');
      return session;
    },
    onMutate: () => setNotice(null),
    onSuccess: settled,
    onError: failed,
  });

  const confirmPending = () => {
    if (!pending) return;
    setPending(null);
    if (pending.kind === 'invite') join.mutate({ link: pending.link, confirmed: true });
    else sso.mutate({ server: pending.url, confirmed: pending.session });
  };
  const cancelPending = () => {
    setPending(null);
    setNotice({ kind: 'ok', text: t('signin.switch.cancelled') });
  };

  const startSso = () => {
    const checked = normaliseBackendUrl(url);
    if (!checked.ok) {
      setNotice({ kind: 'error', text: url.trim() ? t(`error.${checked.error}`) : t('signin.urlFirst') });
      return;
    }
    // permissions.request must start inside the click; sign-in does not wait for it (CORS admits the extension)
    api.requestAccess(checked.url).catch(() => undefined);
    sso.mutate({ server: checked.url });
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
    join.mutate({ link });
  };

  const busy = sso.isPending || join.isPending || pending !== null;
  const session = stored?.mode === 'server' ? stored.session : undefined;

  return (
    <section className="sal-card" aria-labelledby="signin-title">
      <h2 id="signin-title">{t('signin.title')}</h2>
      {session && me && (
        <p className="sal-hint" data-testid="signin-session">
          {t('signin.session', { user: me.user.name, team: me.team.name, method: t(`signin.method.${session.method}`) })}
        </p>
      )}
      {pending && (
        <div role="group" aria-labelledby="signin-switch-title" data-testid="signin-switch">
          <h3 id="signin-switch-title">{t('signin.switch.title')}</h3>
          <p className="sal-warning" role="status">
            {planText(pending.plan, t)}
          </p>
          <div className="sal-actions">
            <button type="button" className="sal-btn sal-btn--brand" onClick={confirmPending} autoFocus>
              {t('signin.switch.confirm')}
            </button>
            <button type="button" className="sal-btn" onClick={cancelPending}>
              {t('signin.switch.cancel')}
            </button>
          </div>
        </div>
      )}
      {invite && !(join.isSuccess && join.data) && (
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
