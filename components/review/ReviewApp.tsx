import { useCallback, useMemo, useState } from 'react';
import { openableLeadUrl } from '../../lib/crm/lead-page-url';
import type { ReviewOutcome } from '../../lib/domain/events';
import { computeMarketingSlaOf } from '../../lib/domain/marketing-sla';
import { periodRange, type KpiPeriod } from '../../lib/domain/periods';
import { computeReviewOf, foldLeads, type ReviewItem } from '../../lib/domain/review';
import { canRecord, RoleSchema } from '../../lib/domain/roles';
import { csvMimeType, encodeCsv, type CsvEncoding } from '../../lib/format/csv';
import { sendRequest } from '../../lib/messaging/client';
import { useI18n } from '../shared/use-i18n';
import { reviewLabels } from './labels';
import { reviewCsv } from './review-csv';
import { ReviewView, type RecordResult, type ReviewState } from './ReviewView';
import { usePrinting } from './use-printing';
import { useReviewSource } from './use-review-source';

/** Saves bytes as a file through a temporary link (an extension page needs no downloads permission for this). */
function download(bytes: Uint8Array, type: string, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * The review meeting page: the events this browser holds, selected and grouped by `computeReview`
 * for the chosen period as of the moment they were read, with marketing's side of the SLA; an
 * outcome goes to the worker (`app.recordReview`), the only writer of events.
 */
export function ReviewApp() {
  const { t, lang } = useI18n();
  const [period, setPeriod] = useState<KpiPeriod>('last_30_days');
  const [onlyUnreviewed, setOnlyUnreviewed] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const source = useReviewSource();
  const printing = usePrinting();
  // folded once per read of the data; a period or filter change only re-selects
  const states = useMemo(() => (source.status === 'ready' ? foldLeads(source.events, source.definition) : null), [source]);
  const state = useMemo((): ReviewState => {
    if (source.status !== 'ready' || !states) return source.status === 'ready' ? { status: 'loading' } : source;
    const now = new Date();
    const { from, to } = periodRange(period, now, source.definition.calendar.timeZone);
    const options = { from, to, now, definition: source.definition };
    return {
      status: 'ready',
      report: computeReviewOf(states, { ...options, onlyUnreviewed }),
      marketingSla: computeMarketingSlaOf(states, options),
      definition: source.definition,
      localOnly: source.localOnly,
    };
  }, [source, states, period, onlyUnreviewed]);
  const ready = source.status === 'ready' ? source : null;
  const labels = useMemo(() => (ready ? reviewLabels(t, lang, ready.definition, ready.meId) : null), [ready, t, lang]);
  const urlOf = useCallback((item: ReviewItem) => (ready ? openableLeadUrl(item.leadKey, item.lead.url, ready.seenUrls, ready.custom) : null), [ready]);
  // a role this version does not know is left to the server to judge
  const role = ready?.role ? RoleSchema.safeParse(ready.role) : null;
  const cannotRecordAs = role?.success && !canRecord(role.data, 'reviewed', ready?.definition.rolePermissions) ? role.data : null;

  const onRecord = useCallback(async (leadKey: string, outcome: ReviewOutcome, note: string): Promise<RecordResult> => {
    const reply = await sendRequest({ type: 'app.recordReview', leadKey, payload: { outcome, ...(note ? { note } : {}) } });
    return reply.ok ? { ok: true } : { ok: false, error: reply.error };
  }, []);

  const onExport = useCallback(
    (encoding: CsvEncoding) => {
      if (state.status !== 'ready' || !labels) return;
      setExportError(null);
      const csv = reviewCsv(state.report, { t, labels, urlOf });
      const name = `sal-review_${period}_${state.report.now.toISOString().slice(0, 16).replace(':', '')}${encoding === 'shift_jis' ? '_sjis' : ''}.csv`;
      encodeCsv(csv, encoding).then(
        (bytes) => download(bytes, csvMimeType(encoding), name),
        (error: unknown) => setExportError(error instanceof Error ? error.message : String(error)),
      );
    },
    [state, labels, t, urlOf, period],
  );

  return (
    <ReviewView
      t={t}
      lang={lang}
      state={state}
      labels={labels}
      period={period}
      onPeriod={setPeriod}
      onlyUnreviewed={onlyUnreviewed}
      onOnlyUnreviewed={setOnlyUnreviewed}
      cannotRecordAs={cannotRecordAs}
      onRecord={onRecord}
      onExport={onExport}
      exportError={exportError}
      onPrint={() => window.print()}
      printing={printing}
      urlOf={urlOf}
    />
  );
}
