import { useId, useState, type FormEvent } from 'react';
import type { SalDefinition } from '../../lib/domain/definition';
import { ReviewOutcomeSchema, type ReviewOutcome } from '../../lib/domain/events';
import type { MarketingSlaReport } from '../../lib/domain/marketing-sla';
import type { KpiPeriod } from '../../lib/domain/periods';
import type { ReviewGroup, ReviewItem, ReviewReport } from '../../lib/domain/review';
import type { CsvEncoding } from '../../lib/format/csv';
import { formatDateTime } from '../../lib/format/time';
import type { Lang, Translate } from '../../lib/i18n';
import type { ReviewLabels } from './labels';
import { MarketingSlaView } from './MarketingSlaView';

export const REVIEW_PERIODS: readonly KpiPeriod[] = ['this_week', 'this_month', 'last_month', 'last_30_days'];

/**
 * How many leads of a group are drawn at first (and added by "show more"): a meeting goes through
 * a page at a time, and 10k cards with forms would stall the page. A printout has every lead.
 */
export const REVIEW_PAGE_SIZE = 20;

/** What the page has to show: the data is being read, could not be read, or the meeting's list. */
export type ReviewState =
  { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; report: ReviewReport; marketingSla: MarketingSlaReport; definition: SalDefinition; localOnly: boolean };

export type RecordResult = { ok: true } | { ok: false; error: string };

export interface ReviewViewProps {
  t: Translate;
  lang: Lang;
  state: ReviewState;
  /** Names and times as the page shows them; null until the data (and its definition) is read. */
  labels: ReviewLabels | null;
  period: KpiPeriod;
  onPeriod(period: KpiPeriod): void;
  onlyUnreviewed: boolean;
  onOnlyUnreviewed(only: boolean): void;
  /** The member's role when it may not record outcomes (the form is replaced by a note); null when it may. */
  cannotRecordAs: string | null;
  onRecord(leadKey: string, outcome: ReviewOutcome, note: string): Promise<RecordResult>;
  onExport(encoding: CsvEncoding): void;
  /** The export's failure, shown next to its buttons. */
  exportError: string | null;
  onPrint(): void;
  /**
   * The page is being printed (see `usePrinting`): every lead of every group is drawn, since the
   * printed minutes must list them all; the leads past the shown page without their forms, which a
   * printout hides anyway.
   */
  printing: boolean;
  /** The CRM page to open for a lead, or null when none is known. */
  urlOf(item: ReviewItem): string | null;
}

const OUTCOMES = ReviewOutcomeSchema.options;

/** The lead review meeting: leads to discuss for a period, by reason, each with what the meeting agreed; marketing's SLA below. */
export function ReviewView(props: ReviewViewProps) {
  const { t, lang, state } = props;
  return (
    <main className="sal-kpis sal-review" lang={lang}>
      <nav className="sal-kpis__nav" aria-label={t('trend.nav')}>
        <a href="kpis.html#kpis">{t('trend.nav.kpis')}</a>
        <a href="kpis.html#trends">{t('trend.nav.trends')}</a>
        <a href="review.html" aria-current="page">
          {t('review.open')}
        </a>
      </nav>
      <h1 className="sal-card__title">{t('review.title')}</h1>
      <p className="sal-hint">{t('review.lead')}</p>
      <div className="sal-kpis__bar sal-review__bar">
        <label>
          {t('review.period')}{' '}
          <select value={props.period} onChange={(e) => props.onPeriod(e.target.value as KpiPeriod)}>
            {REVIEW_PERIODS.map((p) => (
              <option key={p} value={p}>
                {t(`kpi.period.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={props.onlyUnreviewed} onChange={(e) => props.onOnlyUnreviewed(e.target.checked)} /> {t('review.onlyUnreviewed')}
        </label>
        <span className="sal-review__tools">
          <button type="button" className="sal-btn sal-btn--small" onClick={() => props.onExport('utf-8')} disabled={state.status !== 'ready'}>
            {t('review.exportUtf8')}
          </button>
          <button type="button" className="sal-btn sal-btn--small" onClick={() => props.onExport('shift_jis')} disabled={state.status !== 'ready'}>
            {t('review.exportSjis')}
          </button>
          <button type="button" className="sal-btn sal-btn--small" onClick={props.onPrint} disabled={state.status !== 'ready'}>
            {t('review.print')}
          </button>
        </span>
      </div>
      {props.exportError && (
        <p className="sal-error" role="alert">
          {t('review.exportFailed', { message: props.exportError })}
        </p>
      )}
      <ReviewBody {...props} />
    </main>
  );
}

function ReviewBody(props: ReviewViewProps) {
  const { t, state } = props;
  if (state.status === 'loading')
    return (
      <p className="sal-muted" role="status">
        {t('review.loading')}
      </p>
    );
  if (state.status === 'error')
    return (
      <p className="sal-error" role="alert">
        {t('review.error', { message: state.message })}
      </p>
    );
  const { report } = state;
  return (
    <>
      <p className="sal-hint">
        {t('review.definition', { version: state.definition.version })} · {t('review.periodRule')}
      </p>
      {state.localOnly && <p className="sal-warning">{t('review.localOnly')}</p>}
      <p className="sal-review__summary" role="status">
        <span>{t('review.range', { from: formatDateTime(report.from, props.lang), to: formatDateTime(report.to, props.lang) })}</span> ·{' '}
        {t('review.summary', { total: report.total, reviewed: report.reviewed })}
      </p>
      {report.total === 0 ? (
        <p className="sal-muted">{props.onlyUnreviewed ? t('review.emptyUnreviewed') : t('review.empty')}</p>
      ) : (
        report.groups.map((g) => <GroupSection key={g.key} group={g} {...props} />)
      )}
      <MarketingSlaView t={t} lang={props.lang} report={state.marketingSla} labels={props.labels} />
    </>
  );
}

function GroupSection({ group, ...props }: ReviewViewProps & { group: ReviewGroup }) {
  const { t } = props;
  const [shown, setShown] = useState(REVIEW_PAGE_SIZE);
  const id = useId();
  const detail = props.labels?.detail(group);
  const visible = props.printing ? group.items : group.items.slice(0, shown);
  return (
    <section className="sal-card sal-review__group" aria-labelledby={id} data-group={group.key}>
      <h2 id={id}>
        {t(`review.reason.${group.reason}`)}
        {detail ? `: ${detail}` : ''} <span className="sal-hint">({t('review.groupCount', { count: group.items.length })})</span>
      </h2>
      <ol className="sal-review__list">
        {visible.map((item, i) => (
          <li key={item.leadKey}>
            <LeadCard item={item} withForm={i < shown} {...props} />
          </li>
        ))}
      </ol>
      {group.items.length > visible.length && (
        <button type="button" className="sal-btn sal-btn--small sal-review__more" onClick={() => setShown((n) => n + REVIEW_PAGE_SIZE)}>
          {t('review.showMore', { count: Math.min(REVIEW_PAGE_SIZE, group.items.length - shown), left: group.items.length - shown })}
        </button>
      )}
    </section>
  );
}

/** One lead's card; `withForm` false for a lead drawn only for the printout (its form would be hidden there). */
function LeadCard({ item, withForm, ...props }: ReviewViewProps & { item: ReviewItem; withForm: boolean }) {
  const { t, lang, labels } = props;
  const id = useId();
  const url = props.urlOf(item);
  const who = (a: { id: string; name: string }) => labels?.actor(a) ?? (a.name || a.id);
  const at = (d: Date) => labels?.dateTime(d) ?? formatDateTime(d, lang);
  return (
    <article className="sal-review__lead" aria-labelledby={id} data-lead-key={item.leadKey}>
      <header className="sal-review__lead-head">
        <h3 id={id}>
          {item.lead.name || t('review.unnamed')}
          {item.lead.company ? <span className="sal-hint"> · {item.lead.company}</span> : null}
        </h3>
        <span className={`sal-pill sal-pill--${item.status}`}>{t(`status.${item.status}`)}</span>
        {url ? (
          <a className="sal-review__crm" href={url} target="_blank" rel="noopener noreferrer">
            {t('review.openInCrm')}
          </a>
        ) : (
          <span className="sal-hint">{t('review.noCrmLink')}</span>
        )}
      </header>
      <dl className="sal-review__facts">
        <dt>{t('review.sinceLabel')}</dt>
        <dd>
          <time dateTime={item.since.toISOString()}>{at(item.since)}</time>
        </dd>
        <dt>{t('review.source')}</dt>
        <dd>{labels?.source(item.source) ?? item.source}</dd>
        {item.handOver && (
          <>
            <dt>{t('event.handed_over')}</dt>
            <dd>{t('review.handedOver', { by: item.handOver.by, at: at(item.handOver.at) })}</dd>
          </>
        )}
        {item.rationale && (
          <>
            <dt>{t('review.rationale')}</dt>
            <dd>{item.rationale}</dd>
          </>
        )}
        {item.temperature && (
          <>
            <dt>{t('review.temperature')}</dt>
            <dd className={`sal-temp--${item.temperature}`}>{t(`temperature.${item.temperature}`)}</dd>
          </>
        )}
        {item.overdue.length > 0 && (
          <>
            <dt>{t('review.overdueClocks')}</dt>
            <dd>{item.overdue.map((k) => t(`clock.${k}`)).join(' · ')}</dd>
          </>
        )}
      </dl>
      {item.decisions.length > 0 && (
        <>
          <h4>{t('review.decisions')}</h4>
          <ul className="sal-review__decisions">
            {item.decisions.map((d) => (
              <li key={d.eventId}>
                {t('review.decision', { kind: t(`event.${d.kind}`), who: who(d.actor), at: at(d.at) })}
                {d.reasonCode && labels ? ` · ${labels.detail({ reason: 'rejected', detail: d.reasonCode })}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>{t('review.comments')}</h4>
      {item.comments.length === 0 ? (
        <p className="sal-muted">{t('review.noComments')}</p>
      ) : (
        <ul className="sal-review__comments">
          {item.comments.map((c) => (
            <li key={c.eventId}>
              <span className="sal-hint">
                {who(c.actor)} · {t(`event.${c.eventType}`)} · <time dateTime={c.at.toISOString()}>{at(c.at)}</time>
              </span>
              <p>{c.text}</p>
            </li>
          ))}
        </ul>
      )}
      {item.reviews.length > 0 && (
        <>
          <h4>{t('review.outcomes')}</h4>
          <ul className="sal-review__outcomes">
            {item.reviews.map((r) => (
              <li key={r.eventId} data-outcome={r.outcome}>
                {t('review.outcomeBy', { outcome: t(`review.outcome.${r.outcome}`), who: who(r.actor), at: at(r.at) })}
                {r.note ? <p>{r.note}</p> : null}
              </li>
            ))}
          </ul>
        </>
      )}
      {!withForm ? null : props.cannotRecordAs === null ? (
        <OutcomeForm item={item} {...props} />
      ) : (
        <p className="sal-hint sal-review__noprint">{t('review.cannotRecord', { role: props.cannotRecordAs })}</p>
      )}
    </article>
  );
}

/** The meeting's agreement for one lead: an outcome and a note, recorded as a `reviewed` event. */
function OutcomeForm({ item, t, onRecord }: ReviewViewProps & { item: ReviewItem }) {
  const [outcome, setOutcome] = useState<ReviewOutcome | ''>('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const id = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!outcome || busy) return;
    setBusy(true);
    setMessage(null);
    try {
      const result = await onRecord(item.leadKey, outcome, note.trim());
      if (result.ok) {
        setMessage({ ok: true, text: t('review.recorded', { outcome: t(`review.outcome.${outcome}`) }) });
        setOutcome('');
        setNote('');
      } else setMessage({ ok: false, text: t('review.recordFailed', { error: result.error }) });
    } catch (error) {
      setMessage({ ok: false, text: t('review.recordFailed', { error: error instanceof Error ? error.message : String(error) }) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="sal-form sal-review__form sal-review__noprint" onSubmit={(e) => void submit(e)}>
      <label htmlFor={`${id}-outcome`}>{t('review.outcome')}</label>
      <select id={`${id}-outcome`} value={outcome} required onChange={(e) => setOutcome(e.target.value as ReviewOutcome)}>
        <option value="" disabled>
          —
        </option>
        {OUTCOMES.map((o) => (
          <option key={o} value={o}>
            {t(`review.outcome.${o}`)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-note`}>{t('review.note')}</label>
      <textarea id={`${id}-note`} value={note} maxLength={4000} rows={2} onChange={(e) => setNote(e.target.value)} />
      <button type="submit" className="sal-btn sal-btn--brand sal-btn--small" disabled={!outcome || busy}>
        {busy ? t('review.recording') : t('review.record')}
      </button>
      <p role="status" className={message && !message.ok ? 'sal-error' : 'sal-hint'}>
        {message?.text ?? ''}
      </p>
    </form>
  );
}
