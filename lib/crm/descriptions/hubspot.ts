import type { AdapterDescription, Strategy } from '../description';
import type { LeadField } from '../lead-fields';

// HubSpot's record page: three columns, `[data-test-id="left-sidebar"]` (highlight card with the
// record's name, then the "About" card of properties), `[data-test-id="middle-pane"]` (tabs and
// cards), `[data-test-id="records-right-sidebar"]` (associations). Class names are generated
// (styled-components), so only test hooks and accessible names are used: each property's editor
// carries `data-selenium-test="property-input-<internal name>"`, the same in every UI language (a
// dropdown's value is its rendered text, whatever its classes); the record's name is
// `[data-test-id="highlight-record-label"]` (current layout) or
// `[data-selenium-test="highlightTitle"]` (older one); pages have been seen with both.

/** Our field → HubSpot internal property names, most specific first. */
const PROPERTIES: Record<LeadField, string[]> = {
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

/** The property labels the record page shows (ja, en), for when an editor loses its hook. */
const LABELS: Partial<Record<LeadField, string[]>> = {
  company: ['会社名', 'company name'],
  title: ['役職', 'job title'],
  email: ['eメール', 'email'],
  phone: ['電話番号', 'phone number'],
  leadSource: ['リードソース', 'lead source'],
  status: ['リードステータス', 'lead status'],
};

const TITLES: Strategy[] = [
  { name: 'highlight-record-label', css: '[data-test-id="highlight-record-label"]', deep: true },
  { name: 'highlightTitle', css: '[data-selenium-test="highlightTitle"]', deep: true },
];

// Every strategy looks into open shadow roots too (after the light DOM): in the record's own
// column only, so the walk stays small.
function strategies(field: LeadField): Strategy[] {
  const labels = LABELS[field];
  return [
    ...(field === 'name' ? TITLES : []),
    ...PROPERTIES[field].map((p): Strategy => ({ name: 'property', css: `[data-selenium-test="property-input-${p}"]`, deep: true })),
    // the editor's accessible name, then the text next to the property's label
    ...(labels
      ? [
          { name: 'aria-label', css: labels.map((l) => `[aria-label="${l}" i]`).join(', '), deep: true },
          { name: 'label', label: labels, at: 'label', deep: true },
        ]
      : []),
  ];
}

export const HUBSPOT: AdapterDescription = {
  format: 1,
  ui: 'hubspot',
  version: 1,
  idForm: 'hubspot',
  scope: '[data-test-id="left-sidebar"]',
  exclude: PREVIEW,
  fields: Object.fromEntries((Object.keys(PROPERTIES) as LeadField[]).map((f) => [f, strategies(f)])),
  // the middle pane's tab bar once the record's name has rendered: the panel then sits above the
  // Overview cards, in the page's flow
  anchor: {
    find: [{ name: 'tablist', css: '[data-test-id="middle-pane"] [role="tablist"]' }],
    needs: 'name',
    fallback: ['[data-test-id="middle-pane"] > *', 'body > *'],
  },
  // the index table's rows render lazily and carry no stable id: the id comes from the name link
  list: {
    rows: 'table a[href*="/record/0-1/"], table a[href*="/record/0-136/"]',
    row: 'tr',
    link: 'a[href*="/record/"]',
    id: { pattern: '^/contacts/\\d+/record/(0-1|0-136)/(\\d{1,20})(?:[/?].*)?$' },
    linkCell: 'td, th',
    exclude: '[data-crm-location="CRM_OBJECT_PREVIEW"]',
  },
};
