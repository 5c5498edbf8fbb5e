import { toCaseSafeId } from '../../domain/salesforce-id';
import type { CrmAdapter, LeadField, LeadOnPage, LeadRead, ListRow, PageKind } from '../types';
import { pageText, SNAPSHOT_FIELDS } from '../lead-fields';

// Salesforce Classic (`<host>.my.salesforce.com`): full page loads, no cached views, detail
// fields in `.detailList` tables as labelCol/dataCol pairs. Classic markup carries no API names,
// so fields are found by their label (Japanese and English orgs).

const ID = '([a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?)';
const RECORD_PATH = new RegExp(`^/${ID}/?$`);
const LABELS: Record<string, LeadField> = {
  名前: 'name',
  氏名: 'name',
  Name: 'name',
  会社名: 'company',
  Company: 'company',
  役職: 'title',
  Title: 'title',
  メール: 'email',
  Email: 'email',
  電話: 'phone',
  Phone: 'phone',
  リードソース: 'leadSource',
  'Lead Source': 'leadSource',
  リード状況: 'status',
  'Lead Status': 'status',
  リード所有者: 'owner',
  'Lead Owner': 'owner',
  スコア: 'score',
  Score: 'score',
};
const EXPECTED: readonly LeadField[] = SNAPSHOT_FIELDS;

/** Classic record id from `/<id>` or null. */
function classicRecordId(url: URL): string | null {
  const m = RECORD_PATH.exec(url.pathname);
  return m?.[1] ? toCaseSafeId(m[1]) : null;
}

/** Classifies a Classic page: `/<00Q id>` lead record, `/00Q` or `/00Q/o` lead list. */
export function detectClassicPage(url: URL): PageKind {
  if (!classicMatches(url)) return { kind: 'other' };
  const id = classicRecordId(url);
  if (id) return id.startsWith('00Q') ? { kind: 'lead-record', recordId: id } : { kind: 'other' };
  return /^\/00Q(?:\/o)?\/?$/.test(url.pathname) ? { kind: 'lead-list' } : { kind: 'other' };
}

function classicMatches(url: URL): boolean {
  return url.protocol === 'https:' && url.hostname.endsWith('.my.salesforce.com') && !url.pathname.startsWith('/lightning/');
}

/** A lead's Classic detail page on the host of a Classic URL this browser has seen; null for other URLs. */
export function classicLeadUrl(seen: URL, recordId: string): string | null {
  return classicMatches(seen) ? `${seen.origin}/${encodeURIComponent(recordId)}` : null;
}

/** Reads the lead from a Classic detail page (`.detailList` label/value pairs). Never throws. */
export function readClassicLead(doc: Document, recordId: string): LeadRead {
  const lead: LeadOnPage = {};
  const found = new Set<LeadField>();
  const empty: LeadField[] = [];
  let here: string | null = null;
  try {
    here = classicRecordId(new URL(doc.URL));
  } catch {
    here = null;
  }
  let wanted: string | null = null;
  try {
    wanted = toCaseSafeId(recordId);
  } catch {
    wanted = null;
  }
  if (wanted && (!here || here === wanted) && doc.body?.classList.contains('sfdcBody')) {
    for (const label of Array.from(doc.querySelectorAll('.detailList td.labelCol'))) {
      const field = LABELS[(label.textContent ?? '').replace(/\s+/g, ' ').trim()];
      const cell = label.nextElementSibling;
      if (!field || found.has(field) || !cell?.classList.contains('dataCol')) continue;
      found.add(field);
      const value = pageText((cell.textContent ?? '').replace(/\s+/g, ' ').trim(), field);
      if (!value) empty.push(field);
      else if (field === 'score') {
        const n = Number(value.replace(/[,\s]/g, ''));
        if (Number.isFinite(n)) lead.score = n;
      } else lead[field] = value;
    }
    if (!lead.name) {
      const title = doc.querySelector('.bPageTitle h2.pageDescription')?.textContent?.trim();
      if (title) {
        lead.name = pageText(title, 'name');
        found.add('name');
      }
    }
  }
  const missing = EXPECTED.filter((f) => !found.has(f));
  const status = missing.length === 0 ? 'complete' : missing.length === EXPECTED.length ? 'none' : 'partial';
  return { status, lead, missing, empty: EXPECTED.filter((f) => empty.includes(f)) };
}

/** Lead rows of a Classic list view: rows linking to a `/00Q…` record. */
export function classicListRows(root: Document | Element): ListRow[] {
  const out: ListRow[] = [];
  const seen = new Set<Element>();
  for (const link of Array.from(root.querySelectorAll('a[href^="/00Q"]'))) {
    const m = /^\/([a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?)(?:[/?#]|$)/.exec(link.getAttribute('href') ?? '');
    const row = link.closest('tr');
    const nameCell = link.closest('td, th');
    if (!m?.[1] || !row || !nameCell || seen.has(row)) continue;
    seen.add(row);
    out.push({ recordId: toCaseSafeId(m[1]), row, nameCell });
  }
  return out;
}

/** Salesforce Classic. */
export const salesforceClassic: CrmAdapter = {
  id: 'salesforce',
  ui: 'salesforce-classic',
  matches: classicMatches,
  detectPage: detectClassicPage,
  readLead: readClassicLead,
  findRecordAnchor(doc, recordId, options = {}) {
    if (readClassicLead(doc, recordId).status === 'none' && !options.fallback) return null;
    return doc.querySelector('.bPageTitle') ?? (options.fallback ? doc.querySelector('#bodyCell, body') : null);
  },
  listRows: classicListRows,
};
