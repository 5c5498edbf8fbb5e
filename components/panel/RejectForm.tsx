import { useId, useState, type FormEvent } from 'react';
import type { SalDefinition } from '../../lib/domain/definition';
import { validateRejection } from '../../lib/domain/definition';
import type { Lang, Translate } from '../../lib/i18n';

export interface RejectFormProps {
  definition: SalDefinition;
  t: Translate;
  lang: Lang;
  saving: boolean;
  onSubmit(reasonCode: string, comment: string): void;
  onCancel(): void;
}

/** Reject with a reason from the definition's list; a comment where the reason requires one. */
export function RejectForm({ definition, t, lang, saving, onSubmit, onCancel }: RejectFormProps) {
  const [reason, setReason] = useState('');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const reasonId = useId();
  const commentId = useId();
  const errorId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason) return setError(t('panel.reasonRequired'));
    const invalid = validateRejection(definition, reason, comment);
    if (invalid === 'comment_required') return setError(t('panel.commentRequired'));
    if (invalid) return setError(t('panel.reasonRequired'));
    setError(null);
    onSubmit(reason, comment.trim());
  };

  return (
    <form className="sal-reject" onSubmit={submit} aria-describedby={error ? errorId : undefined} noValidate>
      <label htmlFor={reasonId}>{t('panel.rejectReason')}</label>
      <select id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={error !== null && !reason}>
        <option value="">{t('panel.chooseReason')}</option>
        {definition.rejectReasons.map((r) => (
          <option key={r.code} value={r.code}>
            {r.label[lang]}
          </option>
        ))}
      </select>
      <label htmlFor={commentId}>{t('panel.comment')}</label>
      <textarea id={commentId} value={comment} onChange={(e) => setComment(e.target.value)} rows={2} maxLength={4000} />
      {error && (
        <p id={errorId} className="sal-error" role="alert">
          {error}
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
