import { describe, expect, it } from 'vitest';
import { DEFAULT_DEFINITION, SalDefinitionSchema, writebackContext } from '../../../lib/domain/definition';
import { SALESFORCE_WRITEBACK_EXAMPLE, WritebackSchema, writebackFields, type Writeback } from '../../../lib/domain/writeback';
import { accepted, contacted, jst, lost, recycled, rejected, won, REP_A } from './builders';

const ctx = writebackContext(DEFAULT_DEFINITION);

describe('write-back mapping', () => {
  it('受領 sets the Salesforce status and the day of acceptance in the team’s time zone', () => {
    // 08:30 in Tokyo is still the previous day in UTC: the date field must say the Tokyo day
    const event = accepted({ at: jst('2026-12-01T08:30') });
    expect(writebackFields(SALESFORCE_WRITEBACK_EXAMPLE, 'salesforce', event, ctx)).toEqual({ Status: 'Working - Contacted', SAL_Accepted_Date__c: '2026-12-01' });
  });

  it('却下 writes the reason label in the language the mapping names, or the code when the definition lost it', () => {
    const event = rejected({ at: jst('2026-12-01T10:00') }, { reasonCode: 'competitor' });
    expect(writebackFields(SALESFORCE_WRITEBACK_EXAMPLE, 'salesforce', event, ctx)).toEqual({ Status: 'Closed - Not Converted', SAL_Reject_Reason__c: '競合製品を使用中' });
    const en: Writeback = { salesforce: { on: { rejected: { Reason__c: { from: 'reasonLabel', lang: 'en' }, Code__c: { from: 'reasonCode' }, Note__c: { from: 'comment' } } } } };
    expect(writebackFields(en, 'salesforce', event, ctx)).toEqual({ Reason__c: 'Uses a competitor', Code__c: 'competitor', Note__c: null });
    const unknown = rejected({ at: jst('2026-12-01T10:00') }, { reasonCode: 'gone_reason' });
    expect(writebackFields(en, 'salesforce', unknown, ctx)?.Reason__c).toBe('gone_reason');
  });

  it('each CRM has its own field names; a CRM or a decision without a mapping writes nothing', () => {
    const event = rejected({ at: jst('2026-12-01T10:00') });
    expect(writebackFields(SALESFORCE_WRITEBACK_EXAMPLE, 'hubspot', event, ctx)).toEqual({ hs_lead_status: 'UNQUALIFIED' });
    expect(writebackFields(SALESFORCE_WRITEBACK_EXAMPLE, 'dynamics', event, ctx)).toEqual({ statecode: 2, statuscode: 6 });
    expect(writebackFields(SALESFORCE_WRITEBACK_EXAMPLE, 'hubspot', won({ at: jst('2026-12-01T10:00') }), ctx)).toBeNull();
    expect(writebackFields(undefined, 'salesforce', event, ctx)).toBeNull();
    // contacted is not a decision that is written back, whatever a mapping says
    expect(writebackFields(SALESFORCE_WRITEBACK_EXAMPLE, 'salesforce', contacted({ at: jst('2026-12-01T10:00') }), ctx)).toBeNull();
    expect(writebackFields({ salesforce: { on: { accepted: {} } } }, 'salesforce', accepted({ at: jst('2026-12-01T10:00') }), ctx)).toBeNull();
  });

  it('recycle, won and lost take their own values (reason text, amount, actor, instant)', () => {
    const wb: Writeback = {
      salesforce: {
        on: {
          recycled: { Status: { value: 'Open - Not Contacted' }, Recycle_Reason__c: { from: 'reasonCode' } },
          won: { Amount__c: { from: 'amount' }, Won_By__c: { from: 'actorName' }, Won_At__c: { from: 'dateTime' }, Hot__c: { value: true } },
          lost: { Lost_Reason__c: { from: 'reasonLabel' } },
        },
      },
    };
    expect(writebackFields(wb, 'salesforce', recycled({ at: jst('2026-12-01T10:00') }, 'not_ready'), ctx)).toEqual({ Status: 'Open - Not Contacted', Recycle_Reason__c: 'not_ready' });
    expect(writebackFields(wb, 'salesforce', won({ at: jst('2026-12-01T10:00') }, 1_200_000), ctx)).toEqual({
      Amount__c: 1_200_000,
      Won_By__c: REP_A.name,
      Won_At__c: '2026-12-01T01:00:00.000Z',
      Hot__c: true,
    });
    expect(writebackFields(wb, 'salesforce', lost({ at: jst('2026-12-01T10:00') }, '予算凍結'), ctx)).toEqual({ Lost_Reason__c: '予算凍結' });
  });

  it('refuses field names a CRM API would not take and values of another shape', () => {
    expect(WritebackSchema.safeParse({ salesforce: { on: { accepted: { 'Status; DROP': { value: 'x' } } } } }).success).toBe(false);
    expect(WritebackSchema.safeParse({ salesforce: { on: { accepted: { Status: { from: 'password' } } } } }).success).toBe(false);
    expect(WritebackSchema.safeParse({ salesforce: { on: { handed_over: { Status: { value: 'x' } } } } }).success).toBe(false);
    expect(WritebackSchema.safeParse(SALESFORCE_WRITEBACK_EXAMPLE).success).toBe(true);
  });
});

describe('the definition carries write-back as one optional field', () => {
  it('a definition stored before write-back existed still parses, and writes nothing', () => {
    const old = JSON.parse(JSON.stringify(DEFAULT_DEFINITION)) as Record<string, unknown>;
    expect('writeback' in old).toBe(false);
    const parsed = SalDefinitionSchema.parse(old);
    expect(parsed.writeback).toBeUndefined();
    expect(writebackFields(parsed.writeback, 'salesforce', accepted({ at: jst('2026-12-01T10:00') }), ctx)).toBeNull();
  });

  it('a definition with a mapping keeps it through a parse', () => {
    const parsed = SalDefinitionSchema.parse({ ...DEFAULT_DEFINITION, writeback: SALESFORCE_WRITEBACK_EXAMPLE });
    expect(parsed.writeback).toEqual(SALESFORCE_WRITEBACK_EXAMPLE);
    expect(SalDefinitionSchema.safeParse({ ...DEFAULT_DEFINITION, writeback: { salesforce: { on: { accepted: { Status: 5n } } } } }).success).toBe(false);
  });
});
