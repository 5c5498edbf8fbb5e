// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { adapterFor } from '../../../lib/crm/registry';
import { dynamics } from '../../../lib/crm/dynamics';
import { makeLeadKey } from '../../../lib/domain/lead-key';
import { loadFixture, loadFixtureAt } from './fixture';

// Fixtures are snapshots of the sandbox Dynamics 365 app (tests/sandbox/dynamics-app.js).
const YAMADA = '3f2a1b7c-9d4e-4f11-a5b6-c0de00000000';
const SUZUKI = '3f2a1b7c-9d4e-4f11-a5b6-c0de00000003';
const APP = 'appid=a1b2c3d4-0000-4000-8000-5a1e5a1e5a1e';
// DOMParser documents take the window's URL, and some tests move it onto a record: start neutral.
beforeEach(() => window.history.replaceState(null, '', '/'));

const url = (q: string, host = 'acme.crm7.dynamics.com', path = '/main.aspx') => new URL(`https://${host}${path}?${q}`);

describe('Dynamics 365 URLs', () => {
  it('detects lead records and normalises the GUID the way lead keys do', () => {
    expect(dynamics.detectPage(url(`${APP}&pagetype=entityrecord&etn=lead&id=${YAMADA}`))).toEqual({ kind: 'lead-record', recordId: YAMADA });
    const braced = url(`pagetype=entityrecord&etn=lead&id=%7B${YAMADA.toUpperCase()}%7D&${APP}`);
    const page = dynamics.detectPage(braced);
    expect(page).toEqual({ kind: 'lead-record', recordId: YAMADA });
    expect(makeLeadKey('dynamics', page.kind === 'lead-record' ? page.recordId : '')).toBe(makeLeadKey('dynamics', `{${YAMADA.toUpperCase()}}`));
  });

  it('other entities, the new-lead form and non-GUID ids are not lead records', () => {
    expect(dynamics.detectPage(url(`${APP}&pagetype=entityrecord&etn=account&id=${YAMADA}`))).toEqual({ kind: 'other' });
    expect(dynamics.detectPage(url(`${APP}&pagetype=entityrecord&etn=lead`))).toEqual({ kind: 'other' });
    expect(dynamics.detectPage(url(`${APP}&pagetype=entityrecord&etn=lead&id=123`))).toEqual({ kind: 'other' });
  });

  it('detects lead views, not other views or dashboards', () => {
    expect(dynamics.detectPage(url(`${APP}&pagetype=entitylist&etn=lead&viewid=00000000-0000-0000-00aa-000010001004`))).toEqual({ kind: 'lead-list' });
    expect(dynamics.detectPage(url(`${APP}&pagetype=entitylist&etn=opportunity`))).toEqual({ kind: 'other' });
    expect(dynamics.detectPage(url(`${APP}&pagetype=dashboard`))).toEqual({ kind: 'other' });
  });

  it('matches model-driven apps on any crm<N> region, not other dynamics.com apps', () => {
    expect(adapterFor(url(`pagetype=entitylist&etn=lead`))?.ui).toBe('dynamics-365');
    expect(dynamics.matches(url('', 'contoso.crm.dynamics.com'))).toBe(true);
    expect(dynamics.matches(url('', 'contoso.crm4.dynamics.com'))).toBe(true);
    expect(dynamics.matches(url('', 'contoso.operations.dynamics.com'))).toBe(false); // Finance & Operations
    expect(dynamics.matches(url('', 'contoso.crm.dynamics.com', '/WebResources/x.htm'))).toBe(false);
  });
});

describe('Dynamics 365 lead form reader', () => {
  it('reads the header title (without the save state), header fields and input values by logical name', () => {
    const read = dynamics.readLead(loadFixture('dynamics/lead-record.html'), YAMADA);
    expect(read.status).toBe('complete');
    expect(read.lead).toEqual({
      name: '山田 太郎',
      company: '株式会社サクラテック',
      title: '営業部長',
      email: 'taro.yamada@sakuratech.co.jp',
      phone: '03-1234-5678',
      leadSource: 'Web',
      status: '新規',
      owner: '佐藤 健一',
    });
  });

  it('accepts the id in any GUID spelling', () => {
    expect(dynamics.readLead(loadFixture('dynamics/lead-record.html'), `{${YAMADA.toUpperCase()}}`).status).toBe('complete');
  });

  it('an empty email is empty; a quick view of another record does not fill it', () => {
    const plain = dynamics.readLead(loadFixture('dynamics/lead-record-no-email.html'), SUZUKI);
    expect(plain.empty).toEqual(['email']);
    const withQuickView = dynamics.readLead(loadFixture('dynamics/lead-record-quickview.html'), SUZUKI);
    expect(withQuickView.lead.email).toBeUndefined();
    expect(withQuickView.lead.phone).toBe('03-5555-0101');
    expect(withQuickView.empty).toEqual(['email']);
  });

  it('fields in a hidden tab are missing, not read', () => {
    const doc = loadFixture('dynamics/lead-record.html');
    doc.querySelector('[data-id="tabpanel-DETAILS_TAB"]')!.append(doc.querySelector('[data-id="companyname-FieldSectionItemContainer"]')!);
    const read = dynamics.readLead(doc, YAMADA);
    expect(read.status).toBe('partial');
    expect(read.missing).toEqual(['company']);
  });

  it('before the form loads: nothing read, no anchor, the header as fallback', () => {
    const doc = loadFixture('dynamics/lead-record-loading.html');
    expect(dynamics.readLead(doc, YAMADA).status).toBe('none');
    expect(dynamics.findRecordAnchor(doc, YAMADA)).toBeNull();
    expect(dynamics.findRecordAnchor(doc, YAMADA, { fallback: true })?.getAttribute('data-id')).toBe('form-header');
    expect(dynamics.findRecordAnchor(loadFixture('dynamics/lead-record.html'), YAMADA)?.getAttribute('data-id')).toBe('form-header');
  });

  it('reads nothing once the app has moved to another lead', () => {
    const doc = loadFixtureAt('dynamics/lead-record.html', `/main.aspx?${APP}&pagetype=entityrecord&etn=lead&id=${SUZUKI}`);
    expect(dynamics.readLead(doc, YAMADA).status).toBe('none');
    expect(dynamics.findRecordAnchor(doc, YAMADA)).toBeNull();
  });
});

describe('Dynamics 365 grid rows', () => {
  it('one row per lead although pinned and scrolling columns each have a row; the badge goes in the name cell', () => {
    const rows = dynamics.listRows(loadFixture('dynamics/lead-list.html'));
    expect(rows).toHaveLength(30);
    expect(rows[0]!.recordId).toBe(YAMADA);
    expect(rows[0]!.nameCell.getAttribute('col-id')).toBe('fullname');
    expect(new Set(rows.map((r) => r.recordId)).size).toBe(30);
  });

  it('takes the id from the name link when rows carry no GUID', () => {
    const doc = loadFixture('dynamics/lead-list.html');
    for (const row of Array.from(doc.querySelectorAll('[row-id]'))) row.setAttribute('row-id', row.getAttribute('row-index') ?? '');
    const rows = dynamics.listRows(doc);
    expect(rows).toHaveLength(30);
    expect(rows[3]!.recordId).toBe(SUZUKI);
  });
});
