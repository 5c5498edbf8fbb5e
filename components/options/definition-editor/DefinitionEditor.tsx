import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { SalDefinition } from '../../../lib/domain/definition';
import { diffDefinitions, type DefinitionPath, type DefinitionProblem } from '../../../lib/domain/definition-diff';
import type { Lang, MessageKey, Translate } from '../../../lib/i18n';
import { formatDateTime } from '../../../lib/format/time';
import { SettingsConflictError } from '../../../lib/sync/settings-client';
import { ApiError, SyncError } from '../../../lib/sync/errors';
import { HandoffRulesSection } from '../HandoffRulesSection';
import { PolicyNotice, usePolicy } from '../PolicyNotice';
import type { Policy } from '../../../lib/settings/policy';
import { draftOf, draftProblems, type Draft } from './draft';
import type { DefinitionSnapshot, SaveResult } from './definition-source';
import { controlId, type FormContext } from './fields';
import { problemText } from './messages';
import { CriteriaSection, DataSection, ReasonsSection } from './RuleSections';
import { CalendarSection, ClocksSection } from './TimeSections';
import { WritebackSection } from './WritebackSection';
import { ChangesList, EffectPreview } from './DefinitionReview';
import { DefinitionSummary } from './DefinitionSummary';
import './definition-editor.css';

export interface DefinitionEditorProps {
  t: Translate;
  lang: Lang;
  /** The definition in force (what the changes are listed against) and its revision. */
  snapshot: DefinitionSnapshot;
  mode: 'server' | 'local';
  /** False: the definition is shown read-only (a member who is not the team's admin). */
  canEdit: boolean;
  /** Configured CRMs (`custom:<slug>`) that can have a hand-off rule. */
  customTargets: readonly string[];
  /** The instant the preview starts a lead at. */
  now: () => Date;
  onSave(definition: SalDefinition, base: DefinitionSnapshot): Promise<SaveResult>;
  /** Reads the definition in force again (after a conflict); the edits stay, the latest becomes their base. */
  onReload(): Promise<DefinitionSnapshot | undefined>;
  /** The enterprise policy (default: read from chrome.storage.managed; tests pass one). */
  policy?: Policy;
}

type Status =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'invalid' }
  | { kind: 'unchanged' }
  | { kind: 'saved'; result: SaveResult }
  | { kind: 'conflict' }
  | { kind: 'reloading' }
  | { kind: 'reloaded'; version: number }
  | { kind: 'error'; message: string };

/** A failed load or save in the user's words. */
export function errorText(error: unknown, t: Translate): string {
  if (error instanceof SyncError) return error.code === 'auth' && error.status === 403 ? t('def.error.forbidden') : t(`error.${error.code}` as MessageKey);
  if (error instanceof ApiError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The team's SAL definition editor (issue 11): reject reasons, the SAL checklist, data
 * requirements, every SLA clock and its basis, the business calendar, the undo window, the
 * hand-off rules and the write-back mapping. While editing it lists what changed against the
 * version in force and previews the deadlines a lead starting now would get; saving makes a new
 * version (the server assigns its number). Every problem is named at its field and, on a save
 * attempt, in a summary linking to each field. A conflict (someone saved first) keeps the edits.
 */
export function DefinitionEditor({ t, lang, snapshot: latest, mode, canEdit, customTargets, now, onSave, onReload, policy: givenPolicy }: DefinitionEditorProps) {
  const idBase = useId();
  // what IT set or locked by enterprise policy (the hand-off rules, the write-back mapping) shows read-only
  const readPolicy = usePolicy();
  const policy = givenPolicy ?? readPolicy;
  // What the edits started from: it moves only when the user saves, resets or reloads after a
  // conflict, never under the user's edits (a refetch when the window regains focus must not turn
  // someone else's save into this editor's base, or the server could not tell a conflict).
  const [base, setBase] = useState(latest);
  const snapshot = canEdit ? base : latest;
  const [draft, setDraft] = useState<Draft>(() => draftOf(latest.definition));
  // the hand-off rules section keeps its own form state: remount it when the draft is reset
  const [generation, setGeneration] = useState(0);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  // set with the edit that adds a row; the row exists after that edit's render
  const pendingFocus = useRef<DefinitionPath | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const [previewAt, setPreviewAt] = useState(() => now());

  const { definition: valid, problems } = useMemo(() => draftProblems(draft), [draft]);
  const changes = useMemo(() => (valid ? diffDefinitions(snapshot.definition, valid) : []), [snapshot.definition, valid]);
  const ctx: FormContext = {
    t,
    lang,
    idBase,
    problems,
    focusLater: (path) => {
      pendingFocus.current = path;
    },
  };

  useEffect(() => {
    if (!pendingFocus.current) return;
    document.getElementById(controlId({ idBase }, pendingFocus.current))?.focus();
    pendingFocus.current = null;
  });
  useEffect(() => {
    if (status.kind === 'invalid') summaryRef.current?.focus();
    if (status.kind === 'conflict' || status.kind === 'saved' || status.kind === 'error') resultRef.current?.focus();
  }, [status.kind]);

  const edit = (fn: (d: SalDefinition) => SalDefinition) => {
    setDraft((d) => ({ ...d, definition: fn(d.definition) }));
    if (status.kind !== 'saving' && status.kind !== 'conflict') setStatus({ kind: 'idle' });
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (status.kind === 'saving') return;
    if (!valid) return setStatus({ kind: 'invalid' });
    if (changes.length === 0) return setStatus({ kind: 'unchanged' });
    setStatus({ kind: 'saving' });
    try {
      const result = await onSave(valid, snapshot);
      setBase(result.snapshot);
      setDraft(draftOf(result.snapshot.definition));
      setGeneration((g) => g + 1);
      setPreviewAt(now());
      setStatus({ kind: 'saved', result });
    } catch (error) {
      setStatus(error instanceof SettingsConflictError ? { kind: 'conflict' } : { kind: 'error', message: errorText(error, t) });
    }
  };

  const reload = async () => {
    setStatus({ kind: 'reloading' });
    try {
      const reloaded = await onReload();
      if (reloaded) setBase(reloaded);
      setStatus({ kind: 'reloaded', version: reloaded?.definition.version ?? snapshot.definition.version });
    } catch (error) {
      setStatus({ kind: 'error', message: errorText(error, t) });
    }
  };

  const reset = () => {
    // back to the version in force now
    setBase(latest);
    setDraft(draftOf(latest.definition));
    setGeneration((g) => g + 1);
    setStatus({ kind: 'idle' });
  };

  const titleId = `${idBase}-title`;
  const header = (
    <>
      <h2 id={titleId}>
        {t('def.title')} <span className="sal-def__version">v{snapshot.definition.version}</span>
      </h2>
      <p className="sal-hint" data-testid="definition-source">
        {mode === 'local'
          ? t('def.source.local')
          : snapshot.managed
            ? t('def.source.server', { revision: snapshot.revision ?? 0, at: snapshot.updatedAt ? formatDateTime(new Date(snapshot.updatedAt), lang) : '—', by: snapshot.updatedBy ?? '—' })
            : t('def.source.default')}
      </p>
    </>
  );

  if (!canEdit) {
    return (
      <section className="sal-card sal-def" aria-labelledby={titleId} data-testid="definition-editor">
        {header}
        <p className="sal-hint">{t('def.readOnly')}</p>
        <DefinitionSummary definition={snapshot.definition} t={t} lang={lang} customTargets={customTargets} />
      </section>
    );
  }

  const d = draft.definition;
  const saving = status.kind === 'saving';
  return (
    <section className="sal-card sal-def" aria-labelledby={titleId} data-testid="definition-editor">
      {header}
      <p className="sal-hint">{t('def.intro')}</p>
      <form onSubmit={(e) => void save(e)} noValidate aria-labelledby={titleId}>
        <ReasonsSection ctx={ctx} value={d.rejectReasons} onChange={(rejectReasons) => edit((x) => ({ ...x, rejectReasons }))} />
        <CriteriaSection ctx={ctx} value={d.criteria} onChange={(criteria) => edit((x) => ({ ...x, criteria }))} />
        <DataSection ctx={ctx} value={d.data} onChange={(data) => edit((x) => ({ ...x, data }))} />
        <ClocksSection
          ctx={ctx}
          clocks={d.clocks}
          undoWindowMinutes={d.undoWindowMinutes}
          reviewWithinDays={d.reviewWithinDays}
          onChange={(patch) =>
            edit((x) => {
              const next = { ...x, ...patch };
              if ('reviewWithinDays' in patch && patch.reviewWithinDays === undefined) delete next.reviewWithinDays;
              return next;
            })
          }
        />
        <CalendarSection ctx={ctx} value={d.calendar} onChange={(calendar) => edit((x) => ({ ...x, calendar }))} />
        {policy.locked.has('handoffRules') ? (
          // set or locked by the enterprise policy: the rules in force are the policy's (the worker applies them over the definition's)
          <HandoffRulesSection
            t={t}
            value={policy.handoffRules ?? d.handoffRules ?? {}}
            onChange={() => undefined}
            readOnly
            readOnlyNote={<PolicyNotice t={t} id={`${idBase}-policy-rules`} />}
            customTargets={customTargets}
          />
        ) : (
          <HandoffRulesSection
            key={generation}
            t={t}
            value={d.handoffRules ?? {}}
            customTargets={customTargets}
            onChange={(rules, ok) => {
              edit((x) => {
                const { handoffRules: _old, ...rest } = x;
                return Object.keys(rules).length > 0 ? { ...rest, handoffRules: rules } : rest;
              });
              setDraft((dr) => ({ ...dr, handoffValid: ok }));
            }}
          />
        )}
        {policy.locked.has('writeback') ? (
          <p className="sal-hint" data-testid="definition-writeback-policy">
            {t('policy.writeback')}
          </p>
        ) : (
          <WritebackSection
            ctx={ctx}
            rows={draft.writeback}
            onChange={(writeback) => {
              setDraft((dr) => ({ ...dr, writeback }));
              if (status.kind !== 'conflict') setStatus({ kind: 'idle' });
            }}
          />
        )}

        <section className="sal-def__review" aria-labelledby={`${idBase}-changes`}>
          <h3 id={`${idBase}-changes`}>{t('def.changes.title', { version: snapshot.definition.version })}</h3>
          {valid ? <ChangesList changes={changes} before={snapshot.definition} after={valid} t={t} lang={lang} /> : <p className="sal-muted">{t('def.changes.invalid', { count: problems.length })}</p>}
          <h3 id={`${idBase}-preview`}>{t('def.preview.title')}</h3>
          <EffectPreview candidate={valid} current={snapshot.definition} now={previewAt} t={t} lang={lang} />
        </section>

        {status.kind === 'invalid' && problems.length > 0 && <ProblemSummary problems={problems} ctx={ctx} ref={summaryRef} />}

        <div className="sal-actions">
          <button type="submit" className="sal-btn sal-btn--brand" disabled={saving} aria-describedby={`${idBase}-result`}>
            {saving ? t('def.saving') : t('def.save')}
          </button>
          <button type="button" className="sal-btn" onClick={reset} disabled={saving}>
            {t('def.reset')}
          </button>
        </div>
        <div id={`${idBase}-result`} ref={resultRef} tabIndex={-1} className="sal-def__result">
          <Result status={status} t={t} lang={lang} onReload={() => void reload()} />
        </div>
      </form>
    </section>
  );
}

function ProblemSummary({ problems, ctx, ref }: { problems: readonly DefinitionProblem[]; ctx: FormContext; ref: React.Ref<HTMLDivElement> }) {
  const { t } = ctx;
  return (
    <div className="sal-def__problems" role="alert" tabIndex={-1} ref={ref} data-testid="definition-problems">
      <p>{t('def.problems.title', { count: problems.length })}</p>
      <ul>
        {problems.map((p) => (
          <li key={`${p.path.join('.')}:${p.code}`}>
            <a
              href={`#${controlId(ctx, p.path)}`}
              onClick={(e) => {
                // the field, or the first control of the group the problem is about
                const target = document.getElementById(controlId(ctx, p.path)) ?? document.querySelector<HTMLElement>(`[id^="${CSS.escape(controlId(ctx, p.path))}-"]`);
                if (target) {
                  e.preventDefault();
                  target.focus();
                }
              }}
            >
              {problemText(p, t)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Result({ status, t, lang, onReload }: { status: Status; t: Translate; lang: Lang; onReload(): void }) {
  switch (status.kind) {
    case 'saving':
      return <p role="status">{t('def.saving')}</p>;
    case 'unchanged':
      return <p role="status">{t('def.unchanged')}</p>;
    case 'invalid':
      return <p role="status">{t('def.invalid')}</p>;
    case 'saved': {
      const { result } = status;
      const version = result.snapshot.definition.version;
      const changes = diffDefinitions(result.previous, result.snapshot.definition);
      return (
        <div role="status" data-testid="definition-saved">
          <p className="sal-ok">{result.reactivated ? t('def.reactivated', { version }) : t('def.saved', { version, previous: result.previous.version })}</p>
          <ChangesList changes={changes} before={result.previous} after={result.snapshot.definition} t={t} lang={lang} />
        </div>
      );
    }
    case 'conflict':
      return (
        <div role="alert" className="sal-def__conflict" data-testid="definition-conflict">
          <p>{t('def.conflict')}</p>
          <button type="button" className="sal-btn" onClick={onReload}>
            {t('def.conflict.reload')}
          </button>
        </div>
      );
    case 'reloading':
      return <p role="status">{t('def.reloading')}</p>;
    case 'reloaded':
      return (
        <p role="status" data-testid="definition-reloaded">
          {t('def.reloaded', { version: status.version })}
        </p>
      );
    case 'error':
      return (
        <p role="alert" className="sal-error">
          {t('def.error', { error: status.message })}
        </p>
      );
    default:
      return null;
  }
}
