import type { SalDefinition } from '../../lib/domain/definition';
import type { LeadEvent } from '../../lib/domain/events';
import type { HistoryEntry } from '../../lib/domain/lifecycle';
import type { Lang, Translate } from '../../lib/i18n';
import { formatDateTime } from '../../lib/format/time';
import { RECYCLE_REASONS } from './AcceptedSection';

/** "あなた" for the viewer, else the actor's display name (or id when it has none). */
export function actorLabel(actor: LeadEvent['actor'], actorId: string | undefined, t: Translate): string {
  return actor.id === actorId ? t('panel.you') : actor.name || actor.id;
}

/** The detail worth showing next to an event in the timeline (reason, channel, note, …). */
export function eventDetail(event: LeadEvent, definition: SalDefinition, t: Translate, lang: Lang): string | null {
  switch (event.type) {
    case 'rejected':
      return definition.rejectReasons.find((r) => r.code === event.payload.reasonCode)?.label[lang] ?? event.payload.reasonCode;
    case 'contacted':
      return t(`channel.${event.payload.channel}`);
    case 'progress_updated':
      return event.payload.note;
    case 'recycled':
      return (RECYCLE_REASONS as readonly string[]).includes(event.payload.reason) ? t(`recycle.${event.payload.reason as (typeof RECYCLE_REASONS)[number]}`) : event.payload.reason;
    case 'lost':
      return event.payload.reason ?? null;
    case 'sales_originated':
      return t(`signal.${event.payload.signal}`);
    case 'reviewed':
      return t(`review.outcome.${event.payload.outcome}`);
    case 'handed_over':
      // who in marketing, when it differs from the actor shown anyway (e.g. an import by an admin)
      return event.payload.by !== event.actor.name ? event.payload.by : null;
    default:
      return null;
  }
}

/**
 * The lead's timeline, newest first: who did what, when (local time), under which definition
 * version. Undone and refused events stay visible, marked, because the history is the record.
 */
export function HistoryList({ history, definition, actorId, t, lang }: { history: readonly HistoryEntry[]; definition: SalDefinition; actorId: string | undefined; t: Translate; lang: Lang }) {
  return (
    <details className="sal-history">
      <summary>
        {t('panel.history')} ({history.length})
      </summary>
      {history.length === 0 ? (
        <p className="sal-muted">{t('panel.historyEmpty')}</p>
      ) : (
        <ol className="sal-history__list" aria-label={t('panel.history')}>
          {[...history].reverse().map((h) => {
            const e = h.event;
            const detail = eventDetail(e, definition, t, lang);
            // the review meeting's outcome carries a note where decisions carry a comment
            const comment = 'comment' in e.payload ? e.payload.comment : e.type === 'reviewed' ? e.payload.note : undefined;
            return (
              <li key={e.id} className={`sal-history__item sal-history__item--${h.effect}`} data-event-type={e.type} data-effect={h.effect}>
                <time dateTime={e.occurredAt}>{formatDateTime(h.at, lang)}</time> <strong>{t(`event.${e.type}`)}</strong>
                {detail ? ` · ${detail}` : ''} — {actorLabel(e.actor, actorId, t)} <span className="sal-hint">({t('panel.definitionVersion', { version: e.definitionVersion })})</span>
                {h.effect === 'retracted' && <span className="sal-tag"> {t('panel.historyRetracted')}</span>}
                {h.effect === 'ignored' && <span className="sal-tag"> {t('panel.historyIgnored')}</span>}
                {comment ? <p className="sal-history__comment">{comment}</p> : null}
              </li>
            );
          })}
        </ol>
      )}
    </details>
  );
}
