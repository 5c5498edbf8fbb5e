import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { browser } from 'wxt/browser';
import { getDb, readKv, writeKv } from '../../lib/db';
import { backendKv, originPattern } from '../../lib/settings/backend';
import { prefsKv, type Prefs } from '../../lib/settings/prefs';
import { sendRequest } from '../../lib/messaging/client';
import { dataChangedStorage } from '../../lib/settings/storage-items';
import { useI18n } from '../shared/use-i18n';
import { useSyncStatus } from '../sync/use-sync-status';
import { SyncStatusView } from '../sync/SyncStatusView';
import { DeadLetterList } from '../sync/DeadLetterList';
import { TeamSettingsView } from '../sync/TeamSettingsView';
import { useDeadLetters, useTeamSettingsInfo } from '../sync/use-dead-letters';
import { discardDeadLetter, retryDeadLetter } from '../../lib/sync/dead-letters';
import { BackendSection } from '../sync/BackendSection';
import { createBackendSectionApi } from '../sync/backend-api';
import { CustomCrmSection } from './CustomCrmSection';
import { DefinitionEditorCard } from './definition-editor/DefinitionEditorCard';
import { CrmTokenSection, type CrmTokenApi } from './CrmTokenSection';
import { SalesforceConnectSection } from './SalesforceConnectSection';
import { crmTokensKv } from '../../lib/writeback/credentials';
import { HUBSPOT_API_ORIGIN } from '../../lib/writeback/hubspot';
import { browserCustomCrmApi } from './custom-crm-api';
import { PolicyNotice, PolicySummary, lockedCustomCrmApi, lockedServerUrl, usePolicy } from './PolicyNotice';
import { SignInSection } from '../sync/SignInSection';
import { createSignInApi } from '../sync/signin-api';
import { parseInviteLink } from '../../lib/sync/session';
import { meKv } from '../../lib/db/reads';

/** Options: the sync backend (URL, token, test, save), local-only mode, the team's SAL definition, and the UI language. */
export function OptionsApp() {
  const { t, lang } = useI18n();
  const db = getDb();
  // null = nothing saved yet: the form then offers the server mode, the usual choice for a team
  const stored = useLiveQuery(() => readKv(db, backendKv), []);
  const prefs = useLiveQuery(() => readKv(db, prefsKv), []);
  const crmTokens = useLiveQuery(() => readKv(db, crmTokensKv), []);
  const status = useSyncStatus();
  const deadLetters = useDeadLetters();
  const teamSettings = useTeamSettingsInfo();
  const policy = usePolicy();
  const ids = { lang: useId(), langPolicy: useId() };
  const langLocked = policy.locked.has('language');
  const customCrmApi = useMemo(() => lockedCustomCrmApi(browserCustomCrmApi, policy, t), [policy, t]);
  // configured CRMs can have a hand-off rule too (`custom:<slug>`)
  const [customTargets, setCustomTargets] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    const load = () =>
      void customCrmApi.load().then(
        (configs) => live && setCustomTargets(configs.map((c) => `custom:${c.slug}`)),
        () => undefined,
      );
    load();
    const unsubscribe = customCrmApi.subscribe(load);
    return () => {
      live = false;
      unsubscribe();
    };
  }, [customCrmApi]);
  const backendApi = useMemo(
    () =>
      createBackendSectionApi(db, {
        fetch: fetch.bind(globalThis),
        notifyBackground: () => sendRequest({ type: 'app.backendChanged' }),
        requestAccess: (url) => browser.permissions.request({ origins: [originPattern(url)] }),
      }),
    [db],
  );

  const crmTokenApi: CrmTokenApi = {
    async saveHubSpotToken(token) {
      // the API host only, asked for from the rep's click
      if (token !== null && !(await browser.permissions.request({ origins: [`${HUBSPOT_API_ORIGIN}/*`] }))) return false;
      await writeKv(db, crmTokensKv, { hubspot: token });
      return true;
    },
  };
  const signInApi = useMemo(
    () =>
      createSignInApi(db, {
        fetch: fetch.bind(globalThis),
        notifyBackground: () => sendRequest({ type: 'app.backendChanged' }),
        requestAccess: (url) => browser.permissions.request({ origins: [originPattern(url)] }),
      }),
    [db],
  );
  // an invitation link opens this page with the invitation in its fragment (never sent to a server)
  const invite = useMemo(() => parseInviteLink(location.href), []);
  const me = useLiveQuery(() => readKv(db, meKv), [db]);

  const syncNow = useCallback(() => void sendRequest({ type: 'app.syncNow' }), []);

  const setLang = async (value: Prefs['lang']) => {
    await writeKv(db, prefsKv, { lang: value });
    // open panels read through the background; tell them to refetch (see dataChangedStorage)
    await dataChangedStorage.setValue(Date.now());
  };

  return (
    <main className="sal-options" lang={lang}>
      <h1>{t('options.title')}</h1>
      {me?.role === 'admin' && status?.mode === 'server' && (
        <p>
          <a href={browser.runtime.getURL('/admin.html')} target="_blank" rel="noreferrer" data-testid="open-admin">
            {t('admin.open')}
          </a>
        </p>
      )}
      <SignInSection t={t} stored={stored} me={status?.state.authPaused ? null : me} lockedUrl={lockedServerUrl(policy, stored)} invite={invite} api={signInApi} />
      <BackendSection t={t} stored={stored} api={backendApi} lockedUrl={lockedServerUrl(policy, stored)} />
      <PolicySummary t={t} policy={policy} />
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
              onDiscard={(id) => void discardDeadLetter(db, id).then(() => dataChangedStorage.setValue(Date.now()))}
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
      {policy.locked.has('customCrms') && <p className="sal-hint">{t('policy.customCrmsLocked')}</p>}
      <CustomCrmSection t={t} api={customCrmApi} />
      <DefinitionEditorCard db={db} t={t} lang={lang} backend={stored} role={me?.role ?? null} customTargets={customTargets} syncNow={syncNow} />
      <CrmTokenSection t={t} configured={Boolean(crmTokens?.hubspot)} api={crmTokenApi} />
      <SalesforceConnectSection t={t} />
      <section className="sal-card">
        <label htmlFor={ids.lang}>{t('options.language')}</label>
        <select
          id={ids.lang}
          value={prefs?.lang ?? 'auto'}
          onChange={(e) => void setLang(e.target.value as Prefs['lang'])}
          disabled={langLocked}
          aria-describedby={langLocked ? ids.langPolicy : undefined}
        >
          <option value="auto">{t('options.lang.auto')}</option>
          <option value="ja">日本語</option>
          <option value="en">English</option>
        </select>
        {langLocked && <PolicyNotice t={t} id={ids.langPolicy} />}
      </section>
    </main>
  );
}
