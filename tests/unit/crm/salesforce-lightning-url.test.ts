import { describe, expect, it } from 'vitest';
import { adapterFor } from '../../../lib/crm/registry';
import { detectLightningPage, recordFromUrl, salesforceLightning } from '../../../lib/crm/salesforce-lightning';
import { toCaseSafeId } from '../../../lib/domain';
import { SANDBOX_ACCOUNTS, SANDBOX_LEADS } from '../../sandbox/leads';

const page = (href: string) => detectLightningPage(new URL(href));
const HOST = 'https://acme.lightning.force.com';

describe('Salesforce Lightning URL detection', () => {
  it('recognises a lead record by its 15-character id and reports the 18-character form', () => {
    expect(page(`${HOST}/lightning/r/Lead/00Q5g00000AbCdE/view`)).toEqual({
      kind: 'lead-record',
      recordId: '00Q5g00000AbCdEEAV',
    });
  });

  it('keeps an 18-character id as is, with or without the object name', () => {
    expect(page(`${HOST}/lightning/r/Lead/00Q5g00000eFgHiEAK/view`)).toEqual({ kind: 'lead-record', recordId: '00Q5g00000eFgHiEAK' });
    expect(page(`${HOST}/lightning/r/00Q5g00000eFgHi/view`)).toEqual({ kind: 'lead-record', recordId: '00Q5g00000eFgHiEAK' });
    expect(page(`${HOST}/lightning/r/Lead/00Q5g00000eFgHiEAK/view?ws=%2Flightning%2Fpage%2Fhome`)).toMatchObject({ kind: 'lead-record' });
  });

  it('reads the older console form /one/one.app#/sObject/<id>', () => {
    expect(page(`${HOST}/one/one.app#/sObject/00Q5g00000AbCdE/view`)).toEqual({ kind: 'lead-record', recordId: '00Q5g00000AbCdEEAV' });
    expect(page(`${HOST}/one/one.app#/sObject/00Q5g00000AbCdEEAV`)).toEqual({ kind: 'lead-record', recordId: '00Q5g00000AbCdEEAV' });
  });

  it('treats records of other objects as other pages, even without the object in the path', () => {
    expect(page(`${HOST}/lightning/r/Account/0015g00000AcMe1/view`)).toEqual({ kind: 'other' });
    expect(page(`${HOST}/lightning/r/0015g00000AcMe1AAF/view`)).toEqual({ kind: 'other' });
    expect(page(`${HOST}/one/one.app#/sObject/0015g00000AcMe1/view`)).toEqual({ kind: 'other' });
    // an id that says Lead in the path but is not a lead id is not trusted
    expect(page(`${HOST}/lightning/r/Lead/0015g00000AcMe1AAF/view`)).toEqual({ kind: 'other' });
  });

  it('recognises the lead list view and object home, and nothing else', () => {
    expect(page(`${HOST}/lightning/o/Lead/list?filterName=Recent`)).toEqual({ kind: 'lead-list' });
    expect(page(`${HOST}/lightning/o/Lead/list?filterName=00B5g00000AbCdE`)).toEqual({ kind: 'lead-list' });
    expect(page(`${HOST}/lightning/o/Lead/home`)).toEqual({ kind: 'lead-list' });
    for (const other of [
      '/lightning/page/home',
      '/lightning/o/Account/list',
      '/lightning/r/Lead/00Q5g00000AbCdE/edit',
      '/lightning/r/Lead/00Q5g00000AbCd/view',
      '/lightning/r/Lead/00Q5g00000AbCdE!/view',
    ]) {
      expect(page(`${HOST}${other}`), other).toEqual({ kind: 'other' });
    }
  });

  it('only matches Lightning hosts over https', () => {
    expect(salesforceLightning.matches(new URL(`${HOST}/lightning/page/home`))).toBe(true);
    expect(salesforceLightning.matches(new URL('https://acme--uat.sandbox.lightning.force.com/'))).toBe(true);
    expect(salesforceLightning.matches(new URL('http://acme.lightning.force.com/'))).toBe(false);
    expect(salesforceLightning.matches(new URL('https://lightning.force.com.evil.example/'))).toBe(false);
    expect(salesforceLightning.matches(new URL('https://evil-lightning.force.com/'))).toBe(false);
    expect(page('https://evil.example/lightning/r/Lead/00Q5g00000AbCdE/view')).toEqual({ kind: 'other' });
  });

  it('registry picks the Lightning adapter for Lightning URLs only', () => {
    expect(adapterFor(new URL(`${HOST}/lightning/r/Lead/00Q5g00000AbCdE/view`))?.ui).toBe('salesforce-lightning');
    expect(adapterFor(new URL('https://example.com/'))).toBeNull();
  });

  it('every sandbox lead and account id has a consistent 15/18 pair that the URLs resolve', () => {
    for (const l of SANDBOX_LEADS) {
      expect(toCaseSafeId(l.id15)).toBe(l.id);
      expect(l.id.startsWith('00Q')).toBe(true);
      expect(recordFromUrl(new URL(`${HOST}/lightning/r/Lead/${l.id15}/view`))?.recordId).toBe(l.id);
    }
    for (const a of SANDBOX_ACCOUNTS) expect(toCaseSafeId(a.id15)).toBe(a.id);
  });
});
