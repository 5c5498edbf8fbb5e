import { toCaseSafeId } from '../../lib/domain/salesforce-id';
import { makeLeadKey } from '../../lib/domain/lead-key';
import type { LeadEvent } from '../../lib/domain/events';
import { accepted, handedOver, rejected, REP_A } from '../unit/domain/builders';

/**
 * Lead lists at scale (issue 11, item 6): 2,000 rows, in the two ways CRMs render long lists.
 *
 * - Lightning-like (`https://acme.lightning.force.com/lightning/o/Lead/list?filterName=Scale&sandboxScale=<n>`):
 *   Lightning's list-view markup (`tr[data-row-key-value]`, the name in `th[scope=row]`) in a
 *   scrolling box; rows come in pages of 50, the next page when the box is scrolled near its end,
 *   like a list view's lazy loading. `&sandboxPage=<k>` makes the first page k rows (the benchmark
 *   renders all 2,000 at once).
 * - Dynamics-like (`https://acme.crm7.dynamics.com/main.aspx?pagetype=entitylist&etn=lead&sandboxScale=<n>`):
 *   a Power Apps grid (AG Grid) that virtualises: about 30 row elements for the whole list,
 *   moved and given another record (`row-id`, the name link's href and text, every cell) as the
 *   grid scrolls.
 *
 * Both render their first rows `sandboxDelay` ms (default 300) after the page loads and record in
 * `window.__scale` when rows were inserted (`insertedAt`, performance.now()) and when every row on
 * the page had its SAL Bridge badge (`badgedAt`), for tests/bench/list-badges.bench.ts.
 * Served by tests/sandbox/server.ts for any request with `sandboxScale`.
 */

export const SCALE_ROWS = 2000;

export interface ScaleLead {
  /** Salesforce 18-character id (the Lightning-like list) */
  id: string;
  /** Dynamics lead GUID, lower case without braces (the Dynamics-like grid) */
  guid: string;
  name: string;
  company: string;
}

const LAST = ['小林', '加藤', '吉田', '山田', '佐々木', '山本', '中村', '斎藤', '松田', '岡田'];
const FIRST = ['大輝', '美咲', '拓海', '七海', '颯太', '彩花', '陸', '結菜', '蒼', '心春'];
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `n` deterministic leads; Salesforce ids `00Q5g00002…` (the other sandbox lists use `…00000`/`…00001`). */
export function scaleLeads(n = SCALE_ROWS): ScaleLead[] {
  return Array.from({ length: n }, (_, i) => {
    let tail = '';
    for (let k = 0, m = i; k < 5; k++, m = Math.floor(m / 62)) tail = BASE62[m % 62] + tail;
    return {
      id: toCaseSafeId(`00Q5g00002${tail}`),
      guid: `5ca1e000-0000-4000-8000-${(0x5ca1e0000000 + i).toString(16)}`,
      name: `${LAST[i % LAST.length]} ${FIRST[(i * 3) % FIRST.length]}`,
      company: `株式会社スケール ${i + 1}号`,
    };
  });
}

/** What lead `i` of a scale list is, by its events (`scaleListEvents`). */
export type ScaleKind = 'untracked' | 'pending' | 'overdue' | 'rejected' | 'accepted';
export const scaleKind = (i: number): ScaleKind => (['pending', 'overdue', 'rejected', 'accepted', 'untracked'] as const)[i % 5]!;

/**
 * Events for a scale list as a pull would store them, per `scaleKind`: handed over a minute ago
 * (pending), handed over 30 days ago and never decided (overdue on any calendar), rejected as a
 * duplicate by 田中, accepted by 田中; every fifth lead has none.
 */
export function scaleListEvents(crm: 'salesforce' | 'dynamics', leads: readonly ScaleLead[], now = Date.now()): LeadEvent[] {
  const ago = (minutes: number) => new Date(now - minutes * 60_000);
  return leads.flatMap((l, i): LeadEvent[] => {
    const leadKey = makeLeadKey(crm, crm === 'salesforce' ? l.id : l.guid);
    const lead = { name: l.name, company: l.company };
    switch (scaleKind(i)) {
      case 'pending':
        return [handedOver({ at: ago(1), leadKey, lead })];
      case 'overdue':
        return [handedOver({ at: ago(30 * 24 * 60), leadKey, lead })];
      case 'rejected':
        return [handedOver({ at: ago(60), leadKey, lead }), rejected({ at: ago(30), leadKey, actor: REP_A }, { reasonCode: 'duplicate' })];
      case 'accepted':
        return [handedOver({ at: ago(60), leadKey, lead }), accepted({ at: ago(2), leadKey, actor: REP_A })];
      case 'untracked':
        return [];
    }
  });
}

/** The page for a request with `sandboxScale`, or null when the host has no scale list. */
export function scaleListPage(host: string, url: URL): string | null {
  const n = Math.min(Number(url.searchParams.get('sandboxScale')) || SCALE_ROWS, 10_000);
  const options = { delay: Number(url.searchParams.get('sandboxDelay') ?? 300), firstPage: Number(url.searchParams.get('sandboxPage')) || 50 };
  const leads = scaleLeads(n);
  const data = JSON.stringify({ ...options, leads }).replace(/</g, '\\u003c');
  if (host.endsWith('.lightning.force.com') && url.pathname.startsWith('/lightning/o/Lead/list')) return page('リード | Salesforce', LIGHTNING_CSS, data, LIGHTNING_JS);
  if (host.endsWith('.crm7.dynamics.com') && url.searchParams.get('pagetype') === 'entitylist') return page('自分のオープン リード - Dynamics 365', DYNAMICS_CSS, data, DYNAMICS_JS);
  return null;
}

const page = (title: string, css: string, data: string, js: string) => `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>${title}</title><style>${BASE_CSS}${css}</style></head>
<body><script type="application/json" id="scale-data">${data}</script><script>${COMMON_JS}${js}</script></body></html>`;

const BASE_CSS = `body{margin:0;font:13px/1.4 sans-serif;color:#181818}
.bar{display:flex;gap:8px;align-items:center;height:48px;padding:0 12px;background:#f3f3f3;border-bottom:1px solid #ddd}
.bar h1{font-size:16px;margin:0 12px 0 0}
button{font:inherit;padding:4px 10px}
`;

/** Page-side bookkeeping shared by both lists: when rows went in, when all of them had a badge. */
const COMMON_JS = `
var DATA = JSON.parse(document.getElementById('scale-data').textContent);
var scale = (window.__scale = { insertedAt: 0, badgedAt: 0, expected: 0 });
function h(tag, attrs, children) {
  var el = document.createElement(tag);
  for (var k in attrs || {}) {
    if (k === 'text') el.textContent = attrs[k];
    else if (k === 'className') el.className = attrs[k];
    else el.setAttribute(k, attrs[k]);
  }
  (children || []).forEach(function (c) { el.appendChild(c); });
  return el;
}
function inserted(expected) {
  scale.insertedAt = performance.now();
  scale.badgedAt = 0;
  scale.expected = expected;
}
new MutationObserver(function () {
  if (scale.expected && !scale.badgedAt && document.querySelectorAll('[data-sal-bridge-badge]').length >= scale.expected) scale.badgedAt = performance.now();
}).observe(document.documentElement, { childList: true, subtree: true });
function bar(title) {
  return h('div', { className: 'bar', role: 'toolbar', 'aria-label': 'リスト ビューの操作' }, [
    h('h1', { text: title }),
    h('button', { type: 'button', text: '新規' }),
    h('button', { type: 'button', text: 'インポート' }),
    h('button', { type: 'button', text: '所有者の変更' }),
    h('input', { type: 'search', placeholder: 'このリストを検索...', 'aria-label': 'このリストを検索' }),
  ]);
}
`;

const LIGHTNING_CSS = `.listViewContent{height:calc(100vh - 90px);overflow-y:auto}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #eee;padding:4px 8px;text-align:left;white-space:nowrap}
`;

const LIGHTNING_JS = `
var tbody = h('tbody');
var scroller = h('div', { className: 'listViewContent slds-scrollable_y' }, [
  h('table', { className: 'slds-table', role: 'grid', 'aria-label': 'スケール' }, [
    h('thead', null, [h('tr', { 'data-row-key-value': 'HEADER' }, ['名前', '会社名', 'リード状況'].map(function (c) { return h('th', { scope: 'col', 'data-label': c, text: c }); }))]),
    tbody,
  ]),
]);
document.body.appendChild(bar('スケール (' + DATA.leads.length + ')'));
document.body.appendChild(scroller);
var shown = 0;
function more(count) {
  var next = DATA.leads.slice(shown, shown + count);
  var frag = document.createDocumentFragment();
  next.forEach(function (l) {
    frag.appendChild(
      h('tr', { 'data-row-key-value': l.id }, [
        h('th', { scope: 'row', 'data-label': '名前' }, [h('a', { href: '/lightning/r/' + l.id + '/view', 'data-recordid': l.id, text: l.name })]),
        h('td', { 'data-label': '会社名', text: l.company }),
        h('td', { 'data-label': 'リード状況', text: 'Open - Not Contacted' }),
      ]),
    );
  });
  shown += next.length;
  inserted(shown);
  tbody.appendChild(frag);
}
var loading = false;
scroller.addEventListener('scroll', function () {
  if (loading || shown >= DATA.leads.length || scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 200) return;
  loading = true;
  setTimeout(function () { loading = false; more(50); }, 80);
});
setTimeout(function () { more(DATA.firstPage); }, DATA.delay);
`;

const ROW_H = 32;
const DYNAMICS_CSS = `.grid-wrap{position:relative;height:calc(100vh - 90px);overflow-y:auto}
.ag-body{position:relative}
.ag-row{position:absolute;left:0;right:0;height:${ROW_H}px;display:flex;align-items:center;border-bottom:1px solid #eee}
.ag-pinned-left-cols-container{position:absolute;left:0;width:40px;top:0}
.ag-center-cols-container{position:absolute;left:40px;right:0;top:0}
.ag-cell{padding:0 8px;width:220px;white-space:nowrap;overflow:hidden}
`;

/** About AG Grid's row buffer: the rows in view plus some above and below, reused as the grid scrolls. */
const DYNAMICS_JS = `
var ROW_H = ${ROW_H};
var COLS = [['fullname', '氏名'], ['companyname', '会社名'], ['statuscode', 'ステータス理由']];
var pinned = h('div', { className: 'ag-pinned-left-cols-container', role: 'rowgroup' });
var center = h('div', { className: 'ag-center-cols-container', role: 'rowgroup' });
var body = h('div', { className: 'ag-body' }, [pinned, center]);
body.style.height = DATA.leads.length * ROW_H + 'px';
var wrap = h('div', { className: 'grid-wrap' }, [
  h('div', { role: 'grid', className: 'ag-root', 'aria-label': 'リード', 'aria-rowcount': String(DATA.leads.length + 1), 'data-id': 'data-set-body-container' }, [body]),
]);
document.body.appendChild(bar('自分のオープン リード'));
document.body.appendChild(wrap);
var pool = [];
function slot() {
  var left = h('div', { className: 'ag-row', role: 'row' }, [h('div', { className: 'ag-cell', role: 'gridcell', 'col-id': '__row_selection' }, [h('input', { type: 'checkbox', 'aria-label': '選択' })])]);
  var link = h('a', {});
  var cells = COLS.map(function (c) { return h('div', { className: 'ag-cell', role: 'gridcell', 'col-id': c[0] }); });
  cells[0].appendChild(link);
  var right = h('div', { className: 'ag-row', role: 'row' }, cells);
  pinned.appendChild(left);
  center.appendChild(right);
  return { index: -1, rows: [left, right], link: link, cells: cells };
}
function render() {
  var size = Math.ceil(wrap.clientHeight / ROW_H) + 10;
  var first = Math.max(0, Math.min(DATA.leads.length - size, Math.floor(wrap.scrollTop / ROW_H) - 5));
  while (pool.length < Math.min(size, DATA.leads.length)) pool.push(slot());
  var changed = 0;
  // each record keeps the slot it had while in view, like AG Grid; the freed slots take the new ones
  var free = [];
  var taken = {};
  pool.forEach(function (s) {
    if (s.index >= first && s.index < first + pool.length) taken[s.index] = true;
    else free.push(s);
  });
  for (var i = first; i < first + pool.length; i++) {
    if (taken[i]) continue;
    var s = free.pop();
    var l = DATA.leads[i];
    s.index = i;
    s.rows.forEach(function (r) {
      r.setAttribute('row-index', String(i));
      r.setAttribute('aria-rowindex', String(i + 2));
      r.setAttribute('row-id', l.guid);
      r.style.transform = 'translateY(' + i * ROW_H + 'px)';
    });
    // the name cell is reused as it is: its link gets the new record's address and name
    s.link.setAttribute('href', '/main.aspx?pagetype=entityrecord&etn=lead&id=' + l.guid);
    s.link.textContent = l.name;
    s.cells[1].textContent = l.company;
    s.cells[2].textContent = '新規';
    changed++;
  }
  if (changed && !scale.insertedAt) inserted(pool.length);
}
wrap.addEventListener('scroll', render, { passive: true });
setTimeout(render, DATA.delay);
`;
