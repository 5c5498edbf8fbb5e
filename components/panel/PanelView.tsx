import { useState } from 'react';
import type { LeadState, Decision } from '../../lib/domain/lifecycle';
import type { SlaClock } from '../../lib/domain/clocks';
import type { SalDefinition } from '../../lib/domain/definition';
import type { LeadRead, EventDraft } from '../../lib/messaging/protocol';
import type { Lang, Translate } from '../../lib/i18n';
import { formatDateTime } from '../../lib/format/time';
import { ClockList } from './ClockList';
import { RejectForm } from './RejectForm';
import { isUserGesture } from './gesture';

export interface PanelViewProps {
  t: Translate;
  lang: Lang;
  /** undefined while loading; null when the page has no lead (yet) */
  read: LeadRead | null | undefined;
  state: LeadState | null;
  clocks: readonly SlaClock[];
  definition: SalDefinition;
  actorId: string | undefined;
  saving: boolean;
  error: string | null;
  onDecide(draft: EventDraft): void;
}

function DecisionLine({ decision, t, lang, actorId, definition }: { decision: Decision; t: Translate; lang: Lang; actorId: string | undefined; definition: SalDefinition }) {
  const actor = decision.actor.id === actorId ? t('panel.you') : decision.actor.name || decision.actor.id;
  const at = formatDateTime(decision.at, lang);
  const reason = decision.reasonCode ? definition.rejectReasons.find((r) => r.code === decision.reasonCode)?.label[lang] ?? decision.reasonCode : null;
  return (
    <div className={`sal-decision sal-decision--${decision.kind}`}>
      <p>{t(decision.kind === 'accepted' ? 'panel.acceptedBy' : 'panel.rejectedBy', { actor, at })}</p>
      {reason && <p className="sal-decision__reason">{reason}</p>}
      {decision.comment && <p className="sal-decision__comment">{decision.comment}</p>}
    </div>
  );
}

/** The rep's panel for one lead: what was read, the SLA clocks, and the decision controls. */
export function PanelView(props: PanelViewProps) {
  const { t, lang, read, state, clocks, definition, actorId, saving, error, onDecide } = props;
  const [rejecting, setRejecting] = useState(false);

  if (read === undefined) return <p className="sal-muted">{t('panel.loading')}</p>;
  if (read === null) return <p className="sal-muted">{t('panel.noLead')}</p>;

  const status = state?.status ?? 'untracked';
  const canDecide = status === 'untracked' || status === 'pending';
  const title = [read.lead.name, read.lead.company].filter(Boolean).join(' · ');

  return (
    <section className="sal-card" aria-labelledby="sal-title">
      <header className="sal-card__header">
        <h2 id="sal-title" className="sal-card__title">
          SAL Bridge{title ? <span className="sal-card__lead"> — {title}</span> : null}
        </h2>
        <span className={`sal-pill sal-pill--${status}`} data-testid="lead-status">
          {t(`status.${status}`)}
        </span>
      </header>

      {read.status === 'none' && (
        <p className="sal-warning" role="alert">
          {t('panel.readFailed')}
        </p>
      )}
      {read.status === 'partial' && read.missing.length > 0 && (
        <p className="sal-warning" role="status">
          {t('panel.readPartial', { fields: read.missing.join(', ') })}
        </p>
      )}

      <ClockList clocks={clocks} t={t} lang={lang} />

      {state?.decisions.map((d) => <DecisionLine key={d.eventId} decision={d} t={t} lang={lang} actorId={actorId} definition={definition} />)}

      {canDecide && read.status !== 'none' && !rejecting && (
        <div className="sal-actions">
          <button
            type="button"
            className="sal-btn sal-btn--brand"
            disabled={saving}
            onClick={(e) => {
              // only a real user gesture decides (a synthetic click does nothing)
              if (isUserGesture(e)) onDecide({ type: 'accepted', payload: { checklist: {} } });
            }}
          >
            {t('panel.accept')}
          </button>
          <button type="button" className="sal-btn" disabled={saving} onClick={(e) => isUserGesture(e) && setRejecting(true)}>
            {t('panel.reject')}
          </button>
        </div>
      )}
      {canDecide && rejecting && (
        <RejectForm
          definition={definition}
          t={t}
          lang={lang}
          saving={saving}
          onCancel={() => setRejecting(false)}
          onSubmit={(reasonCode, comment) => {
            onDecide({ type: 'rejected', payload: { reasonCode, ...(comment ? { comment } : {}) } });
            setRejecting(false);
          }}
        />
      )}
      {saving && (
        <p className="sal-muted" role="status">
          {t('panel.saving')}
        </p>
      )}
      {error && (
        <p className="sal-error" role="alert">
          {t('panel.saveFailed', { error })}
        </p>
      )}
    </section>
  );
}
