import type { CrmAdapter, ListCells } from '../crm/types';
import { listRowCells } from '../crm/dom';
import { sendRequest } from '../messaging/client';
import type { BadgeStatus } from '../messaging/protocol';

const BADGE_ATTR = 'data-sal-bridge-badge';
/**
 * Plain inline styles: the badge is a few elements per row, not worth a stylesheet or a shadow root each.
 * [background, text]: every pair holds ≥ 4.5:1 (WCAG 1.4.3; tests/e2e/keyboard.test.ts measures them).
 */
const COLORS: Record<BadgeStatus, [string, string]> = {
  untracked: ['#f3f3f3', '#5c5c5c'],
  pending: ['#fef1ee', '#8c4b02'],
  accepted: ['#cdefc4', '#194e31'],
  rejected: ['#fddde3', '#ba0517'],
  overdue: ['#ba0517', '#ffffff'],
  contested: ['#fce7c8', '#8c4b02'],
  qualified: ['#d8e6fe', '#0b5cab'],
  closed: ['#e5e5e5', '#444444'],
};

/**
 * Shows each list row's SAL status as a small badge next to the lead's name. Rows render
 * incrementally and re-render on sort, so new rows are picked up by one observer; each row is
 * asked for once (the background answers in one message per batch).
 */
export function startListBadges(adapter: CrmAdapter, doc: Document, signal: AbortSignal): { refresh(): void } {
  let statuses: Record<string, BadgeStatus> = {};
  // labels come from the background in the user's chosen language (no locale files in the page)
  let labels: Partial<Record<BadgeStatus, string>> = {};
  let pending = false;
  // whether the background has a hand-off rule for this CRM (it says so in each answer): until it
  // says no, rows are sent with their cells so it can hand over the ones the rule matches
  let withCells = true;

  const paint = () => {
    for (const { recordId, nameCell } of adapter.listRows(doc)) {
      const status = statuses[recordId];
      if (!status) continue;
      let badge = nameCell.querySelector<HTMLElement>(`[${BADGE_ATTR}]`);
      if (!badge) {
        badge = doc.createElement('span');
        badge.setAttribute(BADGE_ATTR, '');
        nameCell.append(badge);
      }
      if (badge.dataset.status === status) continue;
      const [bg, fg] = COLORS[status];
      badge.dataset.status = status;
      badge.textContent = labels[status] ?? status;
      badge.style.cssText = `display:inline-block;margin-left:6px;padding:0 6px;border-radius:10px;font-size:11px;line-height:18px;font-weight:600;background:${bg};color:${fg};white-space:nowrap;vertical-align:middle;`;
    }
  };

  const update = async (onlyMissing: boolean) => {
    const rows = adapter.listRows(doc).filter((r) => !onlyMissing || !(r.recordId in statuses));
    if (rows.length === 0) return paint();
    const cells: Record<string, ListCells> = {};
    if (withCells) for (const r of rows) cells[r.recordId] = listRowCells(r.row);
    const reply = await sendRequest({ type: 'page.listStatuses', crm: adapter.id, recordIds: [...new Set(rows.map((r) => r.recordId))], cells }).catch(() => null);
    if (signal.aborted || !reply) return;
    withCells = reply.rule;
    statuses = onlyMissing ? { ...statuses, ...reply.statuses } : reply.statuses;
    labels = reply.labels;
    paint();
  };

  const schedule = () => {
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      if (!signal.aborted) void update(true);
    }, 50);
  };

  const isBadge = (node: Node) => node instanceof Element && node.closest(`[${BADGE_ATTR}]`) !== null;
  const observer = new MutationObserver((records) => {
    // our own badge writes also mutate the DOM; reacting to them would loop
    const foreign = records.some((r) => !isBadge(r.target) && (r.type === 'attributes' || [...r.addedNodes].some((n) => !isBadge(n)) || [...r.removedNodes].some((n) => !isBadge(n))));
    if (foreign) schedule();
  });
  // The content script starts at document_start: the body may not be parsed yet. `aria-hidden`:
  // a list visited before comes back by un-hiding its cached view (no node is added), after the
  // navigation that started us, so its rows only become visible then.
  observer.observe(doc.body ?? doc.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-hidden'] });
  signal.addEventListener('abort', () => {
    observer.disconnect();
    for (const b of doc.querySelectorAll(`[${BADGE_ATTR}]`)) b.remove();
  });
  void update(false);
  return {
    refresh: () => {
      // the team's rules may have changed with the statuses: ask once more with cells
      withCells = true;
      void update(false);
    },
  };
}
