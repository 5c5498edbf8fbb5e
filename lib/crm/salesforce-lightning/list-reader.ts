import { deepQueryAll, isInHiddenView } from '../dom';
import type { ListRow } from '../types';
import { toCaseSafeId } from '../../domain/salesforce-id';

const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const ROWS = 'tr[data-row-key-value]';

/**
 * Lead rows of the visible Lightning list view under `root`: `tr[data-row-key-value=<id>]`
 * (the header row's `HEADER` and non-lead rows are skipped), ids in 18-character form, rows of
 * hidden cached views left out. Rows in open shadow roots are found too; the shadow walk only
 * happens when the light DOM has no visible lead rows, since lists can hold thousands.
 */
export function lightningListRows(root: Document | Element): ListRow[] {
  const light = toListRows(Array.from(root.querySelectorAll(ROWS)));
  return light.length > 0 ? light : toListRows(deepQueryAll(root, ROWS));
}

function toListRows(rows: Iterable<Element>): ListRow[] {
  const out: ListRow[] = [];
  for (const row of rows) {
    const key = row.getAttribute('data-row-key-value') ?? '';
    if (!ID.test(key) || !key.startsWith('00Q')) continue;
    const nameCell = row.querySelector('th[scope="row"]') ?? row.querySelector('a[data-recordid], a[href*="/lightning/r/"]')?.closest('th, td') ?? row.querySelector('th');
    if (!nameCell || isInHiddenView(row)) continue;
    out.push({ recordId: toCaseSafeId(key), row, nameCell });
  }
  return out;
}
