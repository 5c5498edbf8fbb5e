import type { SalDefinition } from '../../lib/domain/definition';
import type { Actor } from '../../lib/domain/events';
import { UNKNOWN_SOURCE } from '../../lib/domain/kpis';
import type { ReviewGroup } from '../../lib/domain/review';
import type { SlaClockKind } from '../../lib/domain/sla-clocks';
import { createDateTimeFormat } from '../../lib/format/time';
import { reasonLabel, type Lang, type MessageKey, type Translate } from '../../lib/i18n';
import { RECYCLE_REASONS } from '../panel/AcceptedSection';

/** What the meeting view and its CSV call things, in one place so both say the same. */
export interface ReviewLabels {
  /** A group's heading detail: the reject reason's label (the definition's, else the built-in one), the recycle reason, the clock. */
  detail(group: Pick<ReviewGroup, 'reason' | 'detail'>): string;
  source(key: string): string;
  /** The actor's name; "you" for the viewer (a local-only actor has no name). */
  actor(actor: Actor): string;
  /** An instant in the viewer's time zone (one formatter for the whole render). */
  dateTime(at: Date): string;
}

/** The labels of one render (make them again when the data or the language changes). `meId`: the viewer's actor id, if known. */
export function reviewLabels(t: Translate, lang: Lang, definition: SalDefinition, meId?: string): ReviewLabels {
  return {
    dateTime: createDateTimeFormat(lang),
    detail({ reason, detail }) {
      if (reason === 'rejected') return reasonLabel(t, detail, definition.rejectReasons.find((r) => r.code === detail)?.label, lang);
      if (reason === 'recycled') return (RECYCLE_REASONS as readonly string[]).includes(detail) ? t(`recycle.${detail as (typeof RECYCLE_REASONS)[number]}`) : detail;
      if (reason === 'overdue') return t(`clock.${detail as SlaClockKind}` as MessageKey);
      return '';
    },
    source: (key) => (key === UNKNOWN_SOURCE ? t('msla.unknownSource') : key),
    actor: (actor) => (actor.id === meId ? t('panel.you') : actor.name || actor.id),
  };
}
