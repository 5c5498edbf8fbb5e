// Small DOM helpers shared by the adapters: CRM pages put their components behind open shadow
// roots (Lightning's native shadow rollout, HubSpot, Dynamics), and keep cached views hidden.

import type { ListCells } from './types';

type Root = Document | Element | ShadowRoot;

/**
 * Every open shadow root under `root` (depth first, nested ones included), found lazily: a
 * consumer that stops early stops the walk. The walk touches every element under `root` (there
 * is no selector for shadow hosts), and the first touch of an element from the content script's
 * world costs a wrapper object: thousands of them on a large CRM page.
 */
export function* openShadowRoots(root: Root): Generator<ShadowRoot> {
  // nodeType, not instanceof: documents may come from another realm (jsdom fixtures, frames)
  const own = root.nodeType === 1 ? (root as Element).shadowRoot : null;
  if (own) {
    yield own;
    yield* openShadowRoots(own);
  }
  for (const el of root.querySelectorAll('*')) {
    const sr = el.shadowRoot;
    if (sr) {
      yield sr;
      yield* openShadowRoots(sr);
    }
  }
}

/** Shadow roots found under one root, kept for the length of one read (see `searchRoots`). */
export type ShadowMemo = Map<Root, ShadowRoot[]>;

/**
 * The roots a deep search looks in: `root` itself first, then (only when the consumer reads
 * past it) every open shadow root under it. The walk for those is done at most once per root
 * and `memo`: a read tries many strategies, and walking a large CRM page (thousands of elements)
 * once per strategy made the page cost grow with the page's size. A memo must not outlive the
 * synchronous read it was made for: the page changes between reads.
 */
export function* searchRoots(root: Root, memo: ShadowMemo): Generator<Root> {
  yield root;
  let list = memo.get(root);
  if (!list) memo.set(root, (list = Array.from(openShadowRoots(root))));
  yield* list;
}

/**
 * `querySelectorAll` that also searches open shadow roots under `root`: light DOM matches first,
 * then each shadow root's. Lazy: the shadow roots are only walked if the consumer reads past the
 * light DOM's matches.
 */
export function* deepQueryAll(root: Root, selector: string): Generator<Element> {
  yield* root.querySelectorAll(selector);
  for (const sr of openShadowRoots(root)) yield* sr.querySelectorAll(selector);
}

/** First match in the light DOM, else in open shadow roots (walked only as far as the first hit). */
export function deepQueryFirst(root: Root, selector: string): Element | null {
  const light = root.querySelector(selector);
  if (light) return light;
  for (const sr of openShadowRoots(root)) {
    const hit = sr.querySelector(selector);
    if (hit) return hit;
  }
  return null;
}

/**
 * Rendered text of a node, including what its open shadow roots render (a slot stands for the
 * light children assigned to it). Whitespace collapsed. Text only: markup in values stays text.
 */
export function deepText(node: Node): string {
  return collect(node).replace(/\s+/g, ' ').trim();
}

function collect(node: Node): string {
  if (node.nodeType === 3) return node.nodeValue ?? '';
  if (node.nodeType !== 1 && node.nodeType !== 11) return '';
  const el = node as Element;
  if (node.nodeType === 1) {
    const tag = el.localName;
    if (tag === 'script' || tag === 'style' || tag === 'template') return '';
    if (el.shadowRoot) return collect(el.shadowRoot);
    if (tag === 'slot' && (el.getRootNode() as Partial<ShadowRoot>).host) {
      const assigned = (el as HTMLSlotElement).assignedNodes?.({ flatten: true }) ?? [];
      if (assigned.length) return assigned.map(collect).join('');
    }
  }
  let s = '';
  for (let c = node.firstChild; c; c = c.nextSibling) s += collect(c);
  return s;
}

/** Parent across shadow boundaries (a shadow root's parent is its host). */
export function composedParent(el: Element): Element | null {
  if (el.parentElement) return el.parentElement;
  const root = el.parentNode;
  return root && (root as ShadowRoot).host ? (root as ShadowRoot).host : null;
}

/** Verdicts of `isInHiddenView` kept for one synchronous read of many rows (they share their ancestors). */
export type HiddenMemo = Map<Element, boolean>;

/**
 * True when `el` sits in a view the user cannot see: under `aria-hidden="true"`, `hidden`, or a
 * Lightning view container that is not the active one (cached pages keep their DOM). With a
 * `memo`, each element's verdict is looked at once: a list of thousands of rows walks its shared
 * ancestors once, not once per row. A memo must not outlive the read it was made for.
 */
export function isInHiddenView(el: Element, memo?: HiddenMemo): boolean {
  const path: Element[] = [];
  let hidden = false;
  for (let e: Element | null = el; e; e = composedParent(e)) {
    const known = memo?.get(e);
    if (known !== undefined) {
      hidden = known;
      break;
    }
    path.push(e);
    const cl = e.classList;
    if (e.getAttribute('aria-hidden') === 'true' || e.hasAttribute('hidden') || ((cl.contains('windowViewMode-normal') || cl.contains('windowViewMode-maximized')) && !cl.contains('active'))) {
      hidden = true;
      break;
    }
  }
  // every element walked is inside the hidden one (or is it), or inside a visible known one
  if (memo) for (const e of path) memo.set(e, hidden);
  return hidden;
}

/**
 * The cells of a list row by the name the CRM gives them (`data-label`, Lightning's column label;
 * `col-id`, a Power Apps grid's column) or, in a plain table whose cells carry no name (Classic's
 * list views, HubSpot's index), by the text of its header row's cell in the same column: text, or
 * a checkbox's state. The first cell of a name wins (Lightning repeats the label on the cell's
 * inner factory). Values are cut to 200 characters: the service worker only compares them with a
 * hand-off rule's values.
 */
export function listRowCells(row: Element): ListCells {
  const cells: ListCells = {};
  const add = (cell: Element, name: string | null | undefined) => {
    if (!name || name in cells) return;
    const box = cell.querySelector<HTMLInputElement>('input[type=checkbox]');
    cells[name] = box ? box.checked : (cell.textContent ?? '').trim().slice(0, 200);
  };
  for (const cell of row.querySelectorAll('[data-label],[col-id]')) add(cell, cell.getAttribute('data-label') || cell.getAttribute('col-id'));
  const table = row.closest('table');
  if (Object.keys(cells).length || !table) return cells;
  // the header row: the table head's, else the first row of header cells only (Classic's `headerRow`)
  const head = table.querySelector('thead tr') ?? Array.from(table.rows).find((r) => r !== row && !r.querySelector('td'));
  const names = Array.from(head?.children ?? [], (th) => (th.textContent ?? '').trim());
  Array.from(row.children).forEach((cell, i) => add(cell, names[i]));
  return cells;
}
