import { describe, expect, it } from 'vitest';
import { CUSTOM_CRM_EXAMPLE, MAX_CUSTOM_CRMS, parseCustomCrms, withCustomCrm, withoutCustomCrm } from '../../../lib/settings/custom-crms';
import { createCustomAdapter } from '../../../lib/crm/custom';

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
});
