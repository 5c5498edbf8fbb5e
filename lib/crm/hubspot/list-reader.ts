import { isInHiddenView } from '../dom';
import type { ListRow } from '../types';
import { hubSpotRecordKey } from './url';

// HubSpot's index page (`/contacts/<portal>/objects/0-1/views/<view>/list`): a table whose rows
// render lazily as the user scrolls; the name cell links to the record. Rows carry no stable id
// attribute, so the record id comes from that link.

const RECORD_LINK = /\/contacts\/\d+\/record\/(0-1|0-136)\/(\d{1,20})(?:[/?#]|$)/;

/** Contact and lead rows of the visible index table under `root`, once each. */
export function hubSpotListRows(root: Document | Element): ListRow[] {
  const out: ListRow[] = [];
  const seen = new Set<Element>();
  for (const link of Array.from(root.querySelectorAll('table a[href*="/record/0-1/"], table a[href*="/record/0-136/"]'))) {
    const m = RECORD_LINK.exec(link.getAttribute('href') ?? '');
    const row = link.closest('tr');
    const nameCell = link.closest('td, th');
    if (!m?.[1] || !m[2] || !row || !nameCell || seen.has(row) || isInHiddenView(row)) continue;
    // the preview side panel may link to records too; only the table's rows count
    if (row.closest('[data-crm-location="CRM_OBJECT_PREVIEW"]')) continue;
    seen.add(row);
    out.push({ recordId: hubSpotRecordKey(m[1], m[2]), row, nameCell });
  }
  return out;
}
