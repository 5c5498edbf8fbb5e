// @vitest-environment jsdom
// @vitest-environment-options {"url": "https://acme.cybozu.com/"}
import { beforeEach, describe, expect, it } from 'vitest';
import { createCustomAdapter, customMatchPattern, type CustomCrmConfig } from '../../../lib/crm/custom';
import type { CrmAdapter } from '../../../lib/crm/types';
import { makeLeadKey } from '../../../lib/domain/lead-key';

// A kintone-like in-house CRM described by configuration: records at /k/<app>/show#record=<id>,
// the list at /k/<app>/, fields found by CSS selectors.
const CONFIG: CustomCrmConfig = {
  slug: 'kintone',
  host: '*.cybozu.com',
  recordUrl: '^/k/12/show#record=(?<id>\\d+)',
  listUrl: '^/k/12/(?:\\?.*)?$',
  fields: {
    name: '.record-header .name',
    company: '[data-field="company"] .value',
    email: '[data-field="email"] input',
    status: '[data-field="status"] select',
  },
  anchor: '.record-header',
  list: { row: 'tr.record-row', link: 'a.record-link' },
};

const RECORD = `<div class="record-header"><span class="name">山田 太郎</span></div>
<div data-field="company"><span class="value">株式会社サクラテック</span></div>
<div data-field="email"><input value=""></div>
<div data-field="status"><select><option>新規</option><option selected>対応中</option></select></div>
<div hidden><div data-field="company"><span class="value">古い会社</span></div></div>`;
const LIST = `<table><tr class="record-row"><td><a class="record-link" href="/k/12/show#record=101">山田 太郎</a></td></tr>
<tr class="record-row"><td><a class="record-link" href="/k/12/show#record=102">佐々木 花子</a></td><td><a href="/k/12/show#record=101">重複</a></td></tr>
<tr class="record-row"><td>リンクなし</td></tr></table>`;
const doc = (html: string) => new DOMParser().parseFromString(html, 'text/html');
const at = (p: string) => new URL(`https://acme.cybozu.com${p}`);

function adapter(config: CustomCrmConfig = CONFIG): CrmAdapter {
  const built = createCustomAdapter(config, document);
  if (!built.ok) throw new Error(built.errors.join('; '));
  return built.adapter;
}

beforeEach(() => window.history.replaceState(null, '', '/'));

describe('custom CRM adapter (by configuration)', () => {
  it('detects records by the configured pattern; ids are namespaced by the slug in lead keys', () => {
    const a = adapter();
    expect(a.detectPage(at('/k/12/show#record=101'))).toEqual({ kind: 'lead-record', recordId: 'kintone:101' });
    expect(makeLeadKey(a.id, 'kintone:101')).toBe('custom:kintone:101');
    expect(a.detectPage(at('/k/12/'))).toEqual({ kind: 'lead-list' });
    expect(a.detectPage(at('/k/13/show#record=1'))).toEqual({ kind: 'other' });
    expect(a.matches(at('/'))).toBe(true);
    expect(a.matches(new URL('https://cybozu.com.evil.example/k/12/'))).toBe(false);
    expect(a.matches(new URL('http://acme.cybozu.com/k/12/'))).toBe(false);
    expect(customMatchPattern(CONFIG)).toBe('https://*.cybozu.com/*');
  });

  it('reads configured fields (inputs and selects by value, hidden copies skipped); unconfigured fields are not "missing"', () => {
    const read = adapter().readLead(doc(RECORD), 'kintone:101');
    expect(read).toEqual({
      status: 'complete',
      lead: { name: '山田 太郎', company: '株式会社サクラテック', status: '対応中' },
      missing: [],
      empty: ['email'],
    });
  });

  it('anchors after the header once the name is there; nothing for a record the page left', () => {
    const a = adapter();
    expect(a.findRecordAnchor(doc(RECORD), 'kintone:101')?.className).toBe('record-header');
    expect(a.findRecordAnchor(doc('<div class="record-header"></div>'), 'kintone:101')).toBeNull();
    // the test window is on the CRM's host; DOMParser documents take its URL (another record here)
    window.history.replaceState(null, '', '/k/12/show#record=102');
    const moved = doc(RECORD);
    expect(a.readLead(moved, 'kintone:101').status).toBe('none');
    expect(a.findRecordAnchor(moved, 'kintone:101', { fallback: true })).toBeNull();
  });

  it('lists rows once each, with ids from the record link or an id attribute', () => {
    const rows = adapter().listRows(doc(LIST));
    expect(rows.map((r) => r.recordId)).toEqual(['kintone:101', 'kintone:102']);
    expect(rows[0]!.nameCell.textContent).toBe('山田 太郎');
    const byAttr = adapter({ ...CONFIG, list: { row: 'tr[data-id]', idAttribute: 'data-id', nameCell: 'td' } });
    expect(byAttr.listRows(doc('<table><tr data-id="7"><td>A</td></tr><tr data-id="has space"><td>B</td></tr></table>')).map((r) => r.recordId)).toEqual(['kintone:7']);
  });

  it('refuses a bad configuration with every reason', () => {
    const built = createCustomAdapter({ ...CONFIG, slug: 'Bad Slug', host: 'https://x', recordUrl: '^/k/(\\d+)', fields: { name: '' }, anchor: 'div[' }, document);
    expect(built.ok).toBe(false);
    expect(!built.ok && built.errors).toEqual([
      expect.stringMatching(/^slug/),
      expect.stringMatching(/^host/),
      expect.stringMatching(/^recordUrl: needs a named group/),
      expect.stringMatching(/^fields.name/),
      expect.stringMatching(/^anchor: not a valid CSS selector/),
    ]);
    expect(createCustomAdapter({ ...CONFIG, recordUrl: '(?<id>' }).ok).toBe(false);
  });
});
