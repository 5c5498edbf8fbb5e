import { useState, type FormEvent } from 'react';
import type { EventDraft } from '../../lib/messaging/protocol';
import type { Translate } from '../../lib/i18n';
import { CommentField } from './fields';
import { isUserGesture } from './gesture';

/**
 * A marketer (or admin) hands the lead to sales from the panel, with an optional note. The
 * background names the sender (the signed-in user) and the source (`panel`); the draft's own
 * `by` and `sourceKind` are replaced there, so a panel cannot pass as a CRM rule or an import.
 */
export function HandoffForm({ t, saving, onDecide }: { t: Translate; saving: boolean; onDecide(draft: EventDraft): void }) {
  const [note, setNote] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!isUserGesture(e)) return;
    const trimmed = note.trim();
    onDecide({ type: 'handed_over', payload: { by: '', sourceKind: 'panel', ...(trimmed ? { note: trimmed } : {}) } });
  };
  return (
    <form className="sal-form" aria-label={t('handoff.form.title')} onSubmit={submit} noValidate data-testid="handoff-form">
      <p className="sal-muted">{t('handoff.form.hint')}</p>
      <CommentField label={t('handoff.form.note')} value={note} onChange={setNote} />
      <div className="sal-actions">
        <button type="submit" className="sal-btn sal-btn--brand" disabled={saving}>
          {t('handoff.form.submit')}
        </button>
      </div>
    </form>
  );
}
