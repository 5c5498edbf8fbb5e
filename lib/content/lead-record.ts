import type { CrmAdapter } from '../crm/types';
import { sendRequest } from '../messaging/client';
import type { PageLeadRead } from '../crm/types';
import type { PanelFrame } from './panel-frame';
import { waitFor } from './wait-for';
import { deepText } from '../crm/dom';

/**
 * The record the panel was last shown next to: its anchor element and that element's text (the
 * record's name is in it). See `runLeadRecord` for why it is remembered.
 */
export interface ShownRecord {
  anchor: Element;
  text: string;
}

/** How long a record page may take to show its header before the panel reports what is missing. */
const ANCHOR_TIMEOUT_MS = 8_000;
/** After the header, fields keep arriving (they render late); re-read for this long. */
const SETTLE_MS = 6_000;

/**
 * Runs the lead-record feature for one visit of one record: wait for the record's anchor in
 * the visible record, read the lead, hand it to the background, show the panel next to it, and
 * re-read while late fields arrive. Everything stops when `signal` aborts (navigation away).
 *
 * `previous`: the record shown before in this tab. When the URL moves to another record but the
 * page still shows the previous record's unchanged anchor (a page script rewrote the URL, or the
 * new record has not rendered yet), what the page shows is not this record: reading it would
 * label the previous lead's name and company with this record's id, and a rep who accepts "A"
 * would record B. So the read waits for the page to render this record, and if it never does,
 * the panel stays hidden and the tab's lead is dropped: no decision can be made on what the page
 * shows under a URL it does not belong to.
 */
export async function runLeadRecord(
  adapter: CrmAdapter,
  recordId: string,
  frame: PanelFrame,
  doc: Document,
  signal: AbortSignal,
  previous: ShownRecord | null = null,
  onShown: (shown: ShownRecord) => void = () => undefined,
): Promise<void> {
  const stale = (a: Element | null) => a !== null && previous !== null && a === previous.anchor && deepText(a) === previous.text;
  const fresh = () => {
    const a = adapter.findRecordAnchor(doc, recordId);
    return stale(a) ? null : a;
  };
  const anchor = await waitFor(fresh, { root: doc, timeoutMs: ANCHOR_TIMEOUT_MS, signal, characterData: previous !== null });
  if (signal.aborted) return;
  if (!anchor && stale(adapter.findRecordAnchor(doc, recordId, { fallback: true }))) {
    frame.hide();
    await sendRequest({ type: 'page.leave' }).catch(() => undefined);
    return;
  }
  let last = '';
  /** Whether the last read found every field (as the first read's check below: then nothing is watched). */
  let settled = false;
  const publish = async () => {
    const result = adapter.readLead(doc, recordId);
    settled = result.status === 'complete';
    // how the read went, for read-health records: the anchor's strategy, the page's release, the adapter's version
    const read: PageLeadRead = {
      crm: adapter.id,
      recordId,
      status: result.status,
      lead: result.lead,
      missing: result.missing,
      strategy: adapter.lastAnchor,
      release: result.release,
      adapterVersion: adapter.version,
    };
    const fingerprint = JSON.stringify(read);
    if (fingerprint === last || signal.aborted) return read;
    last = fingerprint;
    await sendRequest({ type: 'page.lead', read }).catch(() => undefined);
    return read;
  };
  const place = anchor ?? adapter.findRecordAnchor(doc, recordId, { fallback: true });
  const show = () => {
    if (!place || signal.aborted) return;
    frame.showAfter(place);
    if (anchor) onShown({ anchor, text: deepText(anchor) });
  };
  // The read and its message go out first in both cases (publish reads and sends synchronously).
  const sent = publish();
  // A frame that has never been placed has shown no lead, so it can take its place now: still in
  // the microtask checkpoint of the page's own task that rendered the header, so the page's first
  // style, layout and paint include it. Placed later (after the background's reply, a task away),
  // it would make the browser lay out and repaint everything below the header a second time, a
  // cost that grows with the CRM page (related lists, activity). A frame that showed another
  // record stays hidden until the background holds this one, so it never shows the previous lead.
  const neverPlaced = !frame.element.isConnected;
  if (neverPlaced) show();
  const first = await sent;
  if (!neverPlaced) show();
  if (first.status === 'complete' || !anchor) return;

  // Fields render late: re-read on mutations for a while, until a read finds every field, as a
  // first read that finds them all is not followed by any. The observer is then dropped at once:
  // on a large record page (related lists, an activity timeline rendering after the fields) it
  // would otherwise make a full read on each of the CRM's mutations, and the browser queue a
  // mutation record for every node the CRM inserts, for seconds (issue 14).
  const done = await waitFor(
    () => {
      void publish();
      return settled ? true : null;
    },
    { root: doc, timeoutMs: SETTLE_MS, signal },
  );
  if (!done) await publish();
}
