// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { salesforceLightning } from '../../../lib/crm';
import { loadFixture, loadFixtureAt } from './fixture';

const YAMADA = '00Q5g00000AbCdEEAV';
const { readLead, findRecordAnchor, listRows } = salesforceLightning;

describe('Lightning lead reader', () => {
  it('reads every field of the visible record by API name, in the 18-character id world', () => {
    const read = readLead(loadFixture('salesforce-lightning/lead-record.html'), YAMADA);
    expect(read.status).toBe('complete');
    expect(read.missing).toEqual([]);
    expect(read.lead).toEqual({
      name: '山田 太郎',
      company: '株式会社サクラテック',
      title: '営業部長',
      email: 'taro.yamada@sakuratech.co.jp',
      phone: '03-1234-5678',
      leadSource: 'Web',
      status: 'Open - Not Contacted',
      owner: '佐藤 健一',
      score: 1082,
    });
  });

  it('never reads the hidden cached record that comes first in the DOM', () => {
    const read = readLead(loadFixture('salesforce-lightning/lead-record.html'), YAMADA);
    expect(read.lead.company).not.toBe('株式会社みらい物流');
    expect(read.lead.email).not.toContain('mirai-logi');
  });

  it('finds fields and the header name behind open shadow roots', () => {
    const read = readLead(loadFixture('salesforce-lightning/lead-record-shadow.html'), YAMADA);
    expect(read.lead).toMatchObject({
      name: '山田 太郎',
      company: '株式会社サクラテック',
      email: 'taro.yamada@sakuratech.co.jp',
      phone: '03-1234-5678',
    });
    expect(read.status).toBe('partial');
    expect(read.missing).toEqual(['title', 'leadSource', 'status']);
  });

  // Some components in open shadow roots, the rest not (a layout midway through the native
  // shadow rollout): the light DOM's fields come first, and the shadow roots are searched for
  // whatever it lacks (the reader stops walking them only once every field is found).
  it('reads a field only found behind a shadow root when the light DOM has the others, light DOM first', () => {
    const doc = loadFixture('salesforce-lightning/lead-record.html');
    const view = doc.querySelector('.windowViewMode-normal.active')!;
    const item = (email: string) => {
      const el = doc.createElement('div');
      el.setAttribute('data-target-selection-name', 'sfdc:RecordField.Lead.Email');
      el.innerHTML = `<span class="test-id__field-value">${email}</span>`;
      return el;
    };
    const host = doc.createElement('records-record-layout-item');
    host.attachShadow({ mode: 'open' }).append(item('shadow@example.jp'));
    view.append(host);
    expect(readLead(doc, YAMADA).lead.email).toBe('taro.yamada@sakuratech.co.jp');
    view.querySelector('[data-target-selection-name="sfdc:RecordField.Lead.Email"]')!.remove();
    const read = readLead(doc, YAMADA);
    expect(read.lead.email).toBe('shadow@example.jp');
    expect(read.status).toBe('complete');
  });

  it('reports a partial read: what is missing from the layout and what is empty', () => {
    const read = readLead(loadFixture('salesforce-lightning/lead-record-partial.html'), '00Q5g00000PqRsT');
    expect(read.status).toBe('partial');
    expect(read.lead).toEqual({ name: '鈴木 一郎', company: '合同会社ひかりデザイン', phone: '090-1111-2222' });
    expect(read.empty).toEqual(['email']);
    expect(read.missing).toEqual(['title', 'leadSource', 'status']);
  });

  it('reads nothing while the record has not rendered, without throwing', () => {
    const read = readLead(loadFixture('salesforce-lightning/lead-record-loading.html'), YAMADA);
    expect(read).toEqual({
      status: 'none',
      lead: {},
      missing: ['name', 'company', 'title', 'email', 'phone', 'leadSource', 'status'],
      empty: [],
      via: {},
    });
  });

  it('keeps markup in values as text and never creates elements from it', () => {
    const doc = loadFixture('salesforce-lightning/lead-record-markup.html');
    const before = doc.querySelectorAll('img, script').length;
    const read = readLead(doc, '00Q5g00000HoStL');
    expect(read.lead.name).toBe('<img src=x onerror="window.__salPwned=1">悪意 <script>window.__salPwned=1</script>');
    expect(read.lead.company).toBe('<script>window.__salPwned=1</script>株式会社<b>テスト</b>');
    // real elements inside a value are reduced to their text; script contents are dropped
    expect(read.lead.title).toBe('部長（代理）');
    expect(doc.querySelectorAll('img, script').length).toBe(before);
  });

  it('returns nothing when no view is visible (mid-navigation)', () => {
    const doc = loadFixture('salesforce-lightning/lead-record.html');
    doc.querySelector('.windowViewMode-normal.active')!.classList.remove('active');
    expect(readLead(doc, YAMADA).status).toBe('none');
    expect(findRecordAnchor(doc, YAMADA, { fallback: true })).toBeNull();
  });

  it('refuses to read for a record the page URL no longer shows', () => {
    const doc = loadFixtureAt('salesforce-lightning/lead-record.html', `/lightning/r/Lead/00Q5g00000AbCdE/view`);
    expect(readLead(doc, '00Q5g00000AbCdE').status).toBe('complete');
    expect(readLead(doc, '00Q5g00000FgHiJEAV').status).toBe('none');
    expect(findRecordAnchor(doc, '00Q5g00000FgHiJEAV')).toBeNull();
    expect(readLead(doc, 'not-an-id').status).toBe('none');
  });

  it('truncates absurdly long values to the stored snapshot limits', () => {
    const doc = loadFixture('salesforce-lightning/lead-record.html');
    const phone = doc.querySelector('.active [data-target-selection-name="sfdc:RecordField.Lead.Phone"] a')!;
    phone.textContent = '0'.repeat(5000);
    expect(readLead(doc, YAMADA).lead.phone).toHaveLength(100);
  });
});

describe('Lightning record anchor', () => {
  it('is the visible record’s highlights header, not the cached one', () => {
    const doc = loadFixture('salesforce-lightning/lead-record.html');
    const anchor = findRecordAnchor(doc, YAMADA);
    expect(anchor?.localName).toBe('records-lwc-highlights-panel');
    expect(anchor?.closest('.windowViewMode-normal')?.classList.contains('active')).toBe(true);
    expect(anchor?.textContent).toContain('山田 太郎');
  });

  it('is found behind shadow roots too', () => {
    expect(findRecordAnchor(loadFixture('salesforce-lightning/lead-record-shadow.html'), YAMADA)?.localName).toBe('records-lwc-highlights-panel');
  });

  it('is null until the header renders; with fallback, the record frame', () => {
    const doc = loadFixture('salesforce-lightning/lead-record-loading.html');
    expect(findRecordAnchor(doc, YAMADA)).toBeNull();
    expect(findRecordAnchor(doc, YAMADA, { fallback: true })?.localName).toBe('one-record-home-flexipage2');
  });
});

describe('Lightning list rows', () => {
  it('lists lead rows of the visible list with 18-character ids and their name cells', () => {
    const rows = listRows(loadFixture('salesforce-lightning/lead-list.html'));
    expect(rows.map((r) => r.recordId)).toEqual(['00Q5g00000AbCdEEAV', '00Q5g00000FgHiJEAV']);
    expect(rows[0]!.nameCell.textContent).toContain('山田 太郎');
    expect(rows[1]!.nameCell.getAttribute('data-label')).toBe('名前');
    expect(rows.every((r) => r.row.localName === 'tr' && r.nameCell.closest('tr') === r.row)).toBe(true);
  });

  it('finds rows inside an open shadow root (native-shadow datatable)', () => {
    const doc = loadFixture('salesforce-lightning/lead-list.html');
    const table = doc.querySelector('.active table')!;
    const host = doc.createElement('lightning-datatable');
    table.replaceWith(host);
    host.attachShadow({ mode: 'open' }).append(table);
    expect(listRows(doc).map((r) => r.recordId)).toEqual(['00Q5g00000AbCdEEAV', '00Q5g00000FgHiJEAV']);
  });

  it('is empty when the list has not rendered', () => {
    expect(listRows(loadFixture('salesforce-lightning/lead-record-loading.html'))).toEqual([]);
  });
});
