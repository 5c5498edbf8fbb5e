import { useId, useState, type FormEvent, type KeyboardEvent, type MouseEvent, type Ref } from 'react';
import { ContactChannelSchema, type ContactChannel } from '../../lib/domain/events';
import type { LeadState } from '../../lib/domain/lifecycle';
import type { EventDraft } from '../../lib/messaging/protocol';
import type { Translate } from '../../lib/i18n';
import { CommentField } from './fields';
import { isUserGesture } from './gesture';
import { useDisclosureFocus } from './focus';

/** Reasons offered when sending a lead back to nurture (stored as the code). */
export const RECYCLE_REASONS = ['not_ready', 'no_response', 'low_priority', 'other'] as const;

type OpenForm = 'contact' | 'status' | 'recycle' | 'lost' | null;

export interface AcceptedSectionProps {
  state: LeadState;
  t: Translate;
  saving: boolean;
  onDecide(draft: EventDraft): void;
}

/**
 * Work on an accepted lead: log contacts (the first one stops the 48-hour clock), status
 * updates (restart the weekly clock), then the outcome: SQL化, back to nurture, won, lost.
 * Actions the lifecycle would refuse are disabled with the reason, not hidden, so the rep
 * learns the order (contact first, then SQL / won).
 */
export function AcceptedSection({ state, t, saving, onDecide }: AcceptedSectionProps) {
  const firstContactDone = state.firstContactAt !== undefined;
  const [open, setOpen] = useState<OpenForm>(firstContactDone ? null : 'contact');
  // a form opened by its button gets focus on its first field; closed, focus goes back to that button
  const { formRef, returnTo, opening, closing } = useDisclosureFocus<HTMLButtonElement>();
  const toggle = (form: Exclude<OpenForm, null>) => (e: MouseEvent<HTMLButtonElement>) => {
    returnTo(e.currentTarget);
    if (open === form) return setOpen(null);
    opening();
    setOpen(form);
  };
  const close = () => {
    closing();
    setOpen(null);
  };
  const submitted = (draft: EventDraft) => {
    onDecide(draft);
    close();
  };
  const contacted = state.status === 'contacted' || state.status === 'qualified';
  const hintId = useId();

  return (
    <div className="sal-accepted">
      <div className="sal-actions sal-actions--wrap" role="group" aria-label={t('panel.outcome')}>
        <button type="button" className={`sal-btn${!firstContactDone ? ' sal-btn--brand' : ''}`} aria-expanded={open === 'contact'} onClick={toggle('contact')}>
          {firstContactDone ? t('panel.logContact') : t('panel.firstContact')}
        </button>
        <button type="button" className="sal-btn" aria-expanded={open === 'status'} onClick={toggle('status')}>
          {t('panel.statusUpdate')}
        </button>
        {state.status !== 'qualified' && (
          <button
            type="button"
            className="sal-btn"
            disabled={saving || state.status !== 'contacted'}
            aria-describedby={!contacted ? hintId : undefined}
            onClick={(e) => isUserGesture(e) && onDecide({ type: 'qualified', payload: {} })}
          >
            {t('panel.qualify')}
          </button>
        )}
        <button type="button" className="sal-btn" aria-expanded={open === 'recycle'} onClick={toggle('recycle')}>
          {t('panel.recycle')}
        </button>
        <button
          type="button"
          className="sal-btn"
          disabled={saving || !contacted}
          aria-describedby={!contacted ? hintId : undefined}
          onClick={(e) => isUserGesture(e) && onDecide({ type: 'won', payload: {} })}
        >
          {t('panel.won')}
        </button>
        <button type="button" className="sal-btn" aria-expanded={open === 'lost'} onClick={toggle('lost')}>
          {t('panel.lost')}
        </button>
      </div>
      {!contacted && (
        <p id={hintId} className="sal-hint">
          {t('panel.qualifyHint')}
        </p>
      )}
      {open === 'contact' && <ContactForm formRef={formRef} t={t} saving={saving} first={!firstContactDone} onSubmit={submitted} onCancel={close} />}
      {open === 'status' && <StatusForm formRef={formRef} t={t} saving={saving} onSubmit={submitted} onCancel={close} />}
      {open === 'recycle' && <RecycleForm formRef={formRef} t={t} saving={saving} onSubmit={submitted} onCancel={close} />}
      {open === 'lost' && <LostForm formRef={formRef} t={t} saving={saving} onSubmit={submitted} onCancel={close} />}
    </div>
  );
}

interface FormProps {
  t: Translate;
  saving: boolean;
  onSubmit(draft: EventDraft): void;
  onCancel?(): void;
  formRef?: Ref<HTMLFormElement>;
}

/** Escape closes a follow-up form like its cancel button (listed in the panel's keyboard help). */
function escapeCloses(onCancel: (() => void) | undefined) {
  return (e: KeyboardEvent) => {
    if (e.key === 'Escape' && onCancel) onCancel();
  };
}

function guard(handler: () => void) {
  return (e: FormEvent) => {
    e.preventDefault();
    if (isUserGesture(e)) handler();
  };
}

function ContactForm({ t, saving, first, onSubmit, onCancel, formRef }: FormProps & { first: boolean }) {
  const [channel, setChannel] = useState<ContactChannel>('call');
  const [comment, setComment] = useState('');
  const name = useId();
  const label = first ? t('panel.firstContact') : t('panel.logContact');
  return (
    <form
      ref={formRef}
      onKeyDown={escapeCloses(onCancel)}
      className="sal-form"
      aria-label={label}
      onSubmit={guard(() => onSubmit({ type: 'contacted', payload: { channel, ...(comment.trim() ? { comment: comment.trim() } : {}) } }))}
    >
      <fieldset className="sal-field">
        <legend>{t('panel.channel')}</legend>
        <div className="sal-segmented">
          {ContactChannelSchema.options.map((c) => (
            <label key={c} className="sal-segment">
              <input type="radio" name={name} value={c} checked={channel === c} onChange={() => setChannel(c)} />
              <span>{t(`channel.${c}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <CommentField label={t('panel.decisionComment')} value={comment} onChange={setComment} />
      <FormActions submitLabel={t('panel.recordContact')} saving={saving} />
    </form>
  );
}

function StatusForm({ t, saving, onSubmit, onCancel, formRef }: FormProps) {
  const [note, setNote] = useState('');
  const [error, setError] = useState(false);
  const errorId = useId();
  return (
    <form
      ref={formRef}
      onKeyDown={escapeCloses(onCancel)}
      className="sal-form"
      aria-label={t('panel.statusUpdate')}
      noValidate
      onSubmit={guard(() => {
        if (!note.trim()) return setError(true);
        onSubmit({ type: 'progress_updated', payload: { note: note.trim() } });
      })}
    >
      <CommentField label={t('panel.statusNote')} value={note} onChange={setNote} invalid={error} describedBy={error ? errorId : undefined} />
      {error && (
        <p id={errorId} className="sal-error" role="alert">
          {t('panel.statusNoteRequired')}
        </p>
      )}
      <FormActions submitLabel={t('panel.saveStatus')} cancelLabel={t('panel.cancel')} saving={saving} onCancel={onCancel} />
    </form>
  );
}

function RecycleForm({ t, saving, onSubmit, onCancel, formRef }: FormProps) {
  const [reason, setReason] = useState<(typeof RECYCLE_REASONS)[number]>('not_ready');
  const [comment, setComment] = useState('');
  const id = useId();
  return (
    <form
      ref={formRef}
      onKeyDown={escapeCloses(onCancel)}
      className="sal-form"
      aria-label={t('panel.recycle')}
      onSubmit={guard(() => onSubmit({ type: 'recycled', payload: { reason, ...(comment.trim() ? { comment: comment.trim() } : {}) } }))}
    >
      <div className="sal-field">
        <label htmlFor={id}>{t('panel.recycleReason')}</label>
        <select id={id} value={reason} onChange={(e) => setReason(e.target.value as (typeof RECYCLE_REASONS)[number])}>
          {RECYCLE_REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`recycle.${r}`)}
            </option>
          ))}
        </select>
      </div>
      <CommentField label={t('panel.decisionComment')} value={comment} onChange={setComment} />
      <FormActions submitLabel={t('panel.confirmRecycle')} cancelLabel={t('panel.cancel')} saving={saving} onCancel={onCancel} />
    </form>
  );
}

function LostForm({ t, saving, onSubmit, onCancel, formRef }: FormProps) {
  const [reason, setReason] = useState('');
  const id = useId();
  return (
    <form
      ref={formRef}
      onKeyDown={escapeCloses(onCancel)}
      className="sal-form"
      aria-label={t('panel.lost')}
      onSubmit={guard(() => onSubmit({ type: 'lost', payload: reason.trim() ? { reason: reason.trim() } : {} }))}
    >
      <div className="sal-field">
        <label htmlFor={id}>{t('panel.lostReason')}</label>
        <input id={id} type="text" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className="sal-actions">
        <button type="submit" className="sal-btn sal-btn--destructive" disabled={saving}>
          {t('panel.confirmLost')}
        </button>
        <button type="button" className="sal-btn" onClick={onCancel}>
          {t('panel.cancel')}
        </button>
      </div>
    </form>
  );
}

/** A follow-up form's buttons: submit (disabled while saving) and, where the form can be closed, cancel. */
function FormActions({ submitLabel, cancelLabel, saving, onCancel }: { submitLabel: string; cancelLabel?: string; saving: boolean; onCancel?: () => void }) {
  return (
    <div className="sal-actions">
      <button type="submit" className="sal-btn sal-btn--brand" disabled={saving}>
        {submitLabel}
      </button>
      {onCancel && cancelLabel && (
        <button type="button" className="sal-btn" onClick={onCancel}>
          {cancelLabel}
        </button>
      )}
    </div>
  );
}
