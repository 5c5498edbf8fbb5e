import type { AdapterDescription, Strategy } from '../description';
import type { LeadField } from '../lead-fields';

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
const ATTRIBUTES: Record<LeadField, string[]> = {
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
const LABELS: Partial<Record<LeadField, string[]>> = {
  leadSource: ['lead source', 'リード ソース'],
  status: ['status reason', 'ステータス理由'],
  owner: ['owner', '所有者'],
};
/** A control's displayed value: option sets and lookups by the chosen label, inputs by value. */
const CONTROL = ['[data-id$="_selected_tag_text"]', '[data-id$="_selected_tag"]', 'input', 'textarea', 'select', '[data-id*=".fieldControl"]'];

function strategies(field: LeadField): Strategy[] {
  const out: Strategy[] = [];
  if (field === 'name') {
    // the header title; the header appends the save state ("- Saved", "- 保存済み", "- 未保存")
    out.push({ name: 'title', css: '[data-id="header_title"]', attr: 'title', strip: '\\s+-\\s+(?:saved|unsaved|read-only|保存済み|未保存|読み取り専用)$' });
  }
  for (const a of ATTRIBUTES[field]) {
    out.push(
      { name: 'body', css: `[data-id="${a}-FieldSectionItemContainer"]`, value: CONTROL, self: true },
      { name: 'header', css: `uci-header-control-list-item[data-name="header_${a}"]`, deep: true, value: ['[slot="value"]', '.value-text'] },
      { name: 'popout', css: `[data-id="header_${a}"]`, value: CONTROL, self: true },
    );
  }
  const labels = LABELS[field];
  if (labels) out.push({ name: 'label', in: '[data-id="form-header"]', label: labels, deep: true });
  return out;
}

export const DYNAMICS: AdapterDescription = {
  format: 1,
  ui: 'dynamics-365',
  version: 1,
  idForm: 'guid',
  fields: Object.fromEntries((Object.keys(ATTRIBUTES) as LeadField[]).map((f) => [f, strategies(f)])),
  // the form header once it shows the record's name: the panel goes between the header and the
  // form's tabs, covering nothing
  anchor: { find: [{ name: 'form-header', css: '[data-id="form-header"]' }], needs: 'name', fallback: ['[data-id="editFormRoot"]', 'body > *'] },
  // a Power Apps grid: the pinned and scrolling columns are separate row containers, so each
  // record has two row elements; the one with the primary-name link is the one badged
  list: {
    rows: '[role="row"]',
    link: 'a[href*="etn=lead"][href*="id="]',
    id: { attr: 'row-id', pattern: '(?:^|[?&]id=)(?:\\{|%7B)?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?:\\}|%7D)?(?:$|&)' },
    linkCell: '[role="gridcell"], td',
  },
};
