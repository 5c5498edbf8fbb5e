import type { Lang, MessageKey, Translate } from '../../lib/i18n';
import { formatDateTime } from '../../lib/format/time';
import type { DeadLetter } from '../../lib/sync/dead-letters';

/**
 * The events the server refused: what, for which lead, and the server's reason, each with
 * "retry" (send again, e.g. after the team fixed its settings) and "discard".
 */
export function DeadLetterList({ items, t, lang, onRetry, onDiscard }: { items: DeadLetter[]; t: Translate; lang: Lang; onRetry: (eventId: string) => void; onDiscard: (eventId: string) => void }) {
  if (items.length === 0) return null;
  return (
    <section className="sal-dead-letters" aria-labelledby="dead-letters-title" data-testid="dead-letters">
      <h3 id="dead-letters-title">{t('sync.deadLetters.title')}</h3>
      <p className="sal-muted">{t('sync.deadLetters.help')}</p>
      <ul>
        {items.map((d) => (
          <li key={d.eventId} data-testid="dead-letter">
            <strong>{d.event ? t(`event.${d.event.type}` as MessageKey) : d.eventId}</strong>
            {d.event && (
              <span className="sal-muted">
                {' '}
                · {d.event.lead?.name ?? d.event.leadKey} · {formatDateTime(new Date(d.event.occurredAt), lang)}
              </span>
            )}
            <p className="sal-error">{t('sync.deadLetters.reason', { status: d.status, reason: d.reason })}</p>
            <div className="sal-actions">
              <button type="button" className="sal-btn" onClick={() => onRetry(d.eventId)}>
                {t('sync.deadLetters.retry')}
              </button>
              <button type="button" className="sal-btn" onClick={() => onDiscard(d.eventId)}>
                {t('sync.deadLetters.discard')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
