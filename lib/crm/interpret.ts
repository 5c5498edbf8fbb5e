import type { AdapterDescription, AnchorStrategy, IdForm, Strategy } from './description';
import { deepText, isInHiddenView, searchRoots, type HiddenMemo, type ShadowMemo } from './dom';
import { leadReadResult, pageText, setField, SNAPSHOT_FIELDS } from './lead-fields';
import { controlText } from './strategies';
import type { CrmAdapter, LeadField, LeadOnPage, LeadRead, ListRow } from './types';
import { toCaseSafeId } from '../domain/salesforce-id';
import { normalizeGuid } from './dynamics/url';

// The generic interpreter of adapter descriptions (lib/crm/description.ts): the only reader code
// the content script carries for the built-in CRMs. Kept small (it counts against the content
// script's 10 KB gzip) and forgiving: an invalid selector finds nothing, it never throws.

/** What an adapter built from a description adds to a plain `CrmAdapter`. */
export interface DescribedAdapter extends CrmAdapter {
  readLead(doc: Document, recordId: string): DescribedRead;
  version: number;
}

/** A read plus, per field, the name of the strategy that read its value. */
export type DescribedRead = LeadRead & { via: Partial<Record<LeadField, string>> };

/**
 * The URL side of a built-in adapter, which stays code (see lib/crm/description.ts).
 * `recordIdOf`: the record a URL's path shows, on any host (fixtures and tests use other hosts).
 */
export type AdapterPages = Pick<CrmAdapter, 'id' | 'ui' | 'matches' | 'detectPage'> & { recordIdOf(url: URL): string | null | undefined };

type Root = Document | Element | ShadowRoot;
type Find = (selector: string, deep?: boolean) => Element | null;

/** What CRMs show in an empty option set, lookup or read-only property. */
const EMPTY = /^(?:-{1,3}|—)$/;

/** `querySelectorAll` that finds nothing for an invalid selector. */
function all(root: Root, selector: string): Element[] {
  try {
    return Array.from(root.querySelectorAll(selector));
  } catch {
    return [];
  }
}

/** `querySelector` that finds nothing for an invalid selector (`all(...)[0]` without the list). */
function first(root: Root, selector: string): Element | undefined {
  try {
    return root.querySelector(selector) ?? undefined;
  } catch {
    return undefined;
  }
}

function is(el: Element, selector: string): boolean {
  try {
    return el.matches(selector);
  } catch {
    return false;
  }
}

function closest(el: Element, selector: string | undefined): Element | null {
  try {
    return selector ? el.closest(selector) : null;
  } catch {
    return null;
  }
}

/** A record id keyed as `form` says, from one or two captured parts; null when it is not one. */
export function keyId(form: IdForm, a: string | undefined, b?: string): string | null {
  if (!a) return null;
  try {
    return form === 'salesforce' ? toCaseSafeId(a) : form === 'guid' ? normalizeGuid(a) : form === 'hubspot' && b ? (a === '0-1' ? b : `${a}:${b}`) : a;
  } catch {
    return null;
  }
}

/**
 * The adapter a description makes, on the URL side of its CRM UI (`pages`). Regular expressions
 * are compiled here: a description that reached the page was validated by the service worker,
 * whose schema compiles them too.
 */
export function describedAdapter(pages: AdapterPages, d: AdapterDescription): DescribedAdapter {
  const excluded = (el: Element) => closest(el, d.exclude) !== null;
  // Every public method below makes one memo for its read: a deep search looks in the light DOM
  // first and walks the shadow roots (once per root and read) only when that finds nothing.
  const finder =
    (root: Root, memo: ShadowMemo): Find =>
    (selector, deep) => {
      for (const r of deep ? searchRoots(root, memo) : [root]) for (const el of all(r, selector)) if (!isInHiddenView(el) && !excluded(el)) return el;
      return null;
    };
  const strips = new Map<string, RegExp>();
  const strip = (s: Strategy, text: string) => (s.strip ? text.replace(strips.get(s.strip) ?? strips.set(s.strip, new RegExp(s.strip, 'i')).get(s.strip)!, '') : text);

  /** The visible view of the record `recordId` (the document when the CRM keeps no views), or null. */
  const viewOf = (doc: Document, recordId: string): Document | Element | null => {
    let shown: string | null | undefined;
    try {
      shown = pages.recordIdOf(new URL(doc.location?.href ?? doc.URL));
    } catch {
      // no usable URL (a parsed fixture): nothing to compare with
    }
    if ((shown && shown !== keyId(d.idForm, recordId)) || (d.page && !all(doc, d.page).length)) return null;
    const views = d.views ? all(doc, d.views.css) : [];
    return views.length ? (views.find((v) => is(v, d.views!.active) && !isInHiddenView(v)) ?? null) : doc;
  };

  const element = (s: AnchorStrategy | Strategy, find: Find, memo: ShadowMemo): Element | null => {
    if (!('css' in s)) return null;
    const box = s.in ? find(s.in, s.deep) : null;
    return s.in ? box && finder(box, memo)(s.css, s.deep) : find(s.css, s.deep);
  };

  /** The value a strategy reads in the element it found (see `Strategy`). */
  const pick = (s: Strategy, el: Element, memo: ShadowMemo): string => {
    let v: Element | null = s.value ? null : el;
    for (const sel of s.value ?? []) if ((v = finder(el, memo)(sel, true))) break;
    v ??= s.self ? el : null;
    return v ? strip(s, (s.attr && v.getAttribute(s.attr)) || controlText(v)!) : '';
  };

  /** The text a strategy finds: '' for a field shown without a value, null when it finds nothing. */
  const text = (s: Strategy, root: Root, find: Find, memo: ShadowMemo): string | null => {
    if ('label' in s) {
      const scope = s.in ? find(s.in, s.deep) : root;
      for (const r of !scope ? [] : s.deep ? searchRoots(scope, memo) : [scope]) {
        for (const el of all(r, s.at ?? '*')) {
          if (el.childElementCount || !s.label.includes(deepText(el).toLowerCase()) || isInHiddenView(el) || excluded(el)) continue;
          const next = el.nextElementSibling ?? el.previousElementSibling;
          return next ? pick(s, next, memo) : '';
        }
      }
      return null;
    }
    const el = element(s, find, memo);
    return el && pick(s, el, memo);
  };

  const read = (root: Root, fields: AdapterDescription['fields'], memo: ShadowMemo): DescribedRead => {
    const lead: LeadOnPage = {};
    const found = new Set<LeadField>();
    const empty = new Set<LeadField>();
    const via: DescribedRead['via'] = {};
    const find = finder(root, memo);
    for (const field of Object.keys(fields) as LeadField[]) {
      for (const s of fields[field]!) {
        const t = text(s, root, find, memo);
        if (t == null) continue;
        found.add(field);
        const value = pageText(t.replace(/\s+/g, ' ').trim(), field);
        if (value && !EMPTY.test(value)) {
          setField(lead, field, value);
          via[field] = s.name;
          empty.delete(field);
          break;
        }
        empty.add(field); // keep looking: a later strategy may find the value
      }
    }
    return { ...leadReadResult(lead, d.expected ?? SNAPSHOT_FIELDS, found, empty), via };
  };

  const scoped = (view: Document | Element, memo: ShadowMemo) => (d.scope && finder(view, memo)(d.scope)) || view;

  const adapter: DescribedAdapter = {
    id: pages.id,
    ui: pages.ui,
    matches: pages.matches,
    detectPage: pages.detectPage,
    version: d.version,
    readLead(doc, recordId) {
      const view = viewOf(doc, recordId);
      const memo: ShadowMemo = new Map();
      const result = read(view ? scoped(view, memo) : doc, view ? d.fields : {}, memo);
      const boxes: Record<string, boolean> = {};
      const c = d.checkboxes;
      // light DOM only: one query, no shadow walk on every read
      if (view && c)
        for (const box of all(view, `${c.css} input[type=checkbox]`) as HTMLInputElement[]) {
          const item = box.closest(c.css)!;
          boxes[(item.getAttribute(c.attr) ?? '').slice(c.prefix.length)] = box.checked;
          const label = c.label && closest(item, `[${c.label}]`)?.getAttribute(c.label);
          if (label) boxes[label] = box.checked;
        }
      if (Object.keys(boxes).length) result.lead.checkboxes = boxes;
      for (const r of d.release ?? []) {
        const el = all(doc, r.css)[0];
        const raw = el && (r.attr ? el.getAttribute(r.attr) : el.textContent);
        const marker = raw && (r.pattern ? new RegExp(r.pattern).exec(raw)?.[1] : raw.trim());
        if (marker) {
          result.release = marker.slice(0, 100);
          break;
        }
      }
      return result;
    },
    findRecordAnchor(doc, recordId, options = {}) {
      const view = viewOf(doc, recordId);
      if (!view) return null;
      const memo: ShadowMemo = new Map();
      const find = finder(view, memo);
      const a = d.anchor;
      const ready = !a.needs || read(scoped(view, memo), { [a.needs]: d.fields[a.needs] }, memo).lead[a.needs];
      for (const s of ready || options.fallback ? [...a.find, ...(options.fallback ? (a.fallback ?? []).map((css) => ({ name: 'fallback', css, deep: true })) : [])] : []) {
        const el = element(s, find, memo);
        if (el) {
          adapter.lastAnchor = s.name;
          return el;
        }
      }
      if (!options.fallback || view.nodeType !== 1) return null;
      adapter.lastAnchor = 'view';
      return view as Element;
    },
    listRows(root) {
      const l = d.list;
      if (!l) return [];
      const pattern = new RegExp(l.id.pattern);
      const rows = (matches: Element[]): ListRow[] => {
        const out: ListRow[] = [];
        const seen = new Set<string>();
        // the rows of a list share their ancestors: each is looked at once
        const hidden: HiddenMemo = new Map();
        for (const m of matches) {
          const row = l.row ? closest(m, l.row) : m;
          const link = row && l.link ? (is(m, l.link) ? m : first(row, l.link)) : undefined;
          if (!row || isInHiddenView(row, hidden) || closest(row, l.exclude)) continue;
          const attr = l.id.attr && row.getAttribute(l.id.attr);
          const a = link as HTMLAnchorElement | undefined;
          const g = (attr && pattern.exec(attr)) || (a && pattern.exec(a.pathname + a.search));
          const recordId = g && keyId(d.idForm, g[1], g[2]);
          const nameCell = (link && closest(link, l.linkCell)) ?? (l.cell ?? []).map((c) => all(row, c)[0]).find(Boolean) ?? link?.parentElement;
          if (!recordId || !nameCell || seen.has(recordId)) continue;
          seen.add(recordId);
          out.push({ recordId, row, nameCell });
        }
        return out;
      };
      const light = rows(all(root, l.rows));
      // the shadow walk only when the light DOM has no rows: lists can hold thousands
      return light.length || !l.deep ? light : rows(Array.from(searchRoots(root, new Map()), (r) => all(r, l.rows)).flat());
    },
  };
  return adapter;
}
