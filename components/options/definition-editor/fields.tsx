import type { ReactNode } from 'react';
import type { DefinitionPath, DefinitionProblem } from '../../../lib/domain/definition-diff';
import type { Lang, Translate } from '../../../lib/i18n';
import { fieldLabel, problemMessage } from './messages';

/** What every field of the form needs: words, ids, and the problems found at its path. */
export interface FormContext {
  t: Translate;
  lang: Lang;
  /** Prefix of every id in this editor (one `useId` per editor). */
  idBase: string;
  problems: readonly DefinitionProblem[];
  /** Moves the focus to the control at `path` once it is rendered (a row just added). */
  focusLater(path: DefinitionPath): void;
}

const key = (path: DefinitionPath) => path.join('.');

/** The id of the control at `path` (the validation summary links to it). */
export const controlId = (ctx: Pick<FormContext, 'idBase'>, path: DefinitionPath) => `${ctx.idBase}-${path.join('-').replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** The problems found exactly at `path`, as text. */
export function problemsAt(ctx: FormContext, path: DefinitionPath): string[] {
  const k = key(path);
  return ctx.problems.filter((p) => key(p.path) === k).map((p) => problemMessage(p, ctx.t));
}

/** The invalid state and description of a control, and the message element it points to. */
function useErrors(ctx: FormContext, path: DefinitionPath, errorPaths: readonly DefinitionPath[] = []) {
  const messages = [path, ...errorPaths].flatMap((p) => problemsAt(ctx, p));
  const errorId = `${controlId(ctx, path)}-error`;
  return {
    attrs: messages.length > 0 ? { 'aria-invalid': true as const, 'aria-describedby': errorId } : {},
    message:
      messages.length > 0 ? (
        <p id={errorId} className="sal-error sal-def__error">
          {messages.join(' ')}
        </p>
      ) : null,
  };
}

/**
 * A field's label. In a row (`compact`), the part before the last ": " ("却下理由 3: ") is read
 * by screen readers but not shown: the row's group already says it, and every accessible name
 * stays unique on the page.
 */
function LabelText({ text, compact }: { text: string; compact?: boolean }) {
  const cut = compact ? text.lastIndexOf(': ') : -1;
  if (cut < 0) return <>{text}</>;
  return (
    <>
      <span className="sal-visually-hidden">{text.slice(0, cut + 2)}</span>
      {text.slice(cut + 2)}
    </>
  );
}

interface FieldProps {
  ctx: FormContext;
  /** Where the value lives in the definition (labels, ids and problems come from it). */
  path: DefinitionPath;
  /** Other paths whose problems this control shows (a refinement on its parent object). */
  errorPaths?: readonly DefinitionPath[];
  /** A label other than the path's. */
  label?: string;
  hint?: string;
  disabled?: boolean;
  /** In a row of a list: show only the last part of the label (see `LabelText`). */
  compact?: boolean;
}

/** A labelled text input; `onChange` gets the text as typed. */
export function TextField({
  ctx,
  path,
  errorPaths,
  label,
  hint,
  compact,
  value,
  onChange,
  placeholder,
  inputMode,
  disabled,
}: FieldProps & { value: string; onChange(v: string): void; placeholder?: string; inputMode?: 'numeric' | 'text' }) {
  const id = controlId(ctx, path);
  const { attrs, message } = useErrors(ctx, path, errorPaths);
  return (
    <div className="sal-field sal-def__field">
      <label htmlFor={id}>
        <LabelText text={label ?? fieldLabel(path, ctx.t)} compact={compact} />
      </label>
      <input id={id} type="text" value={value} placeholder={placeholder} inputMode={inputMode} disabled={disabled} onChange={(e) => onChange(e.target.value)} {...attrs} />
      {hint && <span className="sal-hint">{hint}</span>}
      {message}
    </div>
  );
}

/** A labelled number input; an empty input is NaN (the validation names it). */
export function NumberField({
  ctx,
  path,
  errorPaths,
  label,
  hint,
  compact,
  value,
  onChange,
  step,
  min,
  disabled,
}: FieldProps & { value: number | null; onChange(v: number): void; step?: number; min?: number }) {
  const id = controlId(ctx, path);
  const { attrs, message } = useErrors(ctx, path, errorPaths);
  return (
    <div className="sal-field sal-def__field">
      <label htmlFor={id}>
        <LabelText text={label ?? fieldLabel(path, ctx.t)} compact={compact} />
      </label>
      <input
        id={id}
        type="number"
        value={value === null || Number.isNaN(value) ? '' : value}
        step={step}
        min={min}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value.trim() === '' ? Number.NaN : Number(e.target.value))}
        {...attrs}
      />
      {hint && <span className="sal-hint">{hint}</span>}
      {message}
    </div>
  );
}

/** A labelled checkbox. */
export function CheckField({ ctx, path, errorPaths, label, compact, checked, onChange, disabled }: FieldProps & { checked: boolean; onChange(v: boolean): void }) {
  const id = controlId(ctx, path);
  const { attrs, message } = useErrors(ctx, path, errorPaths);
  return (
    <div className="sal-def__check">
      <input id={id} type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} {...attrs} />
      <label htmlFor={id}>
        <LabelText text={label ?? fieldLabel(path, ctx.t)} compact={compact} />
      </label>
      {message}
    </div>
  );
}

/** A labelled select of `options` (value, text). */
export function SelectField<V extends string>({
  ctx,
  path,
  errorPaths,
  label,
  compact,
  value,
  options,
  onChange,
  disabled,
}: FieldProps & { value: V; options: ReadonlyArray<readonly [V, string]>; onChange(v: V): void }) {
  const id = controlId(ctx, path);
  const { attrs, message } = useErrors(ctx, path, errorPaths);
  return (
    <div className="sal-field sal-def__field">
      <label htmlFor={id}>
        <LabelText text={label ?? fieldLabel(path, ctx.t)} compact={compact} />
      </label>
      <select id={id} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as V)} {...attrs}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
      {message}
    </div>
  );
}

/** A fieldset with a legend, and the problems of the whole group (an empty list, duplicates). */
export function Group({ ctx, path, legend, children, className }: { ctx: FormContext; path?: DefinitionPath; legend: string; children: ReactNode; className?: string }) {
  const messages = path ? problemsAt(ctx, path) : [];
  const errorId = path ? `${controlId(ctx, path)}-error` : undefined;
  return (
    <fieldset className={`sal-def__group ${className ?? ''}`} aria-describedby={messages.length > 0 ? errorId : undefined}>
      <legend>{legend}</legend>
      {children}
      {messages.length > 0 && (
        <p id={errorId} className="sal-error sal-def__error">
          {messages.join(' ')}
        </p>
      )}
    </fieldset>
  );
}

/** A small button that removes a list item (its name says which). */
export function RemoveButton({ label, onClick }: { label: string; onClick(): void }) {
  return (
    <button type="button" className="sal-btn sal-btn--small" onClick={onClick} aria-label={label} title={label}>
      ×
    </button>
  );
}
