import { describe, expect, it } from 'vitest';
import { kpiReportCsv } from '../../../components/kpis/kpi-csv';
import { groupNames } from '../../../components/kpis/group-names';
import { computeKpis } from '../../../lib/domain/kpis';
import { createTranslator } from '../../../lib/i18n';
import { handedOver, jst } from '../../unit/domain/builders';
import { OCTOBER, OCTOBER_EVENTS } from '../../unit/domain/kpi-scenario';

const csvOf = (now: Date) => {
  const report = computeKpis(OCTOBER_EVENTS, { ...OCTOBER, now });
  const t = createTranslator('ja');
  return kpiReportCsv(report, { ...groupNames(report, t), overall: t('kpi.overall') });
};

describe('KPI CSV for the review meeting', () => {
  it('keeps October as it stood on 11/01, even when saved from the events known on 12/01', () => {
    const lines = csvOf(jst('2026-11-01T00:00')).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'scope,name,mql,sal,accepted,rejected,contested,undecided,decided,acceptance_rate,health,first_contact_on_time,first_contact_due,sql,won,overdue_now,period_from,period_to,as_of,last_changed',
    );
    // 12 MQLs = 7 + 2 + 1 + 2; 8 SALs; 7/9 decided; no health band (too few); as of 11/01 00:00 JST = 10/31 15:00 UTC
    expect(lines[1]).toBe(`overall,全体,12,8,7,2,1,2,9,${7 / 9},,7,8,1,1,3,2026-09-30T15:00:00.000Z,2026-10-31T15:00:00.000Z,2026-10-31T15:00:00.000Z,2026-10-31T14:30:00.000Z`);
    expect(lines.find((l) => l.startsWith('rep,田中,'))).toBeDefined();
    expect(lines.find((l) => l.startsWith('source,営業起点: インテントシグナル,'))).toBeDefined();
    // the same report a month later reads differently, and says as of when
    expect(csvOf(jst('2026-12-01T00:00')).split('\r\n')[1]).toMatch(/^overall,全体,12,9,8,3,1,0,11,.*,healthy,8,9,2,3,3,.*,2026-11-30T15:00:00.000Z,2026-11-25T01:00:00.000Z$/);
  });

  it('quotes names with commas and never lets a spreadsheet run a source name as a formula', () => {
    const events = [
      handedOver({ at: jst('2026-10-05T10:00'), leadKey: 'hubspot:X1' }, { source: '=HYPERLINK("x")' }),
      handedOver({ at: jst('2026-10-05T10:00'), leadKey: 'hubspot:X2' }, { source: '展示会, 東京' }),
    ];
    const report = computeKpis(events, { ...OCTOBER, now: jst('2026-11-01T00:00') });
    const t = createTranslator('en');
    const csv = kpiReportCsv(report, { ...groupNames(report, t), overall: t('kpi.overall') });
    expect(csv).toContain(`source,"'=HYPERLINK(""x"")",1,`);
    expect(csv).toContain('source,"展示会, 東京",1,');
  });
});
