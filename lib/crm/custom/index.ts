import { isInHiddenView } from '../dom';
import type { CrmAdapter, LeadField, LeadOnPage, LeadRead, ListRow, PageKind } from '../types';
import { pageText, SNAPSHOT_FIELDS } from '../lead-fields';

// "Any CRM by configuration": an adapter built from a small JSON description written by the team
// (host, URL patterns, CSS selectors). Pure: no storage, no permissions; the caller parses the
// stored configuration, builds the adapter with `createCustomAdapter`, and registers the content
// script for its origin (see the contract of `customMatchPattern`).

/** A team's description of its CRM's pages. */
export interface CustomCrmConfig {
  /** Short slug naming this CRM in lead keys (`custom:<slug>:<record id>`), e.g. `kintone`. */
  slug: string;
  /** Host name, or `*.` + a domain for any subdomain: `crm.example.co.jp`, `*.cybozu.com`. */
  host: string;
  /** Regular expression on path + query + hash of a lead record page, with a named group `id`. */
  recordUrl: string;
  /** Regular expression on path + query + hash of a lead list page (optional). */
  listUrl?: string;
  /** CSS selector per lead field; `name` is required. Values: inputs by value, others by text. */
  fields: Partial<Record<LeadField, string>> & { name: string };
  /** CSS selector of the element the panel goes after (e.g. the record header). */
  anchor: string;
  list?: {
    /** CSS selector of one data row. */
    row: string;
    /** Attribute of the row holding the record id; else the id comes from `link`'s href via `recordUrl`. */
    idAttribute?: string;
    /** CSS selector, inside the row, of the link to the record (default `a[href]`). */
    link?: string;
    /** CSS selector, inside the row, of the cell the badge goes in (default: the link's cell). */
    nameCell?: string;
  };
}

export type CustomAdapterResult = { ok: true; adapter: CrmAdapter } | { ok: false; errors: string[] };

const STANDARD: readonly LeadField[] = SNAPSHOT_FIELDS;
const SLUG = /^[a-z0-9][a-z0-9-]{0,29}$/;
const HOST = /^(\*\.)?([a-z0-9-]+\.)+[a-z]{2,}$/;
const RECORD_ID = /^[^\s:]{1,150}$/;
/** URLs are short; a bound keeps a badly written pattern from stalling the page. */
const MAX_URL_PART = 2048;

/**
 * Builds an adapter from a configuration, or explains what is wrong with it (every problem, so
 * an options page can show them all). Selectors are checked against `doc` when given (CSS syntax
 * needs a DOM); unchecked selectors that turn out invalid simply find nothing. Never throws.
 */
export function createCustomAdapter(config: CustomCrmConfig, doc?: Document): CustomAdapterResult {
  const errors: string[] = [];
  if (!SLUG.test(config.slug ?? '')) errors.push('slug: 1–30 lower-case letters, digits or "-"');
  if (!HOST.test(config.host ?? '')) errors.push('host: a host name such as crm.example.com or *.example.com');
  const record = compile(config.recordUrl, 'recordUrl', errors, true);
  const list = config.listUrl ? compile(config.listUrl, 'listUrl', errors, false) : null;
  if (!config.fields?.name) errors.push('fields.name: a selector is required');
  if (!config.anchor) errors.push('anchor: a selector is required');
  if (doc) {
    const selectors: [string, string | undefined][] = [
      ...Object.entries(config.fields ?? {}).map(([k, v]): [string, string] => [`fields.${k}`, v]),
      ['anchor', config.anchor],
      ['list.row', config.list?.row],
      ['list.link', config.list?.link],
      ['list.nameCell', config.list?.nameCell],
    ];
    for (const [where, sel] of selectors) {
      if (!sel) continue; // absent or empty: reported above when required
      try {
        doc.createDocumentFragment().querySelector(sel);
      } catch {
        errors.push(`${where}: not a valid CSS selector`);
      }
    }
  }
  if (errors.length > 0 || !record) return { ok: false, errors };

  const hostOk = hostMatcher(config.host);
  const expected = STANDARD.filter((f) => config.fields[f]);
  const urlPart = (url: URL) => (url.pathname + url.search + url.hash).slice(0, MAX_URL_PART);
  const recordIdOf = (url: URL): string | null => {
    const id = record.exec(urlPart(url))?.groups?.id;
    return id && RECORD_ID.test(id) ? `${config.slug}:${id}` : null;
  };
  const matches = (url: URL) => url.protocol === 'https:' && hostOk(url.hostname);
  const isCurrent = (doc: Document, recordId: string) => {
    let here: URL;
    try {
      here = new URL(doc.location?.href ?? doc.URL);
    } catch {
      return true;
    }
    const shown = matches(here) ? recordIdOf(here) : null;
    return !shown || shown === recordId;
  };

  const adapter: CrmAdapter = {
    id: 'custom',
    ui: `custom:${config.slug}`,
    matches,
    detectPage(url): PageKind {
      if (!matches(url)) return { kind: 'other' };
      const id = recordIdOf(url);
      if (id) return { kind: 'lead-record', recordId: id };
      return list?.test(urlPart(url)) ? { kind: 'lead-list' } : { kind: 'other' };
    },
    readLead(doc, recordId): LeadRead {
      const lead: LeadOnPage = {};
      const found = new Set<LeadField>();
      const empty = new Set<LeadField>();
      if (isCurrent(doc, recordId)) {
        for (const [field, selector] of Object.entries(config.fields) as [LeadField, string][]) {
          const el = visible(doc, selector);
          if (!el) continue;
          found.add(field);
          const value = pageText(valueOf(el), field);
          if (!value) empty.add(field);
          else if (field === 'score') {
            const n = Number(value.replace(/[,\s]/g, ''));
            if (Number.isFinite(n)) lead.score = n;
          } else lead[field] = value;
        }
      }
      const missing = expected.filter((f) => !found.has(f));
      const status = missing.length === 0 ? 'complete' : missing.length === expected.length ? 'none' : 'partial';
      return { status, lead, missing, empty: expected.filter((f) => empty.has(f)) };
    },
    findRecordAnchor(doc, recordId, options = {}) {
      if (!isCurrent(doc, recordId)) return null;
      const anchor = visible(doc, config.anchor);
      if (anchor && (options.fallback || visible(doc, config.fields.name))) return anchor;
      return options.fallback ? doc.body : null;
    },
    listRows(root): ListRow[] {
      const spec = config.list;
      if (!spec) return [];
      const out: ListRow[] = [];
      const seen = new Set<string>();
      for (const row of safeAll(root, spec.row)) {
        if (isInHiddenView(row)) continue;
        const link = safeAll(row, spec.link ?? 'a[href]')[0] ?? null;
        let recordId: string | null = null;
        if (spec.idAttribute) {
          const raw = row.getAttribute(spec.idAttribute) ?? '';
          recordId = RECORD_ID.test(raw) ? `${config.slug}:${raw}` : null;
        } else if (link) {
          try {
            recordId = recordIdOf(new URL(link.getAttribute('href') ?? '', 'https://x.invalid/'));
          } catch {
            recordId = null;
          }
        }
        const nameCell = (spec.nameCell ? safeAll(row, spec.nameCell)[0] : link?.closest('td, th, [role="gridcell"]')) ?? row;
        if (!recordId || seen.has(recordId)) continue;
        seen.add(recordId);
        out.push({ recordId, row, nameCell });
      }
      return out;
    },
  };
  return { ok: true, adapter };
}

/**
 * Adapters for the configurations that are valid; broken ones are skipped (the options page
 * shows their errors). Never throws, whatever `configs` holds (it may come from storage).
 */
export function customAdapters(configs: readonly unknown[]): CrmAdapter[] {
  const out: CrmAdapter[] = [];
  for (const config of configs) {
    if (!config || typeof config !== 'object') continue;
    try {
      const built = createCustomAdapter(config as CustomCrmConfig);
      if (built.ok) out.push(built.adapter);
    } catch {
      // a stored value of the wrong shape (e.g. fields not an object): no adapter
    }
  }
  return out;
}

/** The match pattern to register the content script with for this configuration's host. */
export function customMatchPattern(config: Pick<CustomCrmConfig, 'host'>): string {
  return `https://${config.host}/*`;
}

function compile(source: string | undefined, where: string, errors: string[], needsId: boolean): RegExp | null {
  let re: RegExp;
  try {
    re = new RegExp(source ?? '');
  } catch {
    errors.push(`${where}: not a valid regular expression`);
    return null;
  }
  if (!source) {
    errors.push(`${where}: required`);
    return null;
  }
  if (needsId && !/\(\?<id>/.test(source)) {
    errors.push(`${where}: needs a named group (?<id>…) for the record id`);
    return null;
  }
  return re;
}

function hostMatcher(pattern: string): (host: string) => boolean {
  if (pattern.startsWith('*.')) {
    const domain = pattern.slice(2);
    return (host) => host === domain || host.endsWith(`.${domain}`);
  }
  return (host) => host === pattern;
}

function safeAll(root: Document | Element, selector: string): Element[] {
  try {
    return Array.from(root.querySelectorAll(selector));
  } catch {
    return [];
  }
}

function visible(root: Document | Element, selector: string): Element | null {
  return safeAll(root, selector).find((el) => !isInHiddenView(el)) ?? null;
}

function valueOf(el: Element): string {
  const tag = el.localName;
  const text = tag === 'input' || tag === 'textarea' ? (el as HTMLInputElement).value : tag === 'select' ? ((el as HTMLSelectElement).selectedOptions[0]?.textContent ?? '') : (el.textContent ?? '');
  return text.replace(/\s+/g, ' ').trim();
}
