import { deepText, isInHiddenView } from '../dom';
import type { LeadField, LeadOnPage, LeadRead } from '../types';
import { hubSpotRecordFromUrl } from './url';
import { setField, pageText, leadReadResult, SNAPSHOT_FIELDS } from '../lead-fields';

// HubSpot's record page: three columns, `[data-test-id="left-sidebar"]` (highlight card with the
// record's name, then the "About" card of properties), `[data-test-id="middle-pane"]` (tabs and
// cards), `[data-test-id="records-right-sidebar"]` (associations). Class names are generated
// (styled-components), so only the test hooks are used: each property's editor carries
// `data-selenium-test="property-input-<internal name>"`, the same in every UI language.

/** Our field → HubSpot internal property names, most specific first. */
const PROPERTIES: Record<LeadField, readonly string[]> = {
  name: ['hs_lead_name'],
  company: ['company'],
  title: ['jobtitle'],
  email: ['email'],
  phone: ['phone', 'mobilephone'],
  // a team's own "lead source" property wins over HubSpot's automatic original source
  leadSource: ['lead_source', 'leadsource', 'hs_analytics_source'],
  // contacts: Lead Status; leads object (0-136): its pipeline stage
  status: ['hs_lead_status', 'hs_pipeline_stage'],
  owner: ['hubspot_owner_id'],
  score: ['hubspotscore'],
};
const EXPECTED: readonly LeadField[] = SNAPSHOT_FIELDS;
/** What HubSpot shows in an empty dropdown or read-only property. */
const EMPTY_MARKS = new Set(['--', '—', '-']);
/** Another record's properties shown in a preview side panel (e.g. an associated company). */
const PREVIEW = '[data-crm-location="CRM_OBJECT_PREVIEW"], [data-selenium-test="preview-panel"]';
const TITLE = '[data-selenium-test="highlightTitle"]';

/**
 * Reads the contact (or leads-object record) the user sees on a HubSpot record page, by the
 * properties' internal names (any UI language). `recordId` is the key from `detectPage`; when the
 * document's URL is a record URL it must be that record, or the read is 'none' (the SPA has moved
 * on). Preview panels of other records are ignored. Never throws; values are text only.
 */
export function readHubSpotLead(doc: Document, recordId: string): LeadRead {
  const lead: LeadOnPage = {};
  const found = new Set<LeadField>();
  const empty = new Set<LeadField>();
  const scope = isCurrentRecord(doc, recordId) ? recordScope(doc) : null;
  if (scope) {
    const title = ownElement(scope, TITLE);
    const name = title ? pageText(deepText(title), 'name') : '';
    if (name) {
      lead.name = name;
      found.add('name');
    }
    for (const field of Object.keys(PROPERTIES) as LeadField[]) {
      if (found.has(field)) continue;
      for (const prop of PROPERTIES[field]) {
        const input = ownElement(scope, `[data-selenium-test="property-input-${prop}"]`);
        if (!input) continue;
        found.add(field);
        const value = pageText(propertyValue(input), field);
        if (value) {
          empty.delete(field);
          setField(lead, field, value);
          break;
        }
        empty.add(field); // keep looking: a later property may hold the value
      }
    }
  }
  return leadReadResult(lead, EXPECTED, found, empty);
}

/**
 * The panel's anchor: the middle pane's tab bar once the record's name has rendered (the panel
 * then sits above the Overview cards, in the page's flow). With `fallback`, the tab bar or the
 * middle pane's first child even when the record never rendered.
 */
export function findHubSpotRecordAnchor(doc: Document, recordId: string, options: { fallback?: boolean } = {}): Element | null {
  if (!isCurrentRecord(doc, recordId)) return null;
  const tabs = ownElement(doc, '[data-test-id="middle-pane"] [role="tablist"]');
  const scope = recordScope(doc);
  const title = scope && ownElement(scope, TITLE);
  if (tabs && title && deepText(title)) return tabs;
  if (!options.fallback) return null;
  return tabs ?? doc.querySelector('[data-test-id="middle-pane"] > *');
}

/** Where the record's own properties are: the left sidebar when the layout has one. */
function recordScope(doc: Document): Element | Document | null {
  const sidebar = ownElement(doc, '[data-test-id="left-sidebar"]');
  return sidebar ?? doc;
}

/** First visible match under `root` that is not inside another record's preview. */
function ownElement(root: Document | Element, selector: string): Element | null {
  for (const el of Array.from(root.querySelectorAll(selector))) {
    if (!el.closest(PREVIEW) && !isInHiddenView(el)) return el;
  }
  return null;
}

function propertyValue(el: Element): string {
  let text: string;
  const tag = el.localName;
  if (tag === 'input' || tag === 'textarea') text = (el as HTMLInputElement).value;
  else if (tag === 'select') text = (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? '';
  else {
    const label = el.querySelector('.private-dropdown__item__label');
    text = deepText(label ?? el);
  }
  const value = text.replace(/\s+/g, ' ').trim();
  return EMPTY_MARKS.has(value) ? '' : value;
}

function isCurrentRecord(doc: Document, recordId: string): boolean {
  let here: URL;
  try {
    here = new URL(doc.location?.href ?? doc.URL);
  } catch {
    return true;
  }
  const record = hubSpotRecordFromUrl(here);
  return !record || record.key === recordId;
}
