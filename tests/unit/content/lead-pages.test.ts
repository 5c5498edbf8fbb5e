import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../../lib/crm/registry';
import { PAGE_DETECTORS, isLeadPage } from '../../../lib/content/lead-pages';

// The content script's first stage decides, from the URL alone, whether to load the rest.
describe('content script first stage (lead-pages)', () => {
  it('classifies with exactly the registry adapters’ own detectPage functions', () => {
    // an adapter added to lib/crm/registry.ts must be added to lib/content/lead-pages.ts too
    expect(new Set(PAGE_DETECTORS)).toEqual(new Set(ADAPTERS.map((a) => a.detectPage)));
  });

  it('loads the second stage on lead records and lists only', () => {
    expect(isLeadPage(new URL('https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view'))).toBe(true);
    expect(isLeadPage(new URL('https://acme.lightning.force.com/lightning/o/Lead/list'))).toBe(true);
    expect(isLeadPage(new URL('https://acme.my.salesforce.com/00Q5g00000AbCdE'))).toBe(true);
    expect(isLeadPage(new URL('https://app.hubspot.com/contacts/123/record/0-1/456'))).toBe(true);
    expect(isLeadPage(new URL('https://acme.crm7.dynamics.com/main.aspx?pagetype=entitylist&etn=lead'))).toBe(true);
    expect(isLeadPage(new URL('https://acme.lightning.force.com/lightning/page/home'))).toBe(false);
    expect(isLeadPage(new URL('https://acme.lightning.force.com/lightning/r/Account/0015g00000AbCdE/view'))).toBe(false);
    expect(isLeadPage(new URL('https://acme.crm7.dynamics.com/main.aspx?pagetype=entityrecord&etn=account&id=3f2a1b7c-9d4e-4f11-a5b6-c0de00000000'))).toBe(false);
  });
});
