import { useMutation } from '@tanstack/react-query';
import { browser } from 'wxt/browser';
import { sendRequest } from '../../lib/messaging/client';
import { useI18n } from '../shared/use-i18n';
import { useSyncStatus } from '../sync/use-sync-status';
import { SyncStatusView } from '../sync/SyncStatusView';
import { useNow } from '../panel/use-panel-data';
import { useQueue } from './use-queue';
import { QueueView } from './QueueView';
import { useLiveQuery } from 'dexie-react-hooks';
import { getDb, readKv } from '../../lib/db';
import { meKv } from '../../lib/db/reads';

/** The toolbar popup: my queue with live countdowns, then the sync status. */
export function PopupApp() {
  const { t, lang } = useI18n();
  const status = useSyncStatus();
  const now = useNow();
  const queue = useQueue(now);
  const syncNow = useMutation({ mutationFn: () => sendRequest({ type: 'app.syncNow' }) });
  // the admin page is offered to admins only (the server refuses anyone else anyway)
  const isAdmin = useLiveQuery(async () => (await readKv(getDb(), meKv))?.role === 'admin', []);
  return (
    <main className="sal-popup" lang={lang}>
      <h1 className="sal-card__title">SAL Bridge</h1>
      {queue ? <QueueView items={queue.items} t={t} lang={lang} onOpen={(url) => void browser.tabs.create({ url })} /> : <p className="sal-muted">{t('panel.loading')}</p>}
      {status && <SyncStatusView status={status} t={t} lang={lang} onSyncNow={() => syncNow.mutate()} busy={syncNow.isPending} />}
      <div className="sal-actions">
        <button type="button" className="sal-btn" onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/kpis.html') })}>
          {t('kpi.open')}
        </button>
        <button type="button" className="sal-btn" onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/review.html') })}>
          {t('review.open')}
        </button>
        <button type="button" className="sal-btn" onClick={() => void browser.runtime.openOptionsPage()}>
          {t('sync.openOptions')}
        </button>
        {isAdmin && status?.mode === 'server' && (
          <button type="button" className="sal-btn" onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/admin.html') })}>
            {t('admin.open')}
          </button>
        )}
      </div>
    </main>
  );
}
