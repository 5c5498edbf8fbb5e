import { useId, useMemo, useState } from 'react';
import { evaluateDefinition, type CriterionResult, type SalDefinition } from '../../lib/domain/definition';
import type { Temperature } from '../../lib/domain/events';
import type { EventDraft } from '../../lib/messaging/protocol';
import type { PageLeadRead } from '../../lib/crm/types';
import type { Lang, Translate } from '../../lib/i18n';
import { CommentField, TemperatureField, optionalNotes } from './fields';
import { RejectForm } from './RejectForm';
import { isUserGesture } from './gesture';
import { useDisclosureFocus } from './focus';

/** A data check as the rep reads it: "メール未入力", "スコアが基準未満 (12 < 50)". */
export function dataCheckText(r: CriterionResult, lead: PageLeadRead['lead'], t: Translate, lang: Lang): string {
  switch (r.reason) {
    case 'field_missing':
    case 'field_present':
      return t(`eval.${r.reason}`, { field: r.label[lang] });
    case 'score_met':
    case 'score_below_threshold':
    case 'score_missing':
      return t(`eval.${r.reason}`, { score: lead.score ?? '—', min: r.min ?? '—' });
    case 'email_missing':
    case 'email_invalid':
    case 'email_valid':
    case 'phone_missing':
    case 'phone_invalid':
    case 'phone_valid':
      return t(`eval.${r.reason}`);
    default:
      return r.label[lang];
  }
}

/** The definition's data requirements, already evaluated from what the page shows. */
export function DataChecks({ read, definition, t, lang }: { read: PageLeadRead; definition: SalDefinition; t: Translate; lang: Lang }) {
  const results = useMemo(() => evaluateDefinition(read.lead, {}, definition).results.filter((r) => r.group === 'data'), [read.lead, definition]);
  if (results.length === 0) return null;
  const problems = results.filter((r) => r.outcome !== 'pass');
  return (
    <section className="sal-checks" aria-label={t('panel.dataChecks')}>
      <h3 className="sal-subtitle">{t('panel.dataChecks')}</h3>
      {problems.length === 0 ? (
        <p className="sal-check sal-check--pass">✓ {t('panel.dataAllOk')}</p>
      ) : (
        <ul className="sal-check-list">
          {problems.map((r) => (
            <li key={r.id} className={`sal-check sal-check--${r.outcome}`} data-check={r.id} data-outcome={r.outcome}>
              <span aria-hidden="true">{r.outcome === 'fail' ? '✕' : '?'} </span>
              {dataCheckText(r, read.lead, t, lang)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The SAL checklist of the definition; a ticked box answers "yes", an unticked one "not known". */
export function Checklist({
  definition,
  answers,
  onChange,
  t,
  lang,
}: {
  definition: SalDefinition;
  answers: Record<string, boolean>;
  onChange(a: Record<string, boolean>): void;
  t: Translate;
  lang: Lang;
}) {
  const toggle = (key: string, on: boolean) => {
    const next = { ...answers };
    if (on) next[key] = true;
    else delete next[key];
    onChange(next);
  };
  return (
    <fieldset className="sal-field sal-checklist">
      <legend>
        {t('panel.checklist')} <span className="sal-hint">{t('panel.checklistHint')}</span>
      </legend>
      {definition.criteria.map((c) =>
        c.kind === 'yes_no' ? (
          <label key={c.id} className="sal-check-item">
            <input type="checkbox" checked={answers[c.id] === true} onChange={(e) => toggle(c.id, e.target.checked)} />
            {c.label[lang]}
          </label>
        ) : (
          <fieldset key={c.id} className="sal-check-group">
            <legend>
              {c.label[lang]}{' '}
              <span className="sal-hint">
                ({t('panel.countMin', { min: c.min })} · {t('panel.countMet', { met: c.items.filter((i) => answers[`${c.id}.${i.id}`]).length, total: c.items.length })})
              </span>
            </legend>
            {c.items.map((item) => (
              <label key={item.id} className="sal-check-item sal-check-item--inline">
                <input type="checkbox" checked={answers[`${c.id}.${item.id}`] === true} onChange={(e) => toggle(`${c.id}.${item.id}`, e.target.checked)} />
                {item.label[lang]}
              </label>
            ))}
          </fieldset>
        ),
      )}
    </fieldset>
  );
}

export interface PendingSectionProps {
  read: PageLeadRead;
  definition: SalDefinition;
  t: Translate;
  lang: Lang;
  saving: boolean;
  onDecide(draft: EventDraft): void;
}

/**
 * The pending lead: the data checks, then 受領 / 却下, then the optional checklist, temperature
 * and comment. The buttons come first so 受領 is the first control a keyboard reaches (issue 13);
 * whatever the rep filled in below is recorded with 受領 all the same.
 */
export function PendingSection({ read, definition, t, lang, saving, onDecide }: PendingSectionProps) {
  const [answers, setAnswers] = useState<Record<string, boolean>>({});
  const [temperature, setTemperature] = useState<Temperature | undefined>(undefined);
  const [comment, setComment] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const formId = useId();
  const optionalId = useId();
  const { formRef, returnTo, opening, closing } = useDisclosureFocus<HTMLButtonElement>();

  if (rejecting) {
    return (
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
    );
  }
  return (
    <div className="sal-pending" id={formId}>
      <DataChecks read={read} definition={definition} t={t} lang={lang} />
      <div className="sal-actions">
        <button
          type="button"
          className="sal-btn sal-btn--brand"
          disabled={saving}
          onClick={(e) => {
            // only a real user gesture decides (a synthetic click does nothing)
            if (isUserGesture(e)) onDecide({ type: 'accepted', payload: { checklist: answers, ...optionalNotes(temperature, comment) } });
          }}
        >
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
      <section className="sal-optional" aria-labelledby={optionalId}>
        <h3 id={optionalId} className="sal-subtitle">
          {t('a11y.optionalDetails')}
        </h3>
        <Checklist definition={definition} answers={answers} onChange={setAnswers} t={t} lang={lang} />
        <TemperatureField value={temperature} onChange={setTemperature} t={t} />
        <CommentField label={t('panel.decisionComment')} value={comment} onChange={setComment} />
      </section>
    </div>
  );
}
