import { useMutation } from '@tanstack/react-query';
import { browser } from 'wxt/browser';
import { sendRequest } from '../../lib/messaging/client';
import { useI18n } from '../shared/use-i18n';
import { useSyncStatus } from '../sync/use-sync-status';
import { SyncStatusView } from '../sync/SyncStatusView';

/** The toolbar popup: sync status (and, later, the rep's queue). */
export function PopupApp() {
  const { t, lang } = useI18n();
  const status = useSyncStatus();
  const syncNow = useMutation({ mutationFn: () => sendRequest({ type: 'app.syncNow' }) });
  return (
    <main className="sal-popup" lang={lang}>
      <h1 className="sal-card__title">SAL Bridge</h1>
      {status && <SyncStatusView status={status} t={t} lang={lang} onSyncNow={() => syncNow.mutate()} busy={syncNow.isPending} />}
      <button type="button" className="sal-btn" onClick={() => void browser.runtime.openOptionsPage()}>
        {t('sync.openOptions')}
      </button>
    </main>
  );
}
