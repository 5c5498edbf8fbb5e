import { describe, expect, it } from 'vitest';
import { isLeadPageOf, leadPageUrl, openableLeadUrl } from '../../../lib/crm/lead-page-url';

const SF = 'salesforce:00Q5g00000AbCdEEAV';
const GUID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

describe('leadPageUrl: a lead known only by its key, opened on a CRM page seen here', () => {
  it('builds the Lightning record page on the org seen most recently', () => {
    const seen = ['https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000ZZZZZEAV/view', 'https://old.lightning.force.com/lightning/o/Lead/list'];
    expect(leadPageUrl(SF, seen)).toBe('https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view');
  });

  it('uses a Classic host when that is the Salesforce UI seen', () => {
    expect(leadPageUrl(SF, ['https://acme.my.salesforce.com/00Q/o'])).toBe('https://acme.my.salesforce.com/00Q5g00000AbCdEEAV');
  });

  it('builds HubSpot contact and leads-object pages in the portal seen', () => {
    const seen = ['https://app-eu1.hubspot.com/contacts/4711/objects/0-1/views/all/list'];
    expect(leadPageUrl('hubspot:123', seen)).toBe('https://app-eu1.hubspot.com/contacts/4711/record/0-1/123');
    expect(leadPageUrl('hubspot:0-136:987', seen)).toBe('https://app-eu1.hubspot.com/contacts/4711/record/0-136/987');
  });

  it('builds the Dynamics record page in the org and app seen', () => {
    const seen = ['https://contoso.crm7.dynamics.com/main.aspx?appid=abc-123&pagetype=entitylist&etn=lead'];
    const url = new URL(leadPageUrl(`dynamics:${GUID}`, seen)!);
    expect(url.origin).toBe('https://contoso.crm7.dynamics.com');
    expect(Object.fromEntries(url.searchParams)).toEqual({ appid: 'abc-123', pagetype: 'entityrecord', etn: 'lead', id: GUID });
  });

  it('skips pages of other CRMs and junk, and gives null when nothing fits', () => {
    const seen = ['not a url', 'https://app.hubspot.com/contacts/1/record/0-1/2', 'javascript:alert(1)'];
    expect(leadPageUrl(SF, seen)).toBeNull();
    expect(leadPageUrl(SF, [...seen, 'https://acme.lightning.force.com/lightning/page/home'])).toBe('https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view');
    expect(leadPageUrl('custom:kintone:42', ['https://acme.lightning.force.com/'])).toBeNull();
    expect(leadPageUrl('salesforce:short', ['https://acme.lightning.force.com/'])).toBeNull();
    expect(leadPageUrl('hubspot:<script>', seen)).toBeNull();
  });
});

describe('only a lead page of a known CRM is opened (issue 9, item 5)', () => {
  const key = 'salesforce:00Q5g00000AbCdEEAV';
  const page = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view';

  it('accepts the lead’s own page on a built-in CRM, nothing else a crafted event may carry', () => {
    expect(isLeadPageOf(page, key)).toBe(true);
    for (const href of [
      'https://evil.example.com/lightning/r/Lead/00Q5g00000AbCdE/view', // not a CRM
      'http://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view', // not https
      'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000FgHiJ/view', // another lead
      'https://acme.lightning.force.com/lightning/o/Lead/list', // not a record
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(isLeadPageOf(href, key), href).toBe(false);
    }
  });

  it('falls back to a page built on a known CRM seen here, never on a foreign site', () => {
    expect(openableLeadUrl(key, 'https://evil.example.com/x', ['https://evil.example.com/lightning/r/Lead/00Q5g00000FgHiJ/view'])).toBeNull();
    expect(openableLeadUrl(key, 'https://evil.example.com/x', ['https://evil.example.com/a', page])).toBe('https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view');
    expect(openableLeadUrl(key, page, [])).toBe(page);
  });
});
