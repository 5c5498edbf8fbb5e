import type { AdapterDescription, Strategy } from '../description';
import type { LeadField } from '../lead-fields';

// Salesforce Classic (`<host>.my.salesforce.com`): full page loads, no cached views, detail
// fields in `.detailList` tables as labelCol/dataCol pairs. Classic markup carries no API names,
// so fields are found by the label next to them (Japanese and English orgs).

const LABELS: Record<LeadField, string[]> = {
  name: ['名前', '氏名', 'name'],
  company: ['会社名', 'company'],
  title: ['役職', 'title'],
  email: ['メール', 'email'],
  phone: ['電話', 'phone'],
  leadSource: ['リードソース', 'lead source'],
  status: ['リード状況', 'lead status'],
  owner: ['リード所有者', 'lead owner'],
  score: ['スコア', 'score'],
};

function strategies(field: LeadField): Strategy[] {
  const out: Strategy[] = [{ name: 'label', in: '.detailList', at: 'td.labelCol', label: LABELS[field] }];
  if (field === 'name') out.push({ name: 'page-title', css: '.bPageTitle h2.pageDescription' });
  return out;
}

export const SALESFORCE_CLASSIC: AdapterDescription = {
  format: 1,
  ui: 'salesforce-classic',
  version: 1,
  idForm: 'salesforce',
  page: 'body.sfdcBody',
  fields: Object.fromEntries((Object.keys(LABELS) as LeadField[]).map((f) => [f, strategies(f)])),
  anchor: { find: [{ name: 'page-title', css: '.bPageTitle' }], needs: 'name', fallback: ['#bodyCell', 'body > *'] },
  list: {
    rows: 'a[href^="/00Q"]',
    row: 'tr',
    link: 'a[href^="/00Q"]',
    id: { pattern: '^/(00Q[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?)(?:[/?#]|$)' },
    linkCell: 'td, th',
  },
};
