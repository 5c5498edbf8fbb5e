import type { HandOver } from '../../lib/domain/lifecycle';
import type { Lang, Translate } from '../../lib/i18n';
import { formatDateTime } from '../../lib/format/time';

/**
 * Where the hand-off came from and why, above 受領 / 却下: the source (a CRM rule, a CSV import,
 * the API, a marketer's button, an AI agent), who sent it and when, and the sender's rationale and
 * note, so the rep judges the lead with the sender's reasons in view.
 */
export function HandoffSource({ handOver, t, lang }: { handOver: HandOver; t: Translate; lang: Lang }) {
  const kind = handOver.sourceKind ?? 'unspecified';
  const r = handOver.rationale;
  // a rule hand-off's sender is the rule itself: its name says nothing more than the source does
  const by = handOver.sourceKind === 'crm-rule' ? null : handOver.by;
  return (
    <section className="sal-handoff" aria-label={t('handoff.source.title')} data-testid="handoff-source" data-source-kind={kind}>
      <p className="sal-handoff__source">
        <span className="sal-tag">{t(`handoff.sourceKind.${kind}`)}</span> {by ? t('handoff.byAt', { by, at: formatDateTime(handOver.at, lang) }) : formatDateTime(handOver.at, lang)}
      </p>
      {(r?.why || r?.score !== undefined || r?.intentTopic || handOver.note) && (
        <ul className="sal-handoff__rationale">
          {r?.why && <li>{t('handoff.why', { why: r.why })}</li>}
          {r?.score !== undefined && <li>{t('handoff.score', { score: r.score })}</li>}
          {r?.intentTopic && <li>{t('handoff.intentTopic', { topic: r.intentTopic })}</li>}
          {handOver.note && <li>{t('handoff.note', { note: handOver.note })}</li>}
        </ul>
      )}
    </section>
  );
}
