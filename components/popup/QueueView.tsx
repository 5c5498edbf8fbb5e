import type { QueueItem } from '../../lib/domain/sla-queue';
import { queueCounts } from '../../lib/domain/sla-queue';
import type { Lang, Translate } from '../../lib/i18n';
import { formatDateTime } from '../../lib/format/time';
import { clockValueText } from '../panel/ClockList';

export interface QueueViewProps {
  items: readonly QueueItem[];
  t: Translate;
  lang: Lang;
  onOpen(url: string): void;
}

/**
 * "My queue" in the toolbar popup: my pending and in-progress leads, most urgent first, each
 * with its most urgent countdown; a lead opens its CRM page.
 */
export function QueueView({ items, t, lang, onOpen }: QueueViewProps) {
  const counts = queueCounts(items);
  return (
    <section className="sal-queue" aria-labelledby="sal-queue-title">
      <h2 id="sal-queue-title" className="sal-subtitle">
        {t('queue.title')} ({items.length})
      </h2>
      {items.length > 0 && (
        <p className="sal-hint" data-testid="queue-summary">
          {t('queue.summary', counts)}
        </p>
      )}
      {items.length === 0 ? (
        <p className="sal-muted">{t('queue.empty')}</p>
      ) : (
        <ul className="sal-queue__list">
          {items.map((item) => {
            const name = [item.lead.name, item.lead.company].filter(Boolean).join(' · ') || t('queue.unnamed');
            const url = item.lead.url;
            return (
              <li key={item.leadKey} className={`sal-queue__item sal-queue__item--${item.urgency}`} data-lead-key={item.leadKey} data-urgency={item.urgency}>
                {/* named by what it shows, the lead and its status (no aria-label hiding the status) */}
                <button type="button" className="sal-queue__open" disabled={!url} onClick={() => url && onOpen(url)}>
                  <span className="sal-queue__name">{name}</span> <span className={`sal-pill sal-pill--${item.status}`}>{t(`status.${item.status}`)}</span>
                </button>
                {item.urgent && (
                  <p className={`sal-queue__clock sal-clock--${item.urgent.state}`} data-clock={item.urgent.kind} data-state={item.urgent.state}>
                    <span>{t(`clock.${item.urgent.kind}`)}</span>{' '}
                    <strong className="sal-clock__value" role="timer">
                      {clockValueText(item.urgent, t)}
                    </strong>{' '}
                    <span className="sal-hint">
                      {t('clock.deadline', { at: formatDateTime(item.urgent.deadline, lang) })}
                      {item.urgent.basis === 'business' ? ` · ${t('clock.businessNote')}` : ''}
                    </span>
                  </p>
                )}
                {!url && <p className="sal-hint">{t('queue.noUrl')}</p>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
