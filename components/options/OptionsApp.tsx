import { useId, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useLiveQuery } from 'dexie-react-hooks';
import { browser } from 'wxt/browser';
import { getDb, readKv, writeKv } from '../../lib/db';
import { BACKEND_KV_KEY, BackendConfigSchema, normaliseBackendUrl, originPattern, type BackendConfig } from '../../lib/settings/backend';
import { PREFS_KV_KEY, PrefsSchema, type Prefs } from '../../lib/settings/prefs';
import { createHttpBackendClient } from '../../lib/sync/http-client';
import { SyncError } from '../../lib/sync/errors';
import { sendRequest } from '../../lib/messaging/client';
import { DATA_CHANGED_KEY } from '../../lib/messaging/protocol';
import type { MessageKey } from '../../lib/i18n';
import { useI18n } from '../shared/use-i18n';
import { useSyncStatus } from '../sync/use-sync-status';
import { SyncStatusView } from '../sync/SyncStatusView';
import { DeadLetterList } from '../sync/DeadLetterList';
import { TeamSettingsView } from '../sync/TeamSettingsView';
import { useDeadLetters, useTeamSettingsInfo } from '../sync/use-dead-letters';
import { discardDeadLetter, retryDeadLetter } from '../../lib/sync/dead-letters';
import { CustomCrmSection } from './CustomCrmSection';
import { browserCustomCrmApi } from './custom-crm-api';

type Notice = { kind: 'ok' | 'error'; text: string } | null;

/** Options: the sync backend (URL, token, test, save), local-only mode, and the UI language. */
export function OptionsApp() {
  const { t, lang } = useI18n();
  const db = getDb();
  // null = nothing saved yet: the form then offers the server mode, the usual choice for a team
  const stored = useLiveQuery(() => readKv(db, BACKEND_KV_KEY, BackendConfigSchema.nullable(), null), []);
  const prefs = useLiveQuery(() => readKv(db, PREFS_KV_KEY, PrefsSchema, { lang: 'auto' }), []);
  const status = useSyncStatus();
  const deadLetters = useDeadLetters();
  const teamSettings = useTeamSettingsInfo();
  const [mode, setMode] = useState<BackendConfig['mode']>('server');
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [notice, setNotice] = useState<Notice>(null);
  const ids = { url: useId(), token: useId(), lang: useId() };

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

  const validate = (): { ok: true; url: string } | { ok: false; message: string } => {
    const checked = normaliseBackendUrl(url);
    if (!checked.ok) return { ok: false, message: t(`error.${checked.error}`) };
    if (!token.trim()) return { ok: false, message: t('error.token_required') };
    return checked;
  };

  const errorText = (e: unknown) => (e instanceof SyncError ? t(`error.${e.code}` as MessageKey) : e instanceof Error ? e.message : String(e));

  const test = useMutation({
    mutationFn: async () => {
      const checked = validate();
      if (!checked.ok) throw new Error(checked.message);
      return createHttpBackendClient(checked.url, token.trim(), fetch.bind(globalThis), Date.now).me();
    },
    onSuccess: (me) => setNotice({ kind: 'ok', text: t('options.testOk', { user: me.user.name, team: me.team.name }) }),
    onError: (e) => setNotice({ kind: 'error', text: t('options.testFailed', { error: errorText(e) }) }),
  });

  const save = useMutation({
    mutationFn: async () => {
      let config: BackendConfig = { mode: 'local' };
      if (mode === 'server') {
        const checked = validate();
        if (!checked.ok) throw new Error(checked.message);
        config = { mode: 'server', url: checked.url, token: token.trim() };
      }
      await writeKv(db, BACKEND_KV_KEY, config);
      await sendRequest({ type: 'app.backendChanged' });
    },
    onSuccess: () => setNotice({ kind: 'ok', text: t('options.saved') }),
    onError: (e) => setNotice({ kind: 'error', text: errorText(e) }),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const checked = mode === 'server' ? normaliseBackendUrl(url) : null;
    if (checked?.ok) {
      // permissions.request must start inside the user gesture. Saving does not wait for the
      // answer: the server answers extension origins with CORS, so sync works either way; the
      // prompt shows the user which origin gets the data, and a refusal is reported.
      browser.permissions
        .request({ origins: [originPattern(checked.url)] })
        .then((granted) => !granted && setNotice({ kind: 'error', text: t('options.permissionDenied') }))
        .catch(() => undefined);
    }
    save.mutate();
  };

  const setLang = async (value: Prefs['lang']) => {
    await writeKv(db, PREFS_KV_KEY, { lang: value });
    // open panels read through the background; tell them to refetch (see DATA_CHANGED_KEY)
    await browser.storage.session.set({ [DATA_CHANGED_KEY]: Date.now() });
  };

  return (
    <main className="sal-options" lang={lang}>
      <h1>{t('options.title')}</h1>
      <form onSubmit={onSubmit} className="sal-card" aria-labelledby="backend-title">
        <h2 id="backend-title">{t('options.backend')}</h2>
        <fieldset>
          <label>
            <input type="radio" name="mode" checked={mode === 'server'} onChange={() => setMode('server')} /> {t('options.mode.server')}
          </label>
          <label>
            <input type="radio" name="mode" checked={mode === 'local'} onChange={() => setMode('local')} /> {t('options.mode.local')}
          </label>
        </fieldset>
        {mode === 'server' && (
          <>
            <label htmlFor={ids.url}>{t('options.url')}</label>
            <input id={ids.url} type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://sal.example.co.jp" autoComplete="url" />
            <label htmlFor={ids.token}>{t('options.token')}</label>
            <input id={ids.token} type="password" value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" />
          </>
        )}
        <div className="sal-actions">
          {mode === 'server' && (
            <button type="button" className="sal-btn" onClick={() => test.mutate()} disabled={test.isPending}>
              {test.isPending ? t('options.testing') : t('options.test')}
            </button>
          )}
          <button type="submit" className="sal-btn sal-btn--brand" disabled={save.isPending}>
            {t('options.save')}
          </button>
        </div>
        {notice && (
          <p className={notice.kind === 'ok' ? 'sal-ok' : 'sal-error'} role={notice.kind === 'ok' ? 'status' : 'alert'} data-testid="options-notice">
            {notice.text}
          </p>
        )}
      </form>
      {status && (
        <section className="sal-card">
          <h2>{t('sync.title')}</h2>
          <SyncStatusView status={status} t={t} lang={lang} onSyncNow={() => void sendRequest({ type: 'app.syncNow' })} />
          {deadLetters && (
            <DeadLetterList
              items={deadLetters}
              t={t}
              lang={lang}
              onRetry={(id) => void retryDeadLetter(db, id, Date.now()).then(() => sendRequest({ type: 'app.syncNow' }))}
              onDiscard={(id) => void discardDeadLetter(db, id).then(() => browser.storage.session.set({ [DATA_CHANGED_KEY]: Date.now() }))}
            />
          )}
        </section>
      )}
      {status?.mode === 'server' && teamSettings !== undefined && (
        <section className="sal-card" aria-labelledby="team-settings-title">
          <h2 id="team-settings-title">{t('sync.teamSettings.title')}</h2>
          <TeamSettingsView info={teamSettings} t={t} lang={lang} />
        </section>
      )}
      <CustomCrmSection t={t} api={browserCustomCrmApi} />
      <section className="sal-card">
        <label htmlFor={ids.lang}>{t('options.language')}</label>
        <select id={ids.lang} value={prefs?.lang ?? 'auto'} onChange={(e) => void setLang(e.target.value as Prefs['lang'])}>
          <option value="auto">{t('options.lang.auto')}</option>
          <option value="ja">日本語</option>
          <option value="en">English</option>
        </select>
      </section>
    </main>
  );
}
