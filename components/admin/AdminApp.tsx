import { useMemo } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { getDb, readKv } from '../../lib/db';
import { meKv } from '../../lib/db/reads';
import { backendKv } from '../../lib/settings/backend';
import { createAdminClient } from '../../lib/sync/admin-client';
import { createHttpBackendClient } from '../../lib/sync/http-client';
import { inviteHandoverLink, refreshSession } from '../../lib/sync/session';
import { useI18n } from '../shared/use-i18n';
import { AdminView } from './AdminView';

/**
 * The admin page's root: the team's server from the saved backend (its token or signed-in
 * session, refreshed like sync's), wired into the view. The server decides who is an admin; the
 * page says so first for a member it knows is not one.
 */
export function AdminApp() {
  const { t, lang } = useI18n();
  const db = getDb();
  const backend = useLiveQuery(() => readKv(db, backendKv), [db]);
  const me = useLiveQuery(() => readKv(db, meKv), [db]);
  const server = backend?.mode === 'server' ? backend : null;
  const url = server?.url;
  const token = server?.token;
  const hasSession = server?.session !== undefined;
  const api = useMemo(() => {
    if (!url || !token) return null;
    const fetchImpl = fetch.bind(globalThis);
    return createAdminClient(createHttpBackendClient(url, token, fetchImpl, Date.now, hasSession ? { refresh: () => refreshSession(db, token, fetchImpl) } : {}));
  }, [db, url, token, hasSession]);

  if (backend === undefined || me === undefined) return null;
  if (!api || !url) {
    return (
      <main className="sal-options sal-admin" lang={lang}>
        <h1>{t('admin.title')}</h1>
        <p role="alert">{t('admin.notSignedIn')}</p>
      </main>
    );
  }
  if (me && me.role !== 'admin') {
    return (
      <main className="sal-options sal-admin" lang={lang}>
        <h1>{t('admin.title')}</h1>
        <p role="alert">{t('admin.forbidden')}</p>
      </main>
    );
  }
  return <AdminView t={t} lang={lang} api={api} selfId={me?.user.id ?? null} inviteLinkFor={(code) => inviteHandoverLink({ server: url, code })} />;
}
