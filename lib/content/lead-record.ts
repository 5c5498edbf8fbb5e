import type { CrmAdapter } from '../crm/types';
import { sendRequest } from '../messaging/client';
import type { LeadRead } from '../messaging/protocol';
import type { PanelFrame } from './panel-frame';
import { waitFor } from './wait-for';

/** How long a record page may take to show its header before the panel reports what is missing. */
const ANCHOR_TIMEOUT_MS = 8_000;
/** After the header, fields keep arriving (they render late); re-read for this long. */
const SETTLE_MS = 6_000;

/**
 * Runs the lead-record feature for one visit of one record: wait for the record's anchor in
 * the visible record, read the lead, hand it to the background, show the panel next to it, and
 * re-read while late fields arrive. Everything stops when `signal` aborts (navigation away).
 */
export async function runLeadRecord(adapter: CrmAdapter, recordId: string, frame: PanelFrame, doc: Document, signal: AbortSignal): Promise<void> {
  const anchor = await waitFor(() => adapter.findRecordAnchor(doc, recordId), { root: doc, timeoutMs: ANCHOR_TIMEOUT_MS, signal });
  if (signal.aborted) return;
  let last = '';
  const publish = async () => {
    const result = adapter.readLead(doc, recordId);
    const read: LeadRead = { crm: adapter.id, recordId, status: result.status, lead: result.lead, missing: result.missing };
    const fingerprint = JSON.stringify(read);
    if (fingerprint === last || signal.aborted) return read;
    last = fingerprint;
    await sendRequest({ type: 'page.lead', read }).catch(() => undefined);
    return read;
  };
  const first = await publish();
  const place = anchor ?? adapter.findRecordAnchor(doc, recordId, { fallback: true });
  if (place && !signal.aborted) frame.showAfter(place);
  if (first.status === 'complete' || !anchor) return;

  // Fields render late and re-render on inline edit: re-read on mutations for a while.
  await waitFor(
    () => {
      void publish();
      return null;
    },
    { root: doc, timeoutMs: SETTLE_MS, signal },
  );
  await publish();
}
