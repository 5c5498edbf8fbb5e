import { isInHiddenView } from '../dom';
import type { ListRow } from '../types';
import { normalizeGuid } from './url';

// A Dynamics view is a Power Apps grid (AG Grid underneath): `[role="row"]` elements with
// `row-index` / `aria-rowindex`, virtualised as the user scrolls. The pinned selection column
// and the scrolling columns are separate row containers, so each record has two row elements
// with the same `row-index`; the one with the primary-name link is the one we badge. The record
// id comes from the row's `row-id` when it is a GUID, else from the name link's `id=` parameter.

const NAME_LINK = 'a[href*="etn=lead"][href*="id="]';

/** Lead rows of the visible grid under `root`, one per record, with the name cell to badge. */
export function dynamicsListRows(root: Document | Element): ListRow[] {
  const out: ListRow[] = [];
  const seen = new Set<string>();
  for (const row of Array.from(root.querySelectorAll('[role="row"]'))) {
    const link = row.querySelector(NAME_LINK);
    if (!link || isInHiddenView(row)) continue;
    const recordId = normalizeGuid(row.getAttribute('row-id')) ?? normalizeGuid(new URLSearchParams((link as HTMLAnchorElement).search).get('id'));
    const nameCell = link.closest('[role="gridcell"], td') ?? link.parentElement;
    if (!recordId || !nameCell || seen.has(recordId)) continue;
    seen.add(recordId);
    out.push({ recordId, row, nameCell });
  }
  return out;
}
