import { deepText, isInHiddenView } from '../dom';
import type { LeadField, LeadOnPage, LeadRead } from '../types';
import { dynamicsLeadIdFromUrl, normalizeGuid } from './url';
import { setField, pageText, leadReadResult, SNAPSHOT_FIELDS } from '../lead-fields';

// A Unified Interface form: `[data-id="form-header"]` holds `h1[data-id="header_title"]` (the
// record's primary name) and header fields `[data-id="header_<logical name>"]`; body fields sit
// in `[data-id="<logical name>-FieldSectionItemContainer"]` with the control marked
// `data-id="<logical name>.fieldControl-…"`. Logical names are the same in every UI language.
// Quick-view forms prefix their fields (`<quick view>.<logical name>`), so exact matches on our
// names never read another record's fields.

/** Our field → lead logical names, most specific first. */
const ATTRIBUTES: Record<LeadField, readonly string[]> = {
  name: ['fullname'],
  company: ['companyname'],
  title: ['jobtitle'],
  email: ['emailaddress1'],
  phone: ['telephone1', 'mobilephone'],
  leadSource: ['leadsourcecode'],
  status: ['statuscode', 'statecode'],
  owner: ['ownerid'],
  score: ['leadscore', 'msdyncrm_leadscore'],
};
const EXPECTED: readonly LeadField[] = SNAPSHOT_FIELDS;
/** An option set or lookup with no value shows this. */
const EMPTY_MARKS = new Set(['---', '--', '—']);
/** The save state the header appends to the title ("- Saved", "- 保存済み", "- 未保存"). */
const SAVE_STATE = /\s+-\s+(?:saved|unsaved|read-only|保存済み|未保存|読み取り専用)$/i;

/**
 * Reads the lead the user sees on a Dynamics 365 lead form. `recordId` is a GUID (any case,
 * braces allowed); when the document's URL is a lead record URL it must be that lead, or the
 * read is 'none' (the app has moved on). Fields in hidden tabs count as missing. Never throws.
 */
export function readDynamicsLead(doc: Document, recordId: string): LeadRead {
  const lead: LeadOnPage = {};
  const found = new Set<LeadField>();
  const empty = new Set<LeadField>();
  if (isCurrentRecord(doc, recordId)) {
    const name = headerTitle(doc);
    if (name) {
      lead.name = name;
      found.add('name');
    }
    for (const field of Object.keys(ATTRIBUTES) as LeadField[]) {
      if (found.has(field)) continue;
      for (const attr of ATTRIBUTES[field]) {
        const holders = [visible(doc, `[data-id="${attr}-FieldSectionItemContainer"]`), visible(doc, `[data-id="header_${attr}"]`)];
        for (const holder of holders) {
          if (!holder) continue;
          found.add(field);
          const value = pageText(controlValue(holder), field);
          if (value) {
            empty.delete(field);
            setField(lead, field, value);
            break;
          }
          empty.add(field);
        }
        if (field in lead) break;
      }
    }
  }
  return leadReadResult(lead, EXPECTED, found, empty);
}

/**
 * The panel's anchor: the form header once it shows the record's name (the panel goes between
 * the header and the form's tabs, covering nothing). With `fallback`, the header or the form.
 */
export function findDynamicsRecordAnchor(doc: Document, recordId: string, options: { fallback?: boolean } = {}): Element | null {
  if (!isCurrentRecord(doc, recordId)) return null;
  const header = visible(doc, '[data-id="form-header"]');
  if (header && headerTitle(doc)) return header;
  if (!options.fallback) return null;
  return header ?? visible(doc, '[data-id="editFormRoot"]');
}

function headerTitle(doc: Document): string {
  const h = visible(doc, '[data-id="header_title"]');
  if (!h) return '';
  const text = (h.getAttribute('title') || deepText(h)).replace(/\s+/g, ' ').trim();
  return pageText(text.replace(SAVE_STATE, ''), 'name');
}

function visible(root: Document | Element, selector: string): Element | null {
  for (const el of Array.from(root.querySelectorAll(selector))) if (!isInHiddenView(el)) return el;
  return null;
}

/** The displayed value of a field's control: inputs by value, option sets by the chosen label, lookups by the tag. */
function controlValue(holder: Element): string {
  const tag = holder.querySelector('[data-id$="_selected_tag_text"], [data-id$="_selected_tag"]');
  const control = tag ?? holder.querySelector('[data-id*=".fieldControl"]') ?? holder;
  let text: string;
  const name = control.localName;
  if (name === 'input' || name === 'textarea') text = (control as HTMLInputElement).value;
  else if (name === 'select') text = (control as HTMLSelectElement).selectedOptions[0]?.textContent ?? '';
  else if (control.getAttribute('role') === 'combobox' && control.getAttribute('title')) text = control.getAttribute('title') ?? '';
  else {
    const input = control.querySelector('input, textarea');
    text = input ? (input as HTMLInputElement).value : deepText(control);
  }
  const value = text.replace(/\s+/g, ' ').trim();
  return EMPTY_MARKS.has(value) ? '' : value;
}

function isCurrentRecord(doc: Document, recordId: string): boolean {
  const wanted = normalizeGuid(recordId);
  if (!wanted) return false;
  let here: URL;
  try {
    here = new URL(doc.location?.href ?? doc.URL);
  } catch {
    return true;
  }
  const shown = dynamicsLeadIdFromUrl(here);
  return !shown || shown === wanted;
}
