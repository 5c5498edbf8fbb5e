import { deepQueryAll, deepQueryFirst, deepText, isInHiddenView } from '../dom';
import type { LeadField, LeadOnPage, LeadRead } from '../types';
import { toCaseSafeId } from '../../domain/salesforce-id';
import { recordFromUrl } from './url';
import { setField, pageText, leadReadResult, SNAPSHOT_FIELDS } from '../lead-fields';

const FIELD_PREFIX = 'sfdc:RecordField.Lead.';

/** Lead API name → our field. Score: custom fields of common marketing-automation packages. */
const API_FIELDS: Record<string, LeadField> = {
  Name: 'name',
  Company: 'company',
  Title: 'title',
  Email: 'email',
  Phone: 'phone',
  MobilePhone: 'phone',
  LeadSource: 'leadSource',
  Status: 'status',
  OwnerId: 'owner',
  Score__c: 'score',
  pi__score__c: 'score',
  mkto71_Lead_Score__c: 'score',
};

/** How many distinct fields API_FIELDS maps to (a read that has them all is done). */
const FIELD_COUNT = new Set(Object.values(API_FIELDS)).size;

/** Fields whose absence makes a read partial (owner and score are extras). */
const EXPECTED: readonly LeadField[] = SNAPSHOT_FIELDS;

/**
 * The view container of the record the user sees. Lightning keeps visited pages in the DOM and
 * marks the visible one `.active`; null when views exist but none is visible (mid-navigation).
 * Pages without such containers (other layouts) are searched whole.
 */
export function visibleRecordView(doc: Document): Element | Document | null {
  const views = doc.querySelectorAll('.windowViewMode-normal, .windowViewMode-maximized');
  if (views.length === 0) return doc;
  for (let i = 0; i < views.length; i++) {
    const v = views[i] as Element;
    if (v.classList.contains('active') && !isInHiddenView(v)) return v;
  }
  return null;
}

/**
 * Reads the lead shown in the visible record view of a Lightning page, by API name
 * (`data-target-selection-name`), so any UI language works. `recordId` (15 or 18 characters) is
 * checked against the document's URL when it is a record URL: a read for a record the page has
 * already navigated away from returns 'none'. Never throws; values are text, never markup.
 */
export function readLightningLead(doc: Document, recordId: string): LeadRead {
  const lead: LeadOnPage = {};
  const found = new Set<LeadField>();
  const empty = new Set<LeadField>();
  const view = isCurrentRecord(doc, recordId) ? visibleRecordView(doc) : null;
  if (view) {
    for (const item of deepQueryAll(view, `[data-target-selection-name^="${FIELD_PREFIX}"]`)) {
      const api = item.getAttribute('data-target-selection-name')!.slice(FIELD_PREFIX.length);
      const field = API_FIELDS[api];
      if (field && !found.has(field) && !isInHiddenView(item)) {
        found.add(field);
        const value = fieldValue(item, field);
        if (value) setField(lead, field, value);
        else empty.add(field);
      }
      // Every field is found: later items (the light DOM's, then the open shadow roots') could
      // only repeat one, so stop before the walk into shadow roots, which is costly on large pages.
      if (found.size === FIELD_COUNT) break;
    }
    if (!lead.name) {
      // The highlights header shows the name even on layouts without the Name field.
      const header = deepQueryFirst(view, 'records-lwc-highlights-panel, records-highlights2');
      const primary =
        header &&
        (deepQueryFirst(header, 'slot[name="primaryField"] lightning-formatted-name') ?? deepQueryFirst(header, '[slot="primaryField"]') ?? deepQueryFirst(header, 'lightning-formatted-name'));
      const name = primary && !isInHiddenView(primary) ? pageText(deepText(primary), 'name') : '';
      if (name) {
        lead.name = name;
        found.add('name');
        empty.delete('name');
      }
    }
    readCheckboxes(view, lead);
  }
  return leadReadResult(lead, EXPECTED, found, empty);
}

/**
 * Checkbox fields of the record (for hand-off rules such as "MQL__c is checked"), by API name and
 * by the label the page shows. Light DOM only: one query, no shadow walk on every read.
 */
function readCheckboxes(view: Element | Document, lead: LeadOnPage): void {
  const sel = `[data-target-selection-name^="${FIELD_PREFIX}"]`;
  const boxes: Record<string, boolean> = {};
  for (const box of view.querySelectorAll<HTMLInputElement>(`${sel} input[type=checkbox]`)) {
    const item = box.closest(sel)!;
    boxes[item.getAttribute('data-target-selection-name')!.slice(FIELD_PREFIX.length)] = box.checked;
    const label = item.closest('[field-label]')?.getAttribute('field-label');
    if (label) boxes[label] = box.checked;
  }
  if (Object.keys(boxes).length > 0) lead.checkboxes = boxes;
}

/**
 * The panel's anchor in the visible record: its highlights header (the panel goes right after
 * it, so it covers none of the record's controls). With `fallback`, the record page frame when
 * the header is not there (fields that never render).
 */
export function findLightningRecordAnchor(doc: Document, recordId: string, options: { fallback?: boolean } = {}): Element | null {
  const view = isCurrentRecord(doc, recordId) ? visibleRecordView(doc) : null;
  if (!view) return null;
  const header = deepQueryFirst(view, 'records-lwc-highlights-panel, records-highlights2');
  if (header && !isInHiddenView(header)) return header;
  if (!options.fallback) return null;
  const frame = deepQueryFirst(view, 'one-record-home-flexipage2, flexipage-record-home-template-desktop2');
  if (frame) return frame;
  return view.nodeType === 1 ? (view as Element) : null;
}

function isCurrentRecord(doc: Document, recordId: string): boolean {
  let here: URL;
  try {
    here = new URL(doc.location?.href ?? doc.URL);
  } catch {
    return true;
  }
  const record = recordFromUrl(here);
  if (!record) return true; // not a record URL (e.g. a fixture): nothing to compare with
  try {
    return record.recordId === toCaseSafeId(recordId);
  } catch {
    return false;
  }
}

function fieldValue(item: Element, field: LeadField): string {
  const holder = deepQueryFirst(item, '.test-id__field-value') ?? deepQueryFirst(item, '[data-output-element-id="output-field"]');
  return holder ? pageText(deepText(holder), field) : '';
}
