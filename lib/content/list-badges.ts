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
 * next animation frame, the reads (the adapter's row list) first, then the writes, so the badges
 * land in the frame the rows first paint in, before the browser lays them out; the summary's place
 * is read a frame later, once they are laid out. A list of 2,000 rows is badged in that first
 * frame because the worker told, before the rows came, the status of every lead of the CRM it
 * knows (`known`); the rows are asked for all the same (tooltips, fresh clocks). A badge carries
 * its record id: a row reused for another record gets that record's badge, or none until the
 * worker has answered for it. The worker is asked once per record (statuses it knows stay known
 * while the view lives), in one message per frame.
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
  /**
   * What the worker's first answer told of every lead of this CRM (`known`), and when: rows are
   * badged from it the moment they come, before the worker has answered for them; a record not in
   * it is untracked. Dropped when statuses change, or after a minute (clocks move on).
   */
  let known: { at: number; statuses: Map<string, BadgeStatus> } | null = null;
  let frame = 0;
  let placing = 0;
  /** A row of the list, for the summary's place. */
  let anchor: Element | undefined;
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
    if (answer.known) {
      const map = new Map<string, BadgeStatus>();
      for (const [status, ids] of Object.entries(answer.known) as [BadgeStatus, string[]][]) for (const id of ids) map.set(id, status);
      known = { at: Date.now(), statuses: map };
    }
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

  // every badge starts as a copy of its status's one (made once per answer's labels): focusable,
  // described by the tooltip, with its status and label; only its record is set per row
  const protos: Partial<Record<BadgeStatus, HTMLElement>> = {};
  const protoOf = (status: BadgeStatus) => {
    let proto = protos[status];
    if (proto?.textContent !== labels[status]) {
      proto = protos[status] = doc.createElement('span');
      proto.setAttribute(BADGE_ATTR, '');
      proto.setAttribute('aria-describedby', tip.id);
      proto.setAttribute('data-status', status);
      proto.tabIndex = 0;
      proto.textContent = labels[status];
    }
    return proto;
  };

  const paint = () => {
    frame = 0;
    // reads: the rows
    const rows = adapter.listRows(doc);
    if (known && Date.now() - known.at > 60_000) known = null;
    // writes: a new badge gets its record, status and text before it goes into the page, so each
    // row costs the page (and its observers) one insertion; our own observer does not watch them
    // (reacting to them would loop)
    observer.disconnect();
    for (const r of rows) {
      // a record `known` does not hold is untracked, unless the team's hand-off rule may hand it
      // over with the worker's answer for it (it waits for that answer)
      const status = statuses[r.recordId] ?? (known && labels.pending ? (known.statuses.get(r.recordId) ?? (withCells ? undefined : 'untracked')) : undefined);
      let badge = r.nameCell.querySelector<HTMLElement>(`[${BADGE_ATTR}]`);
      if (!status) {
        badge?.remove();
        continue;
      }
      if (badge?.getAttribute('data-record') === r.recordId && badge.getAttribute('data-status') === status && badge.textContent === labels[status]) continue;
      if (badge) {
        // in place: a focused badge keeps its focus and its open tooltip
        badge.setAttribute('data-record', r.recordId);
        badge.setAttribute('data-status', status);
        badge.textContent = labels[status];
        continue;
      }
      badge = protoOf(status).cloneNode(true) as HTMLElement;
      badge.setAttribute('data-record', r.recordId);
      r.nameCell.append(badge);
    }
    const all = Object.values(statuses);
    const text = SUMMED.map((s) => `${labels[s]} ${all.filter((x) => x === s).length}`).join(' · ');
    if (labels.pending && summary.textContent !== text) summary.textContent = text;
    tip.update();
    watch();
    anchor = rows[0]?.row;
    if (!summary.isConnected && labels.pending && anchor && !placing) placing = requestAnimationFrame(place);
    // the worker is asked last: the rows `known` holds are badged already
    const missing = rows.filter((r) => !statuses[r.recordId] && !asked.has(r.recordId));
    if (missing.length > 0) void ask(missing);
  };

  // The summary goes before the list's scrolling box, so it neither scrolls away nor sits over the
  // CRM's controls. Finding that box reads layout: done a frame after the rows came, when the
  // browser has laid them out already, so it costs no layout of its own.
  const place = () => {
    placing = 0;
    let box = anchor?.isConnected ? anchor.closest('table,[role=grid]') : null;
    for (let e = box?.parentElement; e && e !== doc.body; e = e.parentElement)
      if (e.scrollHeight > e.clientHeight) {
        box = e;
        break;
      }
    if (!box || summary.isConnected || signal.aborted) return;
    // changes the observer has not shown yet are looked at still; the summary's own is not one
    const unseen = observer.takeRecords().length > 0;
    box.before(summary);
    observer.takeRecords();
    if (unseen) schedule();
  };

  const schedule = () => {
    if (!frame && !signal.aborted) frame = requestAnimationFrame(paint);
  };

  // the team's rules may have changed with the statuses: ask once more, with cells, for every
  // record this view has shown (a recycled grid no longer has most of their rows)
  const refresh = () => {
    withCells = true;
    known = null;
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
  const root = doc.body ?? doc.documentElement;
  const watch = () => observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-hidden', 'row-id', 'href', 'data-row-key-value'] });
  watch();
  signal.addEventListener('abort', () => {
    observer.disconnect();
    cancelAnimationFrame(frame);
    cancelAnimationFrame(placing);
    summary.remove();
    for (const b of doc.querySelectorAll(`[${BADGE_ATTR}]`)) b.remove();
  });
  // before the rows come: learn whether there is a rule (a list of thousands sends no cells then)
  // and the statuses of the CRM's known leads (`known`)
  void ask([]);
  schedule();
  return { refresh };
}
