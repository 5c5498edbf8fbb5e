import type { LeadField } from '../types';
import { controlText, finder, readByStrategies, urlShows, type StrategyRead } from '../strategies';
import { hubSpotRecordKeyFromUrl } from './url';

// HubSpot's record page: three columns, `[data-test-id="left-sidebar"]` (highlight card with the
// record's name, then the "About" card of properties), `[data-test-id="middle-pane"]` (tabs and
// cards), `[data-test-id="records-right-sidebar"]` (associations). Class names are generated
// (styled-components), so only the test hooks are used: each property's editor carries
// `data-selenium-test="property-input-<internal name>"`, the same in every UI language (a
// dropdown's value is its rendered text, whatever its classes); the
// record's name is `[data-test-id="highlight-record-label"]` (current layout) or
// `[data-selenium-test="highlightTitle"]` (older one).

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
/** Another record's properties shown in a preview side panel (e.g. an associated company). */
const PREVIEW = '[data-crm-location="CRM_OBJECT_PREVIEW"], [data-selenium-test="preview-panel"]';
/** The record's name, by the hook of each layout seen. */
const TITLES = ['[data-test-id="highlight-record-label"]', '[data-selenium-test="highlightTitle"]'] as const;

type Find = ReturnType<typeof finder>;

/**
 * Reads the contact (or leads-object record) the user sees on a HubSpot record page, by the
 * properties' internal names (any UI language). `recordId` is the key from `detectPage`; when the
 * document's URL is a record URL it must be that record, or the read is 'none' (the SPA has moved
 * on). Preview panels of other records are ignored. `via` says which strategy read each field.
 * Never throws; values are text only.
 */
export function readHubSpotLead(doc: Document, recordId: string): StrategyRead {
  const find = recordFinder(doc);
  const title = (hook: string) => (_: string, field: LeadField) => (field === 'name' ? controlText(find(hook)) : null);
  return readByStrategies(isCurrentRecord(doc, recordId) ? PROPERTIES : {}, {
    'highlight-record-label': title(TITLES[0]),
    highlightTitle: title(TITLES[1]),
    property: (p) => controlText(find(`[data-selenium-test="property-input-${p}"]`)),
  });
}

/**
 * The panel's anchor: the middle pane's tab bar once the record's name has rendered (the panel
 * then sits above the Overview cards, in the page's flow). With `fallback`, the tab bar or the
 * middle pane's first child even when the record never rendered.
 */
export function findHubSpotRecordAnchor(doc: Document, recordId: string, options: { fallback?: boolean } = {}): Element | null {
  if (!isCurrentRecord(doc, recordId)) return null;
  const tabs = finder(doc, inPreview)('[data-test-id="middle-pane"] [role="tablist"]');
  if (tabs && hasTitle(recordFinder(doc))) return tabs;
  if (!options.fallback) return null;
  return tabs ?? doc.querySelector('[data-test-id="middle-pane"] > *');
}

function hasTitle(find: Find): boolean {
  return TITLES.some((hook) => controlText(find(hook)));
}

/** Finds in the record's own column (the left sidebar when the layout has one), never in a preview. */
function recordFinder(doc: Document): Find {
  return finder(finder(doc, inPreview)('[data-test-id="left-sidebar"]') ?? doc, inPreview);
}

function inPreview(el: Element): boolean {
  return el.closest(PREVIEW) !== null;
}

function isCurrentRecord(doc: Document, recordId: string): boolean {
  return urlShows(doc, hubSpotRecordKeyFromUrl, recordId);
}
