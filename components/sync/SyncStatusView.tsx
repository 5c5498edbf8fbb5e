import type { Lang, MessageKey, Translate } from '../../lib/i18n';
import { formatDateTime } from '../../lib/format/time';
import type { SyncStatus } from './use-sync-status';
import { isSignedOut } from '../../lib/sync/engine';

/** Last sync, pending count and the current error, in words a rep understands. */
export function SyncStatusView({ status, t, lang, onSyncNow, busy }: { status: SyncStatus; t: Translate; lang: Lang; onSyncNow?: () => void; busy?: boolean }) {
  if (status.mode === 'local') return <p className="sal-muted">{t('sync.localMode')}</p>;
  const { state } = status;
  return (
    <div className="sal-sync" aria-label={t('sync.title')}>
      <p data-testid="sync-last">{state.lastSuccessAt ? t('sync.last', { at: formatDateTime(new Date(state.lastSuccessAt), lang) }) : t('sync.never')}</p>
      <p data-testid="sync-pending">{t('sync.pending', { count: status.pending })}</p>
      {status.deadLetters > 0 && <p className="sal-error">{t('sync.deadLetters', { count: status.deadLetters })}</p>}
      {state.authPaused ? (
        // 401/403: nothing syncs until the user signs in again, so say exactly that; "signed out"
        // when the server ended the session or token (a removed member), not a mistyped token
        <p className="sal-error" role="alert" data-testid="sync-error">
          {isSignedOut(state) ? t('sync.signedOut') : t('sync.authPaused')}
        </p>
      ) : (
        state.lastError && (
          <p className="sal-error" role="alert" data-testid="sync-error">
            {t(`error.${state.lastError.code}` as MessageKey)}
          </p>
        )
      )}
      {onSyncNow && (
        <button type="button" className="sal-btn" onClick={onSyncNow} disabled={busy}>
          {t('sync.now')}
        </button>
      )}
    </div>
  );
}
