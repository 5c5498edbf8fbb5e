// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { adapterFor, salesforceClassic } from '../../../lib/crm';
import { loadFixture } from './fixture';

const SUZUKI = '00Q5g00000PqRsTEAV';
const HOST = 'https://acme.my.salesforce.com';

describe('Salesforce Classic adapter', () => {
  it('detects lead records by id prefix (15 → 18) and the lead list view', () => {
    const detect = (p: string) => salesforceClassic.detectPage(new URL(HOST + p));
    expect(detect('/00Q5g00000PqRsT')).toEqual({ kind: 'lead-record', recordId: SUZUKI });
    expect(detect('/00Q?fcf=00B5g00000AbCdE')).toEqual({ kind: 'lead-list' });
    expect(detect('/0015g00000AcMe1')).toEqual({ kind: 'other' });
    expect(detect('/home/home.jsp')).toEqual({ kind: 'other' });
    expect(adapterFor(new URL(`${HOST}/00Q5g00000PqRsT`))?.ui).toBe('salesforce-classic');
  });

  it('reads the detail page by its localized labels; an empty email is empty, not missing', () => {
    const read = salesforceClassic.readLead(loadFixture('salesforce-classic/lead-record.html'), SUZUKI);
    expect(read.status).toBe('complete');
    expect(read.lead).toMatchObject({ name: '鈴木 一郎', company: '合同会社ひかりデザイン', phone: '03-5555-0101', score: 66 });
    expect(read.lead.email).toBeUndefined();
    expect(read.empty).toEqual(['email']);
    expect(salesforceClassic.findRecordAnchor(loadFixture('salesforce-classic/lead-record.html'), SUZUKI)?.className).toBe('bPageTitle');
  });

  it('lists lead rows with 18-character ids, markup in names as text', () => {
    const rows = salesforceClassic.listRows(loadFixture('salesforce-classic/lead-list.html'));
    expect(rows).toHaveLength(13);
    expect(rows[0]!.recordId).toBe('00Q5g00000AbCdEEAV');
    const hostile = rows.find((r) => r.recordId === '00Q5g00000HoStLEAV')!;
    expect(hostile.nameCell.textContent).toContain('<img src=x');
    expect(hostile.nameCell.querySelector('img')).toBeNull();
  });
});
