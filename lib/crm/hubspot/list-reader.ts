import { isInHiddenView } from '../dom';
import type { ListRow } from '../types';
import { hubSpotRecordKeyFromUrl } from './url';

// HubSpot's index page (`/contacts/<portal>/objects/0-1/views/<view>/list`): a table whose rows
// render lazily as the user scrolls; the name cell links to the record. Rows carry no stable id
// attribute, so the record id comes from that link.

/** Contact and lead rows of the visible index table under `root`, once each. */
export function hubSpotListRows(root: Document | Element): ListRow[] {
  const out: ListRow[] = [];
  const seen = new Set<Element>();
  for (const link of Array.from(root.querySelectorAll('table a[href*="/record/0-1/"], table a[href*="/record/0-136/"]'))) {
    const key = hubSpotRecordKeyFromUrl(link as HTMLAnchorElement);
    const row = link.closest('tr');
    const nameCell = link.closest('td, th');
    if (!key || !row || !nameCell || seen.has(row) || isInHiddenView(row)) continue;
    // the preview side panel may link to records too; only the table's rows count
    if (row.closest('[data-crm-location="CRM_OBJECT_PREVIEW"]')) continue;
    seen.add(row);
    out.push({ recordId: key, row, nameCell });
  }
  return out;
}
