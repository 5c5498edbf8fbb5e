import { useId, useRef, useState, type FormEvent, type KeyboardEvent, type Ref } from 'react';
import type { SalDefinition } from '../../lib/domain/definition';
import { validateRejection } from '../../lib/domain/definition';
import type { Temperature } from '../../lib/domain/events';
import type { Lang, Translate } from '../../lib/i18n';
import { CommentField, TemperatureField, optionalNotes } from './fields';
import { isUserGesture } from './gesture';

export interface RejectFormProps {
  definition: SalDefinition;
  t: Translate;
  lang: Lang;
  saving: boolean;
  onSubmit(payload: { reasonCode: string; temperature?: Temperature; comment?: string }): void;
  onCancel(): void;
  /** The form element (its first field is focused when the form was opened from the keyboard or a click). */
  ref?: Ref<HTMLFormElement>;
}

/**
 * Reject with a reason from the definition's list (configurable per team), a temperature and a
 * comment; a reason configured `commentRequired` (その他 by default) is refused without one,
 * with the message next to the comment box.
 */
export function RejectForm({ definition, t, lang, saving, onSubmit, onCancel, ref }: RejectFormProps) {
  const [reason, setReason] = useState('');
  const [comment, setComment] = useState('');
  const [temperature, setTemperature] = useState<Temperature | undefined>(undefined);
  const [error, setError] = useState<{ field: 'reason' | 'comment'; text: string } | null>(null);
  const reasonId = useId();
  const reasonRef = useRef<HTMLSelectElement>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const errorId = useId();
  const needsComment = definition.rejectReasons.find((r) => r.code === reason)?.commentRequired ?? false;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!isUserGesture(event)) return;
    // a refusal takes the rep to the field to fix (its message is its description)
    const refuse = (field: 'reason' | 'comment', text: string) => {
      setError({ field, text });
      (field === 'reason' ? reasonRef : commentRef).current?.focus();
    };
    if (!reason) return refuse('reason', t('panel.reasonRequired'));
    const invalid = validateRejection(definition, reason, comment);
    if (invalid === 'comment_required') return refuse('comment', t('panel.commentRequired'));
    if (invalid) return refuse('reason', t('panel.reasonRequired'));
    setError(null);
    onSubmit({ reasonCode: reason, ...optionalNotes(temperature, comment) });
  };

  return (
    // Escape closes the form like キャンセル (listed in the panel's keyboard help)
    <form ref={ref} className="sal-form sal-reject" onSubmit={submit} onKeyDown={(e: KeyboardEvent) => e.key === 'Escape' && !saving && onCancel()} noValidate aria-label={t('panel.reject')}>
      <div className="sal-field">
        <label htmlFor={reasonId}>{t('panel.rejectReason')}</label>
        <select
          ref={reasonRef}
          id={reasonId}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={error?.field === 'reason' || undefined}
          aria-describedby={error?.field === 'reason' ? errorId : undefined}
        >
          <option value="">{t('panel.chooseReason')}</option>
          {definition.rejectReasons.map((r) => (
            <option key={r.code} value={r.code}>
              {r.label[lang]}
            </option>
          ))}
        </select>
      </div>
      <TemperatureField value={temperature} onChange={setTemperature} t={t} />
      <CommentField
        label={needsComment ? `${t('panel.rejectCommentOptional')} *` : t('panel.decisionComment')}
        value={comment}
        onChange={setComment}
        ref={commentRef}
        invalid={error?.field === 'comment'}
        describedBy={error?.field === 'comment' ? errorId : undefined}
      />
      {error && (
        <p id={errorId} className="sal-error" role="alert">
          {error.text}
        </p>
      )}
      <div className="sal-actions">
        <button type="submit" className="sal-btn sal-btn--destructive" disabled={saving}>
          {t('panel.confirmReject')}
        </button>
        <button type="button" className="sal-btn" onClick={onCancel} disabled={saving}>
          {t('panel.cancel')}
        </button>
      </div>
    </form>
  );
}
