import { deepText, isInHiddenView, openShadowRoots } from './dom';
import { leadReadResult, pageText, setField, SNAPSHOT_FIELDS } from './lead-fields';
import type { LeadField, LeadOnPage, LeadRead } from './types';

// Readers find each field through an ordered list of strategies (stable attributes first, then
// labels, then text next to a known label), so one renamed hook or a component moved behind a
// shadow root costs a strategy, not the read. Kept tiny: it runs in the content script.

/**
 * Named ways to find a field, in the order they are tried. Each takes one of the field's keys
 * (e.g. a logical or internal field name) and the field, and returns the field's text, '' when
 * the field is on the page without a value, null or undefined when this way finds nothing.
 */
export type Strategies = Record<string, (key: string, field: LeadField) => string | null | undefined>;

/**
 * A read plus, per field read, the name of the strategy that found its value. Extra to
 * `LeadRead` (the content script forwards only LeadRead's own fields), for tests and diagnostics.
 */
export type StrategyRead = LeadRead & { via: Partial<Record<LeadField, string>> };

/** What CRMs show in an empty option set, lookup or read-only property. */
const EMPTY = /^(?:-{1,3}|—)$/;

/**
 * Reads each field of `keys` (field → its keys, most specific first) by trying, for each key in
 * turn, every strategy in order: the first non-empty value wins. A field some strategy found only empty
 * is `empty`; one nothing found is `missing` (see `leadReadResult`). `expected`: the fields
 * whose absence makes the read partial (by default all but the owner and score extras).
 */
export function readByStrategies(keys: Partial<Record<LeadField, readonly string[]>>, strategies: Strategies, expected: readonly LeadField[] = SNAPSHOT_FIELDS): StrategyRead {
  const lead: LeadOnPage = {};
  const found = new Set<LeadField>();
  const empty = new Set<LeadField>();
  const via: StrategyRead['via'] = {};
  for (const field of Object.keys(keys) as LeadField[]) {
    search: for (const key of keys[field]!) {
      for (const name in strategies) {
        const text = strategies[name]!(key, field);
        if (text == null) continue;
        found.add(field);
        const value = pageText(text.replace(/\s+/g, ' ').trim(), field);
        if (value && !EMPTY.test(value)) {
          setField(lead, field, value);
          via[field] = name;
          empty.delete(field);
          break search;
        }
        empty.add(field); // keep looking: a later strategy may find the value
      }
    }
  }
  return { ...leadReadResult(lead, expected, found, empty), via };
}

/**
 * A finder over `root`: the first match of a selector that is not in a hidden view nor `skip`ped;
 * with `deep`, open shadow roots are searched too (walked once per finder, only when asked).
 */
export function finder(root: Document | Element, skip?: (el: Element) => boolean): (selector: string, deep?: boolean) => Element | null {
  let all: Array<Document | Element | ShadowRoot> | undefined;
  return (selector, deep) => {
    for (const r of deep ? (all ??= [root, ...openShadowRoots(root)]) : [root]) {
      for (const el of Array.from(r.querySelectorAll(selector))) if (!isInHiddenView(el) && !skip?.(el)) return el;
    }
    return null;
  };
}

/**
 * The text next to a label reading one of `labels` (any case) under `scope` and its open
 * shadow roots: the first sibling of the label element with text, '' when the label has none,
 * null when no such label is there. For layouts whose items carry no name.
 */
export function besideLabel(scope: Element | null, labels: readonly string[]): string | null {
  for (const r of scope ? [scope, ...openShadowRoots(scope)] : []) {
    for (const el of Array.from(r.querySelectorAll('*'))) {
      if (el.childElementCount || !labels.includes(deepText(el).toLowerCase()) || isInHiddenView(el)) continue;
      const value = Array.from(el.parentElement!.children).find((sib) => sib !== el && deepText(sib));
      return value ? deepText(value) : '';
    }
  }
  return null;
}

/** An input's or select's value, else the element's rendered text; null for no element. */
export function controlText(el: Element | null | undefined): string | null {
  const tag = el?.localName;
  return tag === 'input' || tag === 'textarea' ? (el as HTMLInputElement).value : tag === 'select' ? ((el as HTMLSelectElement).selectedOptions[0]?.textContent ?? '') : el ? deepText(el) : null;
}

/**
 * False when the document's URL shows a record other than `id` (the single-page app has moved
 * on) or `id` is null; true when it shows that record or no record (`idOf` gives null).
 */
export function urlShows(doc: Document, idOf: (url: URL) => string | null | undefined, id: string | null): boolean {
  let shown: string | null | undefined;
  try {
    shown = idOf(new URL(doc.location?.href ?? doc.URL));
  } catch {
    // no usable URL (a parsed fixture): nothing to compare with
  }
  return id !== null && (!shown || shown === id);
}
