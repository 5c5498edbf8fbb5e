import { csvText } from '../../lib/format/csv';
import type { ReviewItem, ReviewReport } from '../../lib/domain/review';
import type { Translate } from '../../lib/i18n';
import type { ReviewLabels } from './labels';

/** The CSV's columns, in order (machine names, as the KPI CSV's; the values are in the page's language). */
export const REVIEW_CSV_COLUMNS = [
  'reason',
  'group',
  'lead_key',
  'name',
  'company',
  'title',
  'email',
  'phone',
  'source',
  'rationale',
  'handed_over_by',
  'handed_over_at',
  'since',
  'status',
  'temperature',
  'decisions',
  'comments',
  'overdue',
  'outcome',
  'outcome_note',
  'outcome_by',
  'outcome_at',
  'crm_url',
  'period_from',
  'period_to',
  'as_of',
] as const;

/**
 * The meeting's list as CSV, for its minutes: one row per lead, in the page's order (by reason and
 * group), with the latest outcome recorded on it. Several decisions or comments share one cell,
 * separated by " / ". Instants are ISO-8601 UTC, as in the KPI CSV; every row repeats the period
 * and the as-of instant so a row read alone says what it is.
 */
export function reviewCsv(report: ReviewReport, deps: { t: Translate; labels: ReviewLabels; urlOf: (item: ReviewItem) => string | null }): string {
  const { t, labels } = deps;
  const meta = [report.from.toISOString(), report.to.toISOString(), report.now.toISOString()];
  const rows: (string | number)[][] = [[...REVIEW_CSV_COLUMNS]];
  for (const g of report.groups) {
    for (const item of g.items) {
      const outcome = item.reviews[item.reviews.length - 1];
      rows.push([
        t(`review.reason.${g.reason}`),
        labels.detail(g),
        item.leadKey,
        item.lead.name ?? '',
        item.lead.company ?? '',
        item.lead.title ?? '',
        item.lead.email ?? '',
        item.lead.phone ?? '',
        labels.source(item.source),
        item.rationale ?? '',
        item.handOver?.by ?? '',
        item.handOver?.at.toISOString() ?? '',
        item.since.toISOString(),
        t(`status.${item.status}`),
        item.temperature ? t(`temperature.${item.temperature}`) : '',
        item.decisions
          .map((d) => `${t(`event.${d.kind}`)}: ${labels.actor(d.actor)} ${d.at.toISOString()}${d.reasonCode ? ` (${labels.detail({ reason: 'rejected', detail: d.reasonCode })})` : ''}`)
          .join(' / '),
        item.comments.map((c) => `${labels.actor(c.actor)}: ${c.text}`).join(' / '),
        item.overdue.map((k) => t(`clock.${k}`)).join(' / '),
        outcome ? t(`review.outcome.${outcome.outcome}`) : '',
        outcome?.note ?? '',
        outcome ? labels.actor(outcome.actor) : '',
        outcome?.at.toISOString() ?? '',
        deps.urlOf(item) ?? '',
        ...meta,
      ]);
    }
  }
  return csvText(rows);
}
