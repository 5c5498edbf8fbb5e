import { describe, expect, it } from 'vitest';
import { LeadKeySchema, makeLeadKey, type CrmId } from '../../../lib/domain/lead-key';

describe('makeLeadKey', () => {
  it('normalises the ids it is given, and its keys pass LeadKeySchema', () => {
    const keys = [
      makeLeadKey('salesforce', ' 00Q5g00000AbCdE '),
      makeLeadKey('dynamics', '{6F9619FF-8B86-D011-B42D-00C04FC964FF}'),
      makeLeadKey('hubspot', '0-136:101'),
      makeLeadKey('custom', 'x'.repeat(200)),
    ];
    expect(keys.slice(0, 3)).toEqual(['salesforce:00Q5g00000AbCdEEAV', 'dynamics:6f9619ff-8b86-d011-b42d-00c04fc964ff', 'hubspot:0-136:101']);
    for (const key of keys) expect(LeadKeySchema.safeParse(key).success, key).toBe(true);
  });

  it('throws for every id the schema would refuse, instead of returning a key nobody can store', () => {
    const bad: Array<[CrmId, string]> = [
      ['salesforce', '00Q5g'],
      ['custom', ''],
      ['hubspot', '   '],
      ['dynamics', '{}'],
      ['custom', 'L 1'],
      ['custom', 'L\u30001'], // an ideographic space inside the id
      ['custom', 'x'.repeat(201)],
      ['custom', 'L\u0000'],
      ['hubspot', `101${'😀'.slice(0, 1)}`],
    ];
    for (const [crm, id] of bad) expect(() => makeLeadKey(crm, id), `${crm} ${JSON.stringify(id)}`).toThrow(Error);
  });

  it('LeadKeySchema refuses U+0000 and unpaired surrogates in the record id', () => {
    expect(LeadKeySchema.safeParse('custom:L\u0000').success).toBe(false);
    expect(LeadKeySchema.safeParse('custom:\uDC00').success).toBe(false);
    expect(LeadKeySchema.safeParse('custom:株式会社😀').success).toBe(true);
  });
});
