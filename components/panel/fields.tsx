import { useId, type Ref } from 'react';
import { TemperatureSchema, type Temperature } from '../../lib/domain/events';
import type { Translate } from '../../lib/i18n';

/** Hot / warm / cold as a radio group; "not set" is a real choice (temperature is optional). */
export function TemperatureField({ value, onChange, t }: { value: Temperature | undefined; onChange(v: Temperature | undefined): void; t: Translate }) {
  const name = useId();
  return (
    <fieldset className="sal-field sal-temperature">
      <legend>{t('panel.temperature')}</legend>
      <div className="sal-segmented">
        {TemperatureSchema.options.map((temp) => (
          <label key={temp} className={`sal-segment sal-segment--${temp}`}>
            <input type="radio" name={name} value={temp} checked={value === temp} onChange={() => onChange(temp)} />
            <span>{t(`temperature.${temp}`)}</span>
          </label>
        ))}
        <label className="sal-segment">
          <input type="radio" name={name} value="" checked={value === undefined} onChange={() => onChange(undefined)} />
          <span>{t('panel.temperatureNone')}</span>
        </label>
      </div>
    </fieldset>
  );
}

/** A labelled multi-line comment box. */
export function CommentField({
  label,
  value,
  onChange,
  invalid,
  describedBy,
  ref,
}: {
  label: string;
  value: string;
  onChange(v: string): void;
  invalid?: boolean;
  describedBy?: string;
  ref?: Ref<HTMLTextAreaElement>;
}) {
  const id = useId();
  return (
    <div className="sal-field">
      <label htmlFor={id}>{label}</label>
      <textarea ref={ref} id={id} value={value} onChange={(e) => onChange(e.target.value)} rows={2} maxLength={4000} aria-invalid={invalid || undefined} aria-describedby={describedBy} />
    </div>
  );
}

/** Payload fields shared by decisions: only what the rep actually filled in. */
export function optionalNotes(temperature: Temperature | undefined, comment: string): { temperature?: Temperature; comment?: string } {
  const trimmed = comment.trim();
  return { ...(temperature ? { temperature } : {}), ...(trimmed ? { comment: trimmed } : {}) };
}
