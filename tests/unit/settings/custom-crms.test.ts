import { describe, expect, it } from 'vitest';
import { CUSTOM_CRM_EXAMPLE, MAX_CUSTOM_CRMS, parseCustomCrms, withCustomCrm, withoutCustomCrm } from '../../../lib/settings/custom-crms';
import { createCustomAdapter } from '../../../lib/crm/custom';
import { customCrmHostProblem } from '../../../lib/settings/custom-crm-host';

describe('stored CRM configurations', () => {
  it('the example the editor starts from is a valid configuration', () => {
    expect(createCustomAdapter(CUSTOM_CRM_EXAMPLE).ok).toBe(true);
    expect(parseCustomCrms({ version: 1, crms: [CUSTOM_CRM_EXAMPLE] })).toEqual([CUSTOM_CRM_EXAMPLE]);
  });

  it('reads a missing, foreign or malformed value as no CRMs', () => {
    for (const value of [
      undefined,
      null,
      [],
      { version: 2, crms: [] },
      { version: 1, crms: [{ slug: 'x' }] },
      { version: 1, crms: [{ ...CUSTOM_CRM_EXAMPLE, fields: { name: '.n', colour: '.c' } }] },
    ]) {
      expect(parseCustomCrms(value)).toEqual([]);
    }
  });

  it('keeps one configuration per slug, and at most MAX_CUSTOM_CRMS', () => {
    const a = withCustomCrm([], CUSTOM_CRM_EXAMPLE);
    const edited = { ...CUSTOM_CRM_EXAMPLE, anchor: '.other' };
    expect(withCustomCrm(a.crms, edited).crms).toEqual([edited]);
    expect(withoutCustomCrm(a.crms, CUSTOM_CRM_EXAMPLE.slug)).toEqual({ version: 1, crms: [] });
    const full = Array.from({ length: MAX_CUSTOM_CRMS }, (_, i) => ({ ...CUSTOM_CRM_EXAMPLE, slug: `crm-${i}` }));
    expect(() => withCustomCrm(full, { ...CUSTOM_CRM_EXAMPLE, slug: 'one-more' })).toThrow(/at most/);
  });

  it('refuses public suffixes and multi-tenant wildcards as hosts, keeps the valid CRMs stored beside one', () => {
    for (const host of ['co.jp', '*.co.jp', '*.lg.jp', 'github.io', '*.github.io', '*.cybozu.com', '*.kintone.com', '*.force.com', '*.internal', '*.test']) {
      expect(customCrmHostProblem(host), host).not.toBeNull();
    }
    for (const host of ['acme.cybozu.com', 'crm.example.co.jp', '*.example.co.jp', 'leads.example-crm.test', 'crm.corp.internal', 'acme.github.io']) {
      expect(customCrmHostProblem(host), host).toBeNull();
    }
    // stored before the rule: that CRM is dropped, the others stay
    const wide = { ...CUSTOM_CRM_EXAMPLE, slug: 'wide', host: '*.cybozu.com' };
    expect(parseCustomCrms({ version: 1, crms: [wide, CUSTOM_CRM_EXAMPLE] })).toEqual([CUSTOM_CRM_EXAMPLE]);
  });
});
