import type { AdapterDescription, Strategy } from '../description';
import type { LeadField } from '../lead-fields';

// Salesforce Lightning Experience record pages (see /work/shared/crm-pages.md). Stable hooks first:
// the field's API name (`data-target-selection-name`, the same in every UI language), then the
// layout item's `field-label` attribute and the label text the page shows (Japanese and English
// orgs), each searched through open shadow roots (native shadow DOM rollout).

const PREFIX = 'sfdc:RecordField.Lead.';
/** The value inside a field item: Lightning's value holder, else the output component. */
const VALUE = ['.test-id__field-value', '[data-output-element-id="output-field"]'];

/** Our field → Lead API names (score: custom fields of common marketing-automation packages), then labels (ja, en). */
const FIELDS: Record<LeadField, [api: string[], labels: string[]]> = {
  name: [['Name'], ['名前', 'Name']],
  company: [['Company'], ['会社名', 'Company']],
  title: [['Title'], ['役職', 'Title']],
  email: [['Email'], ['メール', 'Email']],
  phone: [
    ['Phone', 'MobilePhone'],
    ['電話', 'Phone', '携帯電話', 'Mobile'],
  ],
  leadSource: [['LeadSource'], ['リードソース', 'Lead Source']],
  status: [['Status'], ['リード状況', 'Lead Status']],
  owner: [['OwnerId'], ['リード所有者', 'Lead Owner']],
  score: [
    ['Score__c', 'pi__score__c', 'mkto71_Lead_Score__c'],
    ['スコア', 'Score'],
  ],
};

const HEADER = 'records-lwc-highlights-panel, records-highlights2';

function strategies(field: LeadField): Strategy[] {
  const [api, labels] = FIELDS[field];
  const out: Strategy[] = [
    ...api.map((name): Strategy => ({ name: 'api-name', css: `[data-target-selection-name="${PREFIX}${name}"]`, deep: true, value: VALUE })),
    ...labels.map((label): Strategy => ({ name: 'field-label', css: `records-record-layout-item[field-label="${label}"]`, deep: true, value: VALUE })),
    { name: 'label-text', label: labels.map((l) => l.toLowerCase()), at: '.test-id__field-label, .slds-form-element__label', deep: true, value: VALUE },
  ];
  if (field === 'name') {
    // the highlights header shows the name even on layouts without the Name field
    out.push(
      { name: 'header', in: HEADER, css: 'slot[name="primaryField"] lightning-formatted-name', deep: true },
      { name: 'header', in: HEADER, css: '[slot="primaryField"]', deep: true },
      { name: 'header', in: HEADER, css: 'lightning-formatted-name', deep: true },
    );
  }
  return out;
}

export const SALESFORCE_LIGHTNING: AdapterDescription = {
  format: 1,
  ui: 'salesforce-lightning',
  version: 1,
  idForm: 'salesforce',
  // Lightning keeps visited pages in the DOM and marks the visible one `.active`
  views: { css: '.windowViewMode-normal, .windowViewMode-maximized', active: '.active' },
  fields: Object.fromEntries((Object.keys(FIELDS) as LeadField[]).map((f) => [f, strategies(f)])),
  anchor: {
    find: [{ name: 'highlights', css: HEADER, deep: true }],
    fallback: ['one-record-home-flexipage2, flexipage-record-home-template-desktop2'],
  },
  checkboxes: { css: `[data-target-selection-name^="${PREFIX}"]`, attr: 'data-target-selection-name', prefix: PREFIX, label: 'field-label' },
  list: {
    rows: 'tr[data-row-key-value]',
    deep: true,
    link: 'a[data-recordid], a[href*="/lightning/r/"]',
    id: { attr: 'data-row-key-value', pattern: '^(00Q[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?)$' },
    cell: ['th[scope="row"]'],
    linkCell: 'th, td',
  },
  // the Aura framework's build id in its script URL changes with each Salesforce release
  release: [{ css: 'script[src*="/auraFW/javascript/"]', attr: 'src', pattern: '/auraFW/javascript/([^/]+)/' }],
};
