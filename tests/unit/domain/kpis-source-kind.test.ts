import { describe, expect, it } from 'vitest';
import { computeKpis, SALES_ORIGINATED_KIND, UNSPECIFIED_SOURCE_KIND, type LeadEvent } from '../../../lib/domain';
import * as b from './builders';
import { jst, REP_A } from './builders';

const period = { from: jst('2026-11-01T00:00'), to: jst('2026-12-01T00:00'), now: jst('2026-12-01T00:00') };
const lead = (n: number) => `hubspot:${n}`;

describe('KPIs by hand-off source kind', () => {
  it("splits acceptance by where the hand-off came from: is an agent's accepted as often as marketing's?", () => {
    const at = (d: string) => jst(`2026-11-${d}T10:00`);
    const events: LeadEvent[] = [
      // an agent: 1 accepted, 2 rejected
      b.handedOver({ at: at('02'), leadKey: lead(1) }, { sourceKind: 'agent' }),
      b.accepted({ at: at('03'), leadKey: lead(1), actor: REP_A }),
      b.handedOver({ at: at('02'), leadKey: lead(2) }, { sourceKind: 'agent' }),
      b.rejected({ at: at('03'), leadKey: lead(2), actor: REP_A }),
      b.handedOver({ at: at('02'), leadKey: lead(3) }, { sourceKind: 'agent' }),
      b.rejected({ at: at('03'), leadKey: lead(3), actor: REP_A }),
      // a CRM rule: 2 accepted
      b.handedOver({ at: at('04'), leadKey: lead(4) }, { sourceKind: 'crm-rule' }),
      b.accepted({ at: at('05'), leadKey: lead(4), actor: REP_A }),
      b.handedOver({ at: at('04'), leadKey: lead(5) }, { sourceKind: 'crm-rule' }),
      b.accepted({ at: at('05'), leadKey: lead(5), actor: REP_A }),
      // recorded before source kinds existed, still undecided
      b.handedOver({ at: at('06'), leadKey: lead(6) }),
      // sales-originated
      b.salesOriginated({ at: at('07'), leadKey: lead(7), actor: REP_A }),
    ];
    const k = computeKpis(events, period);
    expect(k.bySourceKind.agent?.acceptance).toMatchObject({ handedOver: 3, accepted: 1, rejected: 2 });
    expect(k.bySourceKind.agent?.acceptance.rate).toBeCloseTo(1 / 3);
    expect(k.bySourceKind['crm-rule']?.acceptance).toMatchObject({ handedOver: 2, accepted: 2, rate: 1 });
    expect(k.bySourceKind[UNSPECIFIED_SOURCE_KIND]?.acceptance).toMatchObject({ handedOver: 1, undecided: 1 });
    expect(k.bySourceKind[SALES_ORIGINATED_KIND]?.salesOriginatedCount).toBe(1);
    // the split adds up to the whole
    const mql = Object.values(k.bySourceKind).reduce((s, g) => s + g.mqlCount, 0);
    expect(mql).toBe(k.overall.mqlCount);
  });

  it('a re-sent hand-off keeps the cycle under the source that started it', () => {
    const events = [
      b.handedOver({ at: jst('2026-11-02T10:00'), leadKey: lead(1) }, { sourceKind: 'crm-rule' }),
      b.handedOver({ at: jst('2026-11-02T11:00'), leadKey: lead(1) }, { sourceKind: 'panel', note: '担当変更' }),
    ];
    const k = computeKpis(events, period);
    expect(Object.keys(k.bySourceKind)).toEqual(['crm-rule']);
  });
});
