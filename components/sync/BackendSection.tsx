import { useId, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { normaliseBackendUrl, type BackendConfig } from '../../lib/settings/backend';
import { SyncError } from '../../lib/sync/errors';
import type { BackendChangePlan } from '../../lib/sync/backend-change';
import type { MessageKey, Translate } from '../../lib/i18n';
import type { BackendSectionApi } from './backend-api';
import { PolicyNotice } from '../options/PolicyNotice';

type Notice = { kind: 'ok' | 'error'; text: string } | null;

/** The plan in the user's words: what a save will do to this browser's data. */
export function planText(plan: BackendChangePlan, t: Translate): string {
  switch (plan.kind) {
    case 'local_mode':
      return t('backend.plan.localMode');
    case 'token_only':
      return t('backend.plan.tokenOnly', { team: plan.team });
    case 'first_team':
      return t('backend.plan.firstTeam', { team: plan.team, count: plan.decisions });
    case 'switch_team':
      return [
        t('backend.plan.switchTeam', { from: plan.from, to: plan.to, count: plan.decisions }),
        plan.restored > 0 ? t('backend.plan.restore', { team: plan.to, count: plan.restored }) : null,
        t('backend.plan.switchBack', { from: plan.from }),
      ]
        .filter(Boolean)
        .join(' ');
    case 'unverified':
      return t('backend.plan.unverified', { from: plan.from, count: plan.decisions });
  }
}

/** A save that leaves data with another team waits for the user's confirmation. */
export const needsConfirmation = (plan: BackendChangePlan) => plan.kind === 'switch_team' || plan.kind === 'unverified';

/**
 * The sync backend form (URL, token, test, save, local-only mode). Before a save moves this
 * browser to another team it says what happens to the decisions made here, and waits for a
 * confirmation; the connection test says it too.
 */
export function BackendSection({ t, stored, api, lockedUrl }: { t: Translate; stored: BackendConfig | null | undefined; api: BackendSectionApi; lockedUrl?: string | undefined }) {
  const [chosenMode, setMode] = useState<BackendConfig['mode']>('server');
  const [typedUrl, setUrl] = useState('');
  // a server URL set by enterprise policy (lib/settings/policy.ts): that server, nothing else
  const mode = lockedUrl === undefined ? chosenMode : 'server';
  const url = lockedUrl ?? typedUrl;
  const [token, setToken] = useState('');
  const [notice, setNotice] = useState<Notice>(null);
  /** The prediction for the inputs as they are, and whether the save waits for a confirmation. */
  const [plan, setPlan] = useState<{ config: BackendConfig; plan: BackendChangePlan; confirm: boolean } | null>(null);
  const ids = { url: useId(), token: useId(), policy: useId() };

  // The form edits a copy of the stored backend: copied when the stored record first loads or
  // changes, during render rather than in an effect (React's "adjusting state when a prop
  // changes"), so the form never shows a frame of stale values.
  const [copiedFrom, setCopiedFrom] = useState<typeof stored>(undefined);
  if (stored !== copiedFrom) {
    setCopiedFrom(stored);
    if (stored) {
      setMode(stored.mode);
      if (stored.mode === 'server') {
        setUrl(stored.url);
        setToken(stored.token);
      }
    }
  }

  const edit = (apply: () => void) => {
    apply();
    // a prediction is for the inputs it was made for
    setPlan(null);
  };

  const validate = (): { ok: true; config: BackendConfig } | { ok: false; message: string } => {
    if (mode === 'local') return { ok: true, config: { mode: 'local' } };
    const checked = normaliseBackendUrl(url);
    if (!checked.ok) return { ok: false, message: t(`error.${checked.error}`) };
    if (!token.trim()) return { ok: false, message: t('error.token_required') };
    return { ok: true, config: { mode: 'server', url: checked.url, token: token.trim() } };
  };

  const errorText = (e: unknown) => (e instanceof SyncError ? t(`error.${e.code}` as MessageKey) : e instanceof Error ? e.message : String(e));

  /** Asks the new backend who the token is and predicts the save; an unreachable backend is a prediction too. */
  const predict = async (config: BackendConfig) => {
    if (config.mode === 'local') return { plan: await api.plan(config, null), me: null, error: null };
    try {
      const me = await api.me(config.url, config.token);
      return { plan: await api.plan(config, me.team), me, error: null };
    } catch (error) {
      return { plan: await api.plan(config, null), me: null, error };
    }
  };

  const test = useMutation({
    mutationFn: async () => {
      const checked = validate();
      if (!checked.ok || checked.config.mode !== 'server') throw new Error(checked.ok ? '' : checked.message);
      const predicted = await predict(checked.config);
      if (predicted.error !== null) throw predicted.error;
      setPlan({ config: checked.config, plan: predicted.plan, confirm: false });
      return predicted.me!;
    },
    onSuccess: (me) => setNotice({ kind: 'ok', text: t('options.testOk', { user: me.user.name, team: me.team.name }) }),
    onError: (e) => setNotice({ kind: 'error', text: t('options.testFailed', { error: errorText(e) }) }),
  });

  const save = useMutation({
    mutationFn: async ({ confirmed }: { confirmed: boolean }) => {
      const checked = validate();
      if (!checked.ok) throw new Error(checked.message);
      if (!confirmed) {
        const predicted = await predict(checked.config);
        setPlan({ config: checked.config, plan: predicted.plan, confirm: needsConfirmation(predicted.plan) });
        if (needsConfirmation(predicted.plan)) return false;
      }
      await api.save(checked.config);
      setPlan((p) => (p ? { ...p, confirm: false } : p));
      return true;
    },
    onSuccess: (saved) => setNotice(saved ? { kind: 'ok', text: t('options.saved') } : null),
    onError: (e) => setNotice({ kind: 'error', text: errorText(e) }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const checked = mode === 'server' ? normaliseBackendUrl(url) : null;
    if (checked?.ok) {
      // permissions.request must start inside the user gesture. Saving does not wait for the
      // answer: the server answers extension origins with CORS, so sync works either way; the
      // prompt shows the user which origin gets the data, and a refusal is reported.
      api
        .requestAccess(checked.url)
        .then((granted) => !granted && setNotice({ kind: 'error', text: t('options.permissionDenied') }))
        .catch(() => undefined);
    }
    save.mutate({ confirmed: false });
  };

  return (
    <form onSubmit={onSubmit} className="sal-card" aria-labelledby="backend-title">
      <h2 id="backend-title">{t('options.backend')}</h2>
      <fieldset>
        <label>
          <input type="radio" name="mode" checked={mode === 'server'} onChange={() => edit(() => setMode('server'))} /> {t('options.mode.server')}
        </label>
        <label>
          <input type="radio" name="mode" checked={mode === 'local'} disabled={lockedUrl !== undefined} onChange={() => edit(() => setMode('local'))} /> {t('options.mode.local')}
        </label>
      </fieldset>
      {mode === 'server' && (
        <>
          <label htmlFor={ids.url}>{t('options.url')}</label>
          <input
            id={ids.url}
            type="url"
            value={url}
            onChange={(e) => edit(() => setUrl(e.target.value))}
            placeholder="https://sal.example.co.jp"
            autoComplete="url"
            disabled={lockedUrl !== undefined}
            aria-describedby={lockedUrl !== undefined ? ids.policy : undefined}
          />
          {lockedUrl !== undefined && <PolicyNotice t={t} id={ids.policy} />}
          <label htmlFor={ids.token}>{t('options.token')}</label>
          <input id={ids.token} type="password" value={token} onChange={(e) => edit(() => setToken(e.target.value))} autoComplete="off" />
        </>
      )}
      {plan && (
        <p className={plan.confirm ? 'sal-warning' : 'sal-hint'} role="status" data-testid="backend-plan">
          {planText(plan.plan, t)}
        </p>
      )}
      <div className="sal-actions">
        {plan?.confirm ? (
          <>
            <button type="button" className="sal-btn sal-btn--brand" onClick={() => save.mutate({ confirmed: true })} disabled={save.isPending}>
              {t('backend.plan.confirm')}
            </button>
            <button type="button" className="sal-btn" onClick={() => setPlan(null)}>
              {t('backend.plan.cancel')}
            </button>
          </>
        ) : (
          <>
            {mode === 'server' && (
              <button type="button" className="sal-btn" onClick={() => test.mutate()} disabled={test.isPending}>
                {test.isPending ? t('options.testing') : t('options.test')}
              </button>
            )}
            <button type="submit" className="sal-btn sal-btn--brand" disabled={save.isPending}>
              {t('options.save')}
            </button>
          </>
        )}
      </div>
      {notice && (
        <p className={notice.kind === 'ok' ? 'sal-ok' : 'sal-error'} role={notice.kind === 'ok' ? 'status' : 'alert'} data-testid="options-notice">
          {notice.text}
        </p>
      )}
    </form>
  );
}
