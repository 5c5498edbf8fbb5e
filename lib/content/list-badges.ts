import type { CrmAdapter, ListCells, ListRow } from '../crm/types';
import { listRowCells } from '../crm/dom';
import { sendRequest } from '../messaging/client';
import type { BadgeStatus } from '../messaging/protocol';
import { createListTip } from './list-tip';

const BADGE_ATTR = 'data-sal-bridge-badge';
/** The statuses the list's summary line counts, in its order: 受領待ち n · 期限超過 m · 却下 k. */
const SUMMED: BadgeStatus[] = ['pending', 'overdue', 'rejected'];

/**
 * Shows each list row's SAL status as a small badge next to the lead's name, its tooltip on hover
 * and keyboard focus (lib/content/list-tip.ts), and one summary line above the list. Their looks
 * are the worker's stylesheet (`listCss`, lib/background/list-statuses.ts): this script only sets
 * attributes and text.
 *
 * Rows render in pages (Lightning) or are recycled for other records as the grid scrolls
 * (Dynamics): one observer notes that something changed and the rows are looked at once in the
 * next animation frame, all reads first (the adapter's row list, the summary's place), then the
 * writes, so the badges land in the frame the rows first paint in and the page is never laid out
 * twice for them. A badge carries its record id: a row reused for another record gets that
 * record's badge, or none until the worker has answered for it. The worker is asked once per record
 * (statuses it knows stay known while the view lives), in one message per frame.
 */
export function startListBadges(adapter: CrmAdapter, doc: Document, signal: AbortSignal): { refresh(): void } {
  const statuses: Record<string, BadgeStatus> = {};
  const tips: Record<string, string> = {};
  let labels = {} as Record<BadgeStatus, string>;
  /** When every record's tooltip was last asked for (Date.now()): their relative times are as of then. */
  let askedAt = Date.now();
  const asked = new Set<string>();
  // whether the background has a hand-off rule for this CRM (it says so in each answer): until it
  // says no, rows are sent with their cells so it can hand over the ones the rule matches
  let withCells = true;
  let frame = 0;
  const summary = doc.createElement('div');
  summary.setAttribute('data-sal-bridge-summary', '');

  const ask = async (rows: readonly ListRow[], ids: string[] = []) => {
    const cells: Record<string, ListCells> = {};
    for (const r of rows) {
      ids.push(r.recordId);
      asked.add(r.recordId);
      if (withCells) cells[r.recordId] = listRowCells(r.row);
    }
    const answer = await sendRequest({ type: 'page.listStatuses', crm: adapter.id, recordIds: [...new Set(ids)], cells }).catch(() => null);
    if (signal.aborted) return;
    // what is still unknown after a failed ask is asked again at the next change the observer sees
    if (!answer) return asked.clear();
    withCells = answer.rule;
    Object.assign(statuses, answer.statuses);
    Object.assign(tips, answer.tips);
    labels = answer.labels;
    schedule();
  };

  const tip = createListTip(doc, BADGE_ATTR, signal, (badge) => {
    // relative times a minute old are asked for again; the open tooltip follows the answer
    if (Date.now() - askedAt > 60_000) refresh();
    return tips[badge.dataset.record!];
  });

  // every badge starts as a copy of this one: focusable, described by the tooltip
  const proto = doc.createElement('span');
  proto.setAttribute(BADGE_ATTR, '');
  proto.setAttribute('aria-describedby', tip.id);
  proto.tabIndex = 0;

  const paint = () => {
    frame = 0;
    // reads: the rows, and (once, with the first answer: the rows have been laid out by then, so
    // it costs no layout of its own) the summary's place: before the list's scrolling box, so it
    // neither scrolls away nor sits over the CRM's controls
    const rows = adapter.listRows(doc);
    let place = summary.isConnected || !labels.pending ? null : rows[0]?.row.closest('table,[role=grid]');
    for (let e = place?.parentElement; e && e !== doc.body; e = e.parentElement)
      if (e.scrollHeight > e.clientHeight) {
        place = e;
        break;
      }
    // writes
    const missing: ListRow[] = [];
    for (const r of rows) {
      const status = statuses[r.recordId];
      let badge = r.nameCell.querySelector<HTMLElement>(`[${BADGE_ATTR}]`);
      if (!status) {
        if (!asked.has(r.recordId)) missing.push(r);
        badge?.remove();
        continue;
      }
      if (!badge) r.nameCell.append((badge = proto.cloneNode() as HTMLElement));
      if (badge.dataset.record === r.recordId && badge.dataset.status === status) continue;
      badge.dataset.record = r.recordId;
      badge.dataset.status = status;
      badge.textContent = labels[status];
    }
    place?.before(summary);
    const all = Object.values(statuses);
    const text = SUMMED.map((s) => `${labels[s]} ${all.filter((x) => x === s).length}`).join(' · ');
    if (labels.pending && summary.textContent !== text) summary.textContent = text;
    tip.update();
    // the records of our own writes: reacting to them would loop
    observer.takeRecords();
    if (missing.length > 0) void ask(missing);
  };

  const schedule = () => {
    if (!frame && !signal.aborted) frame = requestAnimationFrame(paint);
  };

  // the team's rules may have changed with the statuses: ask once more, with cells, for every
  // record this view has shown (a recycled grid no longer has most of their rows)
  const refresh = () => {
    withCells = true;
    askedAt = Date.now();
    void ask(adapter.listRows(doc), Object.keys(statuses));
  };

  // Any change may be rows coming, going or changing record; they are looked at in the next frame.
  const observer = new MutationObserver(schedule);
  // The content script starts at document_start: the body may not be parsed yet. `aria-hidden`:
  // a list visited before comes back by un-hiding its cached view (no node is added), after the
  // navigation that started us, so its rows only become visible then. `row-id`, `href`,
  // `data-row-key-value`: a grid that recycles a row element for another record may only change
  // these on it.
  observer.observe(doc.body ?? doc.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-hidden', 'row-id', 'href', 'data-row-key-value'] });
  signal.addEventListener('abort', () => {
    observer.disconnect();
    cancelAnimationFrame(frame);
    summary.remove();
    for (const b of doc.querySelectorAll(`[${BADGE_ATTR}]`)) b.remove();
  });
  // learn whether there is a rule before the rows come: a list of thousands sends no cells then
  void ask([]);
  schedule();
  return { refresh };
}
