import { deepQueryFirst, deepText } from '../dom';
import type { LeadField } from '../types';
import { besideLabel, controlText, finder, readByStrategies, urlShows, type StrategyRead } from '../strategies';
import { dynamicsLeadIdFromUrl, normalizeGuid } from './url';

// A Unified Interface form: `[data-id="form-header"]` holds `h1[data-id="header_title"]` (the
// record's primary name) and the header fields; body fields sit in
// `[data-id="<logical name>-FieldSectionItemContainer"]` with the control marked
// `data-id="<logical name>.fieldControl-…"`. Logical names are the same in every UI language.
// The always-visible header renders its fields as `uci-header-control-list-item[data-name=
// "header_<logical name>"]` behind open shadow roots (value and label slotted in as light
// children); older layouts leave the items unnamed (only the label says which field); the
// header pop-out, once the user expands it, has `[data-id="header_<logical name>"]`.
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
/** Header labels (lower case) of the default lead form, for unnamed header items. */
const LABELS: Partial<Record<LeadField, readonly string[]>> = {
  leadSource: ['lead source', 'リード ソース'],
  status: ['status reason', 'ステータス理由'],
  owner: ['owner', '所有者'],
};
/** The save state the header appends to the title ("- Saved", "- 保存済み", "- 未保存"). */
const SAVE_STATE = /\s+-\s+(?:saved|unsaved|read-only|保存済み|未保存|読み取り専用)$/i;

type Find = ReturnType<typeof finder>;

/**
 * Reads the lead the user sees on a Dynamics 365 lead form. `recordId` is a GUID (any case,
 * braces allowed); when the document's URL is a lead record URL it must be that lead, or the
 * read is 'none' (the app has moved on). Fields in hidden tabs count as missing. `via` says which
 * strategy read each field. Never throws.
 */
export function readDynamicsLead(doc: Document, recordId: string): StrategyRead {
  const find = finder(doc);
  return readByStrategies(isCurrentRecord(doc, recordId) ? ATTRIBUTES : {}, {
    title: (_, field) => (field === 'name' ? headerTitle(find) : null),
    body: (a) => controlValue(find(`[data-id="${a}-FieldSectionItemContainer"]`)),
    header: (a) => slotted(find(`uci-header-control-list-item[data-name="header_${a}"]`, true)),
    popout: (a) => controlValue(find(`[data-id="header_${a}"]`)),
    label: (_, field) => LABELS[field] && besideLabel(find('[data-id="form-header"]'), LABELS[field]),
  });
}

/**
 * The panel's anchor: the form header once it shows the record's name (the panel goes between
 * the header and the form's tabs, covering nothing). With `fallback`, the header or the form.
 */
export function findDynamicsRecordAnchor(doc: Document, recordId: string, options: { fallback?: boolean } = {}): Element | null {
  if (!isCurrentRecord(doc, recordId)) return null;
  const find = finder(doc);
  const header = find('[data-id="form-header"]');
  if (header && headerTitle(find)) return header;
  if (!options.fallback) return null;
  return header ?? find('[data-id="editFormRoot"]');
}

function headerTitle(find: Find): string | null {
  const h = find('[data-id="header_title"]');
  return h && (h.getAttribute('title') || deepText(h)).replace(SAVE_STATE, '');
}

/** A header item's value: the light child slotted as the value (or the shadow's value text). */
function slotted(item: Element | null): string | null {
  const v = item && deepQueryFirst(item, '[slot="value"], .value-text');
  return item && (v ? deepText(v) : '');
}

/** The displayed value of a field's control: option sets by the chosen label, lookups by the tag, inputs by value. */
function controlValue(holder: Element | null): string | null {
  const c = holder && (holder.querySelector('[data-id$="_selected_tag_text"], [data-id$="_selected_tag"]') ?? holder.querySelector('[data-id*=".fieldControl"]') ?? holder);
  return c && ((c.getAttribute('role') === 'combobox' && c.getAttribute('title')) || controlText(c.querySelector('input, textarea') ?? c));
}

function isCurrentRecord(doc: Document, recordId: string): boolean {
  return urlShows(doc, dynamicsLeadIdFromUrl, normalizeGuid(recordId));
}
