import { useMemo } from 'react';
import type { SalDefinition } from '../../../lib/domain/definition';
import type { DefinitionChange } from '../../../lib/domain/definition-diff';
import { slaDeadline } from '../../../lib/domain/sla-clocks';
import { formatDateTime } from '../../../lib/format/time';
import type { Lang, Translate } from '../../../lib/i18n';
import { changeLine, CLOCKS } from './messages';

/** What changed, one line each: "受領期限: 長さ (時間): 8 営業時間 → 1 時間". */
export function ChangesList({ changes, before, after, t, lang, id }: { changes: readonly DefinitionChange[]; before: SalDefinition; after: SalDefinition; t: Translate; lang: Lang; id?: string }) {
  if (changes.length === 0) return <p className="sal-muted">{t('def.changes.none')}</p>;
  return (
    <ul className="sal-def__changes" id={id}>
      {changes.map((c) => {
        const line = changeLine(c, before, after, t, lang);
        return (
          <li key={c.path.join('/')} data-kind={line.kind}>
            <strong>{line.what}</strong>
            {': '}
            {line.kind === 'added' && (line.after === undefined ? t('def.change.addedPlain') : t('def.change.added', { value: line.after }))}
            {line.kind === 'removed' && (line.before === undefined ? t('def.change.removedPlain') : t('def.change.removed', { value: line.before }))}
            {line.kind === 'changed' &&
              (line.before !== undefined || line.after !== undefined ? t('def.change.fromTo', { before: line.before ?? '', after: line.after ?? '' }) : t('def.change.modified'))}
          </li>
        );
      })}
    </ul>
  );
}

type Deadlines = Record<(typeof CLOCKS)[number], Date | null>;

/** The deadlines a lead handed over (or accepted) at `now` would get; null where the calendar has no working time. */
function deadlinesOf(definition: SalDefinition, now: Date): Deadlines {
  const at = (kind: (typeof CLOCKS)[number]) => {
    try {
      return slaDeadline(now, definition.clocks[kind], definition.calendar);
    } catch {
      return null;
    }
  };
  return { acceptance: at('acceptance'), first_contact: at('first_contact'), status_update: at('status_update') };
}

/**
 * The effect of the edited definition on a lead starting now: "a lead handed over now would be
 * due …" for acceptance, and the first-contact and status-update deadlines of a lead accepted
 * now, each beside the deadline the version in force gives. Computed by `slaDeadline`, the one
 * deadline rule, in the user's local time like the panel shows them.
 */
export function EffectPreview({ candidate, current, now, t, lang }: { candidate: SalDefinition | null; current: SalDefinition; now: Date; t: Translate; lang: Lang }) {
  const next = useMemo(() => (candidate ? deadlinesOf(candidate, now) : null), [candidate, now]);
  const before = useMemo(() => deadlinesOf(current, now), [current, now]);
  if (!next) return <p className="sal-muted">{t('def.preview.invalid')}</p>;
  const fmt = (d: Date | null) => (d ? formatDateTime(d, lang) : t('def.preview.never'));
  return (
    <ul className="sal-def__preview" data-testid="definition-preview">
      {CLOCKS.map((kind) => {
        const changed = next[kind]?.getTime() !== before[kind]?.getTime();
        return (
          <li key={kind}>
            {t(`def.preview.${kind}`, { at: fmt(next[kind]) })}
            {changed && <span className="sal-muted"> {t('def.preview.was', { at: fmt(before[kind]) })}</span>}
          </li>
        );
      })}
    </ul>
  );
}
