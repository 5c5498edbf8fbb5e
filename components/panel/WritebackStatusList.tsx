import type { Translate } from '../../lib/i18n';
import type { WritebackStatus } from '../../lib/messaging/protocol';
import { SALESFORCE_CONNECT_REQUIRED } from '../../lib/writeback/writer';

const CRM_NAMES = { salesforce: 'Salesforce', hubspot: 'HubSpot', dynamics: 'Dynamics 365' } as const;

/** What the rep reads about one write-back: reflected, waiting, failed (why), needs sign-in, conflict, paused. */
export function writebackText(w: WritebackStatus, t: Translate): string {
  const crm = CRM_NAMES[w.crm];
  switch (w.state.kind) {
    case 'reflected':
      return t('writeback.reflected', { crm });
    case 'waiting':
      return w.state.message === 'crm_tab_closed' ? t('writeback.waitingTab', { crm }) : t('writeback.waiting', { crm });
    case 'failed':
      return t('writeback.failed', { crm, message: w.state.message });
    case 'sign_in':
      // the org refuses the rep's session for the API and the team has a connected app: connect in options
      return w.state.message === SALESFORCE_CONNECT_REQUIRED ? t('writeback.connect', { crm }) : t('writeback.signIn', { crm });
    case 'conflict':
      return t('writeback.conflict', { crm });
    case 'paused':
      return t('writeback.paused', { crm, message: w.state.message });
  }
}

/**
 * Where each decision on this lead stands in the CRM (write-back, lib/writeback): one line per
 * decision, with 再試行 where the rep can act (after a refusal, a conflict, a sign-in, a pause).
 * The decision itself is recorded whatever the CRM says; this says only whether the CRM shows it.
 */
export function WritebackStatusList({ writebacks, t, retrying, onRetry }: { writebacks: readonly WritebackStatus[]; t: Translate; retrying: string | null; onRetry(id: string): void }) {
  if (writebacks.length === 0) return null;
  return (
    <section className="sal-writeback" aria-label={t('writeback.title')}>
      <h3 className="sal-writeback__title">{t('writeback.title')}</h3>
      <ul className="sal-writeback__list">
        {writebacks.map((w) => {
          const canRetry = w.state.kind === 'failed' || w.state.kind === 'conflict' || w.state.kind === 'sign_in' || w.state.kind === 'paused';
          return (
            <li key={w.id} className={`sal-writeback__item sal-writeback__item--${w.state.kind}`} data-writeback-state={w.state.kind}>
              <span className="sal-writeback__decision">{t(`event.${w.trigger}`)}</span>{' '}
              <span role={w.state.kind === 'reflected' || w.state.kind === 'waiting' ? 'status' : 'alert'}>{writebackText(w, t)}</span>
              {canRetry && (
                <button type="button" className="sal-btn sal-writeback__retry" disabled={retrying === w.id} onClick={() => onRetry(w.id)}>
                  {t('writeback.retry')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
