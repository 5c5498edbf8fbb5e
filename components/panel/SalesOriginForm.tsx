import { useId, useRef, useState, type FormEvent } from 'react';
import { SalesSignalSchema, type SalesSignal, type Temperature } from '../../lib/domain/events';
import type { EventDraft } from '../../lib/messaging/protocol';
import type { Translate } from '../../lib/i18n';
import { CommentField, TemperatureField, optionalNotes } from './fields';
import { isUserGesture } from './gesture';

/**
 * A lead marketing never handed over: sales can register it as an SAL itself (営業起点),
 * saying which signal made them (ABM target account, intent signal, referral, other).
 */
export function SalesOriginForm({ t, saving, onDecide }: { t: Translate; saving: boolean; onDecide(draft: EventDraft): void }) {
  const [signal, setSignal] = useState<SalesSignal | ''>('');
  const [temperature, setTemperature] = useState<Temperature | undefined>(undefined);
  const [comment, setComment] = useState('');
  const [error, setError] = useState(false);
  const id = useId();
  const errorId = useId();
  const signalRef = useRef<HTMLSelectElement>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!isUserGesture(e)) return;
    if (!signal) {
      setError(true);
      // to the field to fix, described by the message
      return signalRef.current?.focus();
    }
    onDecide({ type: 'sales_originated', payload: { signal, ...optionalNotes(temperature, comment) } });
  };
  return (
    <form className="sal-form" aria-label={t('panel.registerSal')} onSubmit={submit} noValidate>
      <p className="sal-muted">{t('panel.untrackedNote')}</p>
      <div className="sal-field">
        <label htmlFor={id}>{t('panel.signal')}</label>
        <select ref={signalRef} id={id} value={signal} onChange={(e) => setSignal(e.target.value as SalesSignal | '')} aria-invalid={error || undefined} aria-describedby={error ? errorId : undefined}>
          <option value="">{t('panel.chooseSignal')}</option>
          {SalesSignalSchema.options.map((s) => (
            <option key={s} value={s}>
              {t(`signal.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <TemperatureField value={temperature} onChange={setTemperature} t={t} />
      <CommentField label={t('panel.decisionComment')} value={comment} onChange={setComment} />
      {error && (
        <p id={errorId} className="sal-error" role="alert">
          {t('panel.chooseSignal')}
        </p>
      )}
      <div className="sal-actions">
        <button type="submit" className="sal-btn sal-btn--brand" disabled={saving}>
          {t('panel.registerSal')}
        </button>
      </div>
    </form>
  );
}
