// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { adapterFor } from '../../../lib/crm/registry';
import { hubspot } from '../../../lib/crm/hubspot';
import { makeLeadKey } from '../../../lib/domain/lead-key';
import { loadFixture, loadFixtureAt } from './fixture';

// Fixtures are snapshots of the sandbox HubSpot (tests/sandbox/hubspot-app.js): 山田 太郎 is
// contact 75120001, 鈴木 一郎 (no email) 75120004; 山田's leads-object record is 31000101.
const YAMADA = '75120001';
const PORTAL = '/contacts/44556677';
// DOMParser documents take the window's URL, and some tests move it onto a record: start neutral.
beforeEach(() => window.history.replaceState(null, '', '/'));

const url = (p: string, host = 'app.hubspot.com') => new URL(`https://${host}${p}`);

describe('HubSpot URLs', () => {
  it('detects contact and leads-object records, keying leads-object ids by their type', () => {
    expect(hubspot.detectPage(url(`${PORTAL}/record/0-1/${YAMADA}`))).toEqual({ kind: 'lead-record', recordId: YAMADA });
    // a sub-tab of the record is the same record
    expect(hubspot.detectPage(url(`${PORTAL}/record/0-1/${YAMADA}/view/activities`))).toEqual({ kind: 'lead-record', recordId: YAMADA });
    // contact 101 and lead 101 are different records: their keys must differ
    expect(hubspot.detectPage(url(`${PORTAL}/record/0-136/101`))).toEqual({ kind: 'lead-record', recordId: '0-136:101' });
    expect(makeLeadKey('hubspot', '0-136:101')).toBe('hubspot:0-136:101');
    for (const other of ['0-2', '0-3', '0-5']) expect(hubspot.detectPage(url(`${PORTAL}/record/${other}/101`))).toEqual({ kind: 'other' });
  });

  it('detects the contact and lead index tables, not boards or other pages', () => {
    expect(hubspot.detectPage(url(`${PORTAL}/objects/0-1/views/all/list`))).toEqual({ kind: 'lead-list' });
    expect(hubspot.detectPage(url(`${PORTAL}/objects/0-136/views/12345/list`))).toEqual({ kind: 'lead-list' });
    expect(hubspot.detectPage(url(`${PORTAL}/objects/0-136/views/all/board`))).toEqual({ kind: 'other' });
    expect(hubspot.detectPage(url(`${PORTAL}/objects/0-2/views/all/list`))).toEqual({ kind: 'other' });
    expect(hubspot.detectPage(url('/reports-dashboard/44556677/view/1'))).toEqual({ kind: 'other' });
  });

  it('matches app.hubspot.com and regional app hosts only, over https', () => {
    expect(adapterFor(url(`${PORTAL}/record/0-1/1`))?.ui).toBe('hubspot');
    expect(hubspot.matches(url('/', 'app-eu1.hubspot.com'))).toBe(true);
    expect(hubspot.matches(url('/', 'app-na2.hubspot.com'))).toBe(true);
    expect(hubspot.matches(url('/', 'www.hubspot.com'))).toBe(false);
    expect(hubspot.matches(url('/', 'app.hubspot.com.evil.example'))).toBe(false);
    expect(hubspot.matches(new URL(`http://app.hubspot.com${PORTAL}/record/0-1/1`))).toBe(false);
  });
});

describe('HubSpot record reader', () => {
  it('reads a contact by internal property names; the team’s lead source wins over the original source', () => {
    const read = hubspot.readLead(loadFixture('hubspot/contact-record.html'), YAMADA);
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
      score: 82,
    });
  });

  it('an empty email is empty, not missing', () => {
    const read = hubspot.readLead(loadFixture('hubspot/contact-record-no-email.html'), '75120004');
    expect(read.status).toBe('complete');
    expect(read.lead.email).toBeUndefined();
    expect(read.empty).toEqual(['email']);
  });

  it('ignores another record shown in a preview panel on the same page', () => {
    const doc = loadFixture('hubspot/contact-record-no-email.html');
    const preview = loadFixture('hubspot/contact-index.html').querySelector('[data-crm-location="CRM_OBJECT_PREVIEW"]')!;
    doc.body.prepend(doc.importNode(preview, true)); // first in document order, on purpose
    const read = hubspot.readLead(doc, '75120004');
    expect(read.lead.name).toBe('鈴木 一郎');
    expect(read.lead.email).toBeUndefined();
    expect(read.lead.phone).toBe('03-5555-0101');
  });

  it('reads nothing for a record the page has navigated away from (SPA)', () => {
    const doc = loadFixtureAt('hubspot/contact-record.html', `${PORTAL}/record/0-1/75120002`);
    expect(hubspot.readLead(doc, YAMADA).status).toBe('none');
    expect(hubspot.findRecordAnchor(doc, YAMADA, { fallback: true })).toBeNull();
    loadFixtureAt('hubspot/contact-record.html', `${PORTAL}/record/0-1/${YAMADA}`);
    expect(hubspot.readLead(document, YAMADA).status).toBe('complete');
  });

  it('a leads-object record has its name, stage and owner; contact details live on the associated contact', () => {
    const read = hubspot.readLead(loadFixtureAt('hubspot/lead-object-record.html', `${PORTAL}/record/0-136/31000101`), '0-136:31000101');
    expect(read.status).toBe('partial');
    expect(read.lead).toMatchObject({ name: '山田 太郎', status: '新規', owner: '佐藤 健一' });
    expect(read.missing).toEqual(['company', 'title', 'email', 'phone', 'leadSource']);
  });

  it('anchors the panel on the middle pane’s tab bar once the name rendered; falls back to it', () => {
    const doc = loadFixture('hubspot/contact-record.html');
    expect(hubspot.findRecordAnchor(doc, YAMADA)?.getAttribute('role')).toBe('tablist');
    doc.querySelector('[data-selenium-test="highlightTitle"]')!.remove(); // still loading
    expect(hubspot.findRecordAnchor(doc, YAMADA)).toBeNull();
    expect(hubspot.findRecordAnchor(doc, YAMADA, { fallback: true })?.getAttribute('role')).toBe('tablist');
  });
});

describe('HubSpot index rows', () => {
  it('lists each rendered row once with the contact id from its name link; the preview panel adds none', () => {
    const rows = hubspot.listRows(loadFixture('hubspot/contact-index.html'));
    expect(rows).toHaveLength(25);
    expect(rows[0]!.recordId).toBe(YAMADA);
    expect(new Set(rows.map((r) => r.recordId)).size).toBe(25);
    expect(rows[0]!.nameCell.localName).toBe('td');
    expect(rows[0]!.nameCell.textContent).toContain('山田 太郎');
  });
});
