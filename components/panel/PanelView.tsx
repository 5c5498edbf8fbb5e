import { useRef, useState } from 'react';
import type { LeadState, Decision } from '../../lib/domain/lifecycle';
import { canRetract } from '../../lib/domain/lifecycle';
import type { SlaClock } from '../../lib/domain/sla-clocks';
import type { SalDefinition } from '../../lib/domain/definition';
import type { EventDraft } from '../../lib/messaging/protocol';
import type { PageLeadRead } from '../../lib/crm/types';
import { SNAPSHOT_FIELDS } from '../../lib/crm/lead-fields';
import type { Lang, Translate } from '../../lib/i18n';
import { formatDateTime, formatDuration } from '../../lib/format/time';
import { ClockList } from './ClockList';
import { RejectForm } from './RejectForm';
import { PendingSection } from './PendingSection';
import { AcceptedSection } from './AcceptedSection';
import { SalesOriginForm } from './SalesOriginForm';
import { HistoryList, actorLabel } from './HistoryList';
import { isUserGesture } from './gesture';
import { decisionErrorText, type DecisionFailure } from './decision-error';
import { useDisclosureFocus, useFocusKeeper } from './focus';
import { useAnnouncements, type RecordedDecision } from './announcements';
import { ShortcutHelp } from './ShortcutHelp';
import { HandoffSource } from './HandoffSource';
import { HandoffForm } from './HandoffForm';
import { canRecord, type Role } from '../../lib/domain/roles';

export interface PanelViewProps {
  t: Translate;
  lang: Lang;
  /** undefined while loading; null when the page has no lead (yet) */
  read: PageLeadRead | null | undefined;
  state: LeadState | null;
  clocks: readonly SlaClock[];
  definition: SalDefinition;
  actorId: string | undefined;
  /** The instant the countdowns and the undo window are computed at. */
  now: Date;
  /** A decision is being written and has taken a while: its controls are disabled, and it says so. */
  saving: boolean;
  /** The last decision sent from this panel that was recorded (a new one is announced); none by default. */
  recorded?: RecordedDecision | null;
  /** Why the last decision was not recorded (shown until the next attempt). */
  error: DecisionFailure | null;
  onDecide(draft: EventDraft): void;
  /** The browser's shortcut that focuses this panel from the CRM page ('' when unassigned); undefined: not known. */
  focusShortcut?: string;
  /**
   * The signed-in member's role; null or absent in local-only mode (one person, every sales
   * action, as before roles). A role that may hand over (marketer, admin) gets the hand-off form;
   * one that may not decide (marketer) sees no 受領 / 却下.
   */
  role?: Role | null;
  /** Where the lead's decisions stand in the CRM (`WritebackStatusList`), shown under the decision. */
  writeback?: React.ReactNode;
}

/** One rep's standing decision: who, when, reason, temperature and comment (all as text). */
export function DecisionLine({ decision, t, lang, actorId, definition }: { decision: Decision; t: Translate; lang: Lang; actorId: string | undefined; definition: SalDefinition }) {
  const actor = actorLabel(decision.actor, actorId, t);
  const at = formatDateTime(decision.at, lang);
  const reason = decision.reasonCode ? (definition.rejectReasons.find((r) => r.code === decision.reasonCode)?.label[lang] ?? decision.reasonCode) : null;
  return (
    <div className={`sal-decision sal-decision--${decision.kind}`} data-decision={decision.kind}>
      <p>{t(decision.kind === 'accepted' ? 'panel.acceptedBy' : 'panel.rejectedBy', { actor, at })}</p>
      {reason && <p className="sal-decision__reason">{reason}</p>}
      {decision.temperature && <p className={`sal-temp sal-temp--${decision.temperature}`}>{t('panel.temperatureLabel', { value: t(`temperature.${decision.temperature}`) })}</p>}
      {decision.comment && <p className="sal-decision__comment">{decision.comment}</p>}
    </div>
  );
}

/** Undo of the viewer's own latest event while the definition's undo window is open. */
function UndoBar({
  state,
  actorId,
  now,
  definition,
  t,
  saving,
  onDecide,
}: {
  state: LeadState;
  actorId: string | undefined;
  now: Date;
  definition: SalDefinition;
  t: Translate;
  saving: boolean;
  onDecide(d: EventDraft): void;
}) {
  if (!actorId) return null;
  const can = canRetract(state, actorId, now, definition);
  if (!can.ok) return null;
  const entry = state.history.find((h) => h.event.id === can.eventId);
  if (!entry) return null;
  const left = definition.undoWindowMinutes * 60_000 - (now.getTime() - entry.at.getTime());
  const label = t('panel.undoLabel', { action: t(`event.${entry.event.type}`), time: formatDuration(left, t) });
  return (
    <div className="sal-undo">
      <span className="sal-hint">{label}</span>
      <button
        type="button"
        className="sal-btn sal-btn--small"
        aria-label={label}
        disabled={saving}
        onClick={(e) => isUserGesture(e) && onDecide({ type: 'retracted', payload: { targetEventId: can.eventId } })}
      >
        {t('panel.undo')}
      </button>
    </div>
  );
}

/** Contested: both sides are shown; the viewer can change their own decision to align. */
function ContestedSection({ t, lang, definition, saving, onDecide }: { t: Translate; lang: Lang; definition: SalDefinition; saving: boolean; onDecide(d: EventDraft): void }) {
  const [rejecting, setRejecting] = useState(false);
  const { formRef, returnTo, opening, closing } = useDisclosureFocus<HTMLButtonElement>();
  return (
    <div className="sal-contested">
      <p className="sal-warning" role="note">
        {t('panel.contestedNote')}
      </p>
      {rejecting ? (
        <RejectForm
          ref={formRef}
          definition={definition}
          t={t}
          lang={lang}
          saving={saving}
          onCancel={() => {
            closing();
            setRejecting(false);
          }}
          onSubmit={(payload) => onDecide({ type: 'rejected', payload })}
        />
      ) : (
        <div className="sal-actions" role="group" aria-label={t('panel.changeDecision')}>
          <button type="button" className="sal-btn sal-btn--brand" disabled={saving} onClick={(e) => isUserGesture(e) && onDecide({ type: 'accepted', payload: { checklist: {} } })}>
            {t('panel.accept')}
          </button>
          <button
            ref={returnTo}
            type="button"
            className="sal-btn"
            disabled={saving}
            onClick={(e) => {
              if (!isUserGesture(e)) return;
              opening();
              setRejecting(true);
            }}
          >
            {t('panel.reject')}
          </button>
        </div>
      )}
    </div>
  );
}

/**
 * The rep's panel for one lead, one layout per lifecycle state: untracked (register a
 * sales-originated SAL), pending (checklist, data checks, 受領 / 却下), accepted (contacts,
 * status updates, outcome), rejected (reason; reopen), contested (both sides), closed. The SLA
 * clocks, undo and the history are shown in every state.
 */
export function PanelView(props: PanelViewProps) {
  const { t, read } = props;
  if (read === undefined) return <p className="sal-muted">{t('panel.loading')}</p>;
  if (read === null) return <p className="sal-muted">{t('panel.noLead')}</p>;
  return <PanelCard {...props} read={read} />;
}

function PanelCard(props: PanelViewProps & { read: PageLeadRead }) {
  const { t, lang, read, state, clocks, definition, actorId, now, saving, error, focusShortcut, onDecide } = props;
  const card = useRef<HTMLElement>(null);
  const statusRef = useRef<HTMLSpanElement>(null);
  const errorRef = useRef<HTMLParagraphElement>(null);
  const live = useAnnouncements({ t, lang, definition, clocks, recorded: props.recorded ?? null, error, leadId: read.recordId });
  // the rep's focus never drops to <body>: to the error when there is one, else to the new status
  useFocusKeeper(card, () => errorRef.current ?? statusRef.current);

  const status = state?.status ?? 'untracked';
  const title = [read.lead.name, read.lead.company].filter(Boolean).join(' · ');
  const readable = read.status !== 'none';
  const role = props.role ?? null;
  // the same rule the server applies (canRecord): offer only what this member's role may record
  const mayDecide = role === null || canRecord(role, 'accepted', definition.rolePermissions);
  const mayHandOver = role !== null && canRecord(role, 'handed_over', definition.rolePermissions);
  const handoffForm = mayHandOver ? <HandoffForm t={t} saving={saving} onDecide={onDecide} /> : null;
  const section = (() => {
    if (!readable) return null;
    switch (status) {
      case 'untracked':
        return (
          <>
            {handoffForm}
            {mayDecide && <SalesOriginForm t={t} saving={saving} onDecide={onDecide} />}
          </>
        );
      case 'pending':
        return mayDecide ? <PendingSection read={read} definition={definition} t={t} lang={lang} saving={saving} onDecide={onDecide} /> : <p className="sal-muted">{t('handoff.waiting')}</p>;
      case 'accepted':
      case 'contacted':
      case 'qualified':
        return <AcceptedSection key={state?.acceptedAt?.getTime()} state={state!} t={t} saving={saving} onDecide={onDecide} />;
      case 'rejected':
        if (!mayDecide) return handoffForm;
        return (
          <div className="sal-actions">
            <button type="button" className="sal-btn" aria-describedby="sal-reopen-hint" disabled={saving} onClick={(e) => isUserGesture(e) && onDecide({ type: 'reopened', payload: {} })}>
              {t('panel.reopen')}
            </button>
            <span id="sal-reopen-hint" className="sal-hint">
              {t('panel.reopenHint')}
            </span>
          </div>
        );
      case 'contested':
        return <ContestedSection t={t} lang={lang} definition={definition} saving={saving} onDecide={onDecide} />;
      case 'recycled':
      case 'won':
      case 'lost':
        return (
          <>
            <p className="sal-muted">
              {t('panel.closedNote', { status: t(`status.${status}`) })}
              {state?.closeReason ? ` ${t('panel.closeReason', { reason: state.closeReason })}` : ''}
            </p>
            {/* a recycled or lost lead can start a new cycle; a won one is final */}
            {status !== 'won' && handoffForm}
          </>
        );
    }
  })();

  return (
    <section ref={card} className="sal-card" aria-labelledby="sal-title">
      <header className="sal-card__header">
        <h2 id="sal-title" className="sal-card__title">
          SAL Bridge{title ? <span className="sal-card__lead"> — {title}</span> : null}
        </h2>
        {/* focusable by script only: where focus lands after a decision, so the new status is read */}
        <span ref={statusRef} tabIndex={-1} className={`sal-pill sal-pill--${status}`} data-testid="lead-status">
          {t(`status.${status}`)}
        </span>
      </header>
      {state?.salesOriginated && state.signal && (
        <p className="sal-tag sal-tag--origin" data-testid="sales-originated">
          {t('panel.salesOriginatedTag', { signal: t(`signal.${state.signal}`) })}
        </p>
      )}

      {read.status === 'none' && (
        <p className="sal-warning" role="alert">
          {t('panel.readFailed')}
        </p>
      )}
      {read.status === 'partial' && read.missing.length > 0 && (
        <p className="sal-warning" role="status">
          {t('panel.readPartial', { fields: read.missing.map((f) => (isField(f) ? t(`field.${f}`) : f)).join(', ') })}
        </p>
      )}

      <ClockList clocks={clocks} t={t} lang={lang} definition={definition} />

      {state?.decisions.map((d) => (
        <DecisionLine key={d.eventId} decision={d} t={t} lang={lang} actorId={actorId} definition={definition} />
      ))}

      {status === 'pending' && state?.handOver && <HandoffSource handOver={state.handOver} t={t} lang={lang} />}

      {section}

      {state && <UndoBar state={state} actorId={actorId} now={now} definition={definition} t={t} saving={saving} onDecide={onDecide} />}

      {saving && <p className="sal-muted">{t('panel.saving')}</p>}
      {error && (
        // read out by the live region below; focusable so focus can rest on it after a refusal
        <p ref={errorRef} tabIndex={-1} className="sal-error" data-testid="decision-error">
          {decisionErrorText(t, error)}
        </p>
      )}

      {props.writeback}

      {state && <HistoryList history={state.history} definition={definition} actorId={actorId} t={t} lang={lang} />}
      <ShortcutHelp t={t} focusShortcut={focusShortcut} />
      {/* one polite live region, present from the start: each decision, refusal and clock alarm is read once */}
      <p className="sal-visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="panel-announcer">
        {live}
      </p>
    </section>
  );
}

// the fields with a label (`field.*` in the locale files): the snapshot's
function isField(f: string): f is (typeof SNAPSHOT_FIELDS)[number] {
  return (SNAPSHOT_FIELDS as readonly string[]).includes(f);
}
