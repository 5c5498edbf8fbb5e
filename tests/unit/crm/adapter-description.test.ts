// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { BUNDLED_DESCRIPTIONS } from '../../../lib/crm/descriptions';
import { DESCRIBED_UIS, type AdapterDescription } from '../../../lib/crm/description';
import { describedAdapter } from '../../../lib/crm/interpret';
import { BUILT_IN_PAGES } from '../../../lib/crm/pages';
import { AdapterDescriptionSchema, parseAdapterDescription } from '../../../lib/protocol/adapter-description';
import { SALESFORCE_LIGHTNING } from '../../../lib/crm/descriptions/salesforce-lightning';

// The adapter description (issue 16): its schema (data only, bounded, regular expressions that
// compile) and the interpreter's strategy order, on small documents.

describe('adapter description schema', () => {
  it('accepts every bundled description as it is, one per built-in UI, each for its own UI', () => {
    for (const ui of DESCRIBED_UIS) {
      const d = BUNDLED_DESCRIPTIONS[ui];
      expect(d.ui).toBe(ui);
      expect(AdapterDescriptionSchema.parse(d)).toEqual(d);
    }
    expect(BUILT_IN_PAGES.map((p) => p.ui).sort()).toEqual([...DESCRIBED_UIS].sort());
  });

  it('refuses anything but data: unknown keys, code in place of a selector list, a newer format', () => {
    const base = structuredClone(SALESFORCE_LIGHTNING) as unknown as Record<string, unknown>;
    expect(parseAdapterDescription({ ...base, script: 'fetch("https://evil.example")' })).toBeNull();
    expect(parseAdapterDescription({ ...base, fields: { name: [{ name: 'x', css: 'h1', onRead: 'alert(1)' }] } })).toBeNull();
    expect(parseAdapterDescription({ ...base, fields: { name: 'document.title' } })).toBeNull();
    expect(parseAdapterDescription({ ...base, format: 2 })).toBeNull();
    expect(parseAdapterDescription({ ...base, ui: 'salesforce-mobile' })).toBeNull();
  });

  it('refuses regular expressions that do not compile, labels not in lower case, unbounded lists, a version below 1', () => {
    const d = SALESFORCE_LIGHTNING;
    expect(parseAdapterDescription({ ...d, list: { ...d.list!, id: { pattern: '^(00Q[' } } })).toBeNull();
    expect(parseAdapterDescription({ ...d, fields: { status: [{ name: 'l', label: ['Lead Status'] }] } })).toBeNull();
    expect(parseAdapterDescription({ ...d, fields: { status: Array.from({ length: 31 }, () => ({ name: 'c', css: 'x' })) } })).toBeNull();
    expect(parseAdapterDescription({ ...d, version: 0 })).toBeNull();
    expect(parseAdapterDescription({ ...d, fields: { status: [{ name: 'l', label: ['lead status'], strip: '(' }] } })).toBeNull();
    expect(parseAdapterDescription({ ...d, fields: { status: [{ name: 'l', label: ['lead status'] }] } })?.fields.status).toHaveLength(1);
  });
});

/** A one-page adapter on the Lightning URL side, reading a fixture document with `fields`. */
function adapterWith(fields: AdapterDescription['fields'], extra: Partial<AdapterDescription> = {}) {
  return describedAdapter(BUILT_IN_PAGES[0]!, { format: 1, ui: 'salesforce-lightning', version: 9, idForm: 'salesforce', fields, anchor: { find: [{ name: 'h', css: 'h1' }] }, ...extra });
}
function page(html: string): Document {
  return new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
}
const ID = '00Q5g00000AbCdEEAV';

describe('strategy order', () => {
  it('tries the strategies in order: the first non-empty value wins, and says which strategy read it', () => {
    const a = adapterWith({
      company: [
        { name: 'first', css: '[data-x="company"]' },
        { name: 'second', css: '.company' },
      ],
    });
    expect(a.readLead(page('<p class="company">二番目</p><p data-x="company">一番目</p>'), ID)).toMatchObject({ lead: { company: '一番目' }, via: { company: 'first' } });
    expect(a.readLead(page('<p class="company">二番目</p>'), ID)).toMatchObject({ lead: { company: '二番目' }, via: { company: 'second' } });
  });

  it('a strategy that finds the field empty does not stop a later one; empty everywhere is empty, found nowhere is missing', () => {
    const a = adapterWith({
      email: [
        { name: 'first', css: '#email' },
        { name: 'second', css: '.email' },
      ],
      phone: [{ name: 'only', css: '#phone' }],
    });
    const filled = a.readLead(page('<p id="email">---</p><p class="email">a@example.jp</p>'), ID);
    expect(filled).toMatchObject({ lead: { email: 'a@example.jp' }, via: { email: 'second' } });
    const blank = a.readLead(page('<p id="email"></p>'), ID);
    expect(blank.empty).toEqual(['email']);
    expect(blank.missing).toContain('phone');
    expect(blank.missing).not.toContain('email');
  });

  it('searches open shadow roots only for deep strategies, and a selector the page cannot parse finds nothing instead of throwing', () => {
    const doc = page('<x-card></x-card>');
    doc.querySelector('x-card')!.attachShadow({ mode: 'open' }).innerHTML = '<span class="title">部長</span>';
    expect(adapterWith({ title: [{ name: 'light', css: '.title' }] }).readLead(doc, ID).missing).toContain('title');
    const deep = adapterWith({
      title: [
        { name: 'broken', css: '][' },
        { name: 'deep', css: '.title', deep: true },
      ],
    }).readLead(doc, ID);
    expect(deep).toMatchObject({ lead: { title: '部長' }, via: { title: 'deep' } });
  });

  it('reads the text next to a label (either side), the value holder in it, and strips what the description says', () => {
    const a = adapterWith({
      status: [{ name: 'label', label: ['lead status', 'リード状況'], value: ['.v'] }],
      name: [{ name: 'title', css: 'h2', attr: 'title', strip: '\\s+-\\s+saved$' }],
    });
    const doc = page('<h2 title="山田 太郎 - Saved">x</h2><div><span>Lead Status</span><div><span class="v">Working</span><button>✎</button></div></div>');
    expect(a.readLead(doc, ID).lead).toEqual({ name: '山田 太郎', status: 'Working' });
  });

  it('anchors the panel only once the field it needs reads, and falls back so the panel still shows', () => {
    const a = adapterWith({ name: [{ name: 'n', css: '.name' }] }, { anchor: { find: [{ name: 'tabs', css: '[role=tablist]' }], needs: 'name', fallback: ['main'] } });
    const doc = page('<main><div role="tablist"></div></main>');
    expect(a.findRecordAnchor(doc, ID)).toBeNull();
    expect(a.findRecordAnchor(doc, ID, { fallback: true })?.getAttribute('role')).toBe('tablist');
    doc.body.insertAdjacentHTML('afterbegin', '<p class="name">山田</p>');
    expect(a.findRecordAnchor(doc, ID)?.getAttribute('role')).toBe('tablist');
    expect(a.lastAnchor).toBe('tabs');
  });

  it('reports the release marker the page exposes, cut to 100 characters', () => {
    const a = adapterWith({}, { release: [{ css: 'script[src*="/auraFW/javascript/"]', attr: 'src', pattern: '/auraFW/javascript/([^/]+)/' }] });
    expect(a.readLead(page('<script src="/auraFW/javascript/Y2pVb0VNRm5aX2Q/aura_prod.js"></script>'), ID).release).toBe('Y2pVb0VNRm5aX2Q');
    expect(a.readLead(page(''), ID).release).toBeUndefined();
  });
});
