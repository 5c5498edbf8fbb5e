import { describe, expect, it } from 'vitest';
import {
  addRead,
  crmHealth,
  dayStatus,
  failureJump,
  leadReadHealth,
  listReadHealth,
  ReadHealthDaySchema,
  ReadHealthRecordSchema,
  readDay,
  sumByDay,
  type ReadCounts,
  type ReadHealthRecord,
} from '../../../lib/domain/read-health';

const CONTEXT = { ui: 'dynamics', extensionVersion: '1.4.0' };
const SF_ID = '00Q5g00000AbCdEEAV';

/** A read as `page.lead` carries it: lead data included, which must not reach the record. */
const dynamicsRead = {
  crm: 'dynamics' as const,
  recordId: 'b2a19cdd-88df-e311-b8e5-6c3be5a8b200',
  status: 'partial' as const,
  lead: { name: '山田 太郎', company: '株式会社サンプル', email: 'yamada@example.co.jp', title: undefined, score: 80 },
  missing: ['leadSource', 'status'] as const,
};

describe('the health record of a read', () => {
  it('keeps the field names of a lead read and none of its data', () => {
    const record = leadReadHealth({ ...dynamicsRead, missing: [...dynamicsRead.missing] }, CONTEXT);
    expect(record).toEqual({
      crm: 'dynamics',
      page: 'lead',
      ui: 'dynamics',
      adapterVersion: '1.4.0',
      outcome: 'partial',
      found: ['company', 'email', 'name', 'score'],
      missing: ['leadSource', 'status'],
    });
    const text = JSON.stringify(record);
    for (const value of ['山田', 'サンプル', 'yamada', 'b2a19cdd', '80']) expect(text).not.toContain(value);
    expect(ReadHealthRecordSchema.parse(record)).toEqual(record);
  });

  it('maps the read status: complete → ok, partial → partial, none → failing', () => {
    const outcome = (status: 'complete' | 'partial' | 'none') => leadReadHealth({ crm: 'salesforce', status, lead: {}, missing: [] }, CONTEXT).outcome;
    expect([outcome('complete'), outcome('partial'), outcome('none')]).toEqual(['ok', 'partial', 'failing']);
  });

  it('takes the strategy, release and adapter description version a read names, and drops one that does not hold', () => {
    const read = {
      crm: 'salesforce' as const,
      status: 'complete' as const,
      lead: { name: 'x' },
      missing: [],
      strategy: 'data-target-selection-name',
      release: 'Winter 27',
      adapterVersion: 3,
    };
    expect(leadReadHealth(read, CONTEXT)).toMatchObject({ strategy: 'data-target-selection-name', release: 'Winter 27', adapterVersion: '1.4.0/3' });
    expect(listReadHealth({ crm: 'salesforce', recordIds: [SF_ID], strategy: 'row-key' }, CONTEXT)).toMatchObject({ strategy: 'row-key', adapterVersion: '1.4.0' });
    const odd = leadReadHealth({ ...read, strategy: '', release: 'r'.repeat(101), adapterVersion: -1 } as never, CONTEXT);
    expect(odd).not.toHaveProperty('strategy');
    expect(odd).not.toHaveProperty('release');
    expect(odd.adapterVersion).toBe('1.4.0');
  });

  it('judges a list read by its rows: valid ids and named cells ok, some bad ids or no cells partial, no valid id failing', () => {
    const sf = { ...CONTEXT, ui: 'salesforce-lightning' };
    expect(listReadHealth({ crm: 'salesforce', recordIds: [SF_ID], cells: { [SF_ID]: { Status: 'Open' } } }, sf)).toMatchObject({ outcome: 'ok', found: ['recordId', 'cells'], missing: [] });
    expect(listReadHealth({ crm: 'salesforce', recordIds: [SF_ID] }, sf)).toMatchObject({ outcome: 'ok', found: ['recordId'], missing: [] });
    expect(listReadHealth({ crm: 'salesforce', recordIds: [SF_ID, 'not-an-id'] }, sf).outcome).toBe('partial');
    expect(listReadHealth({ crm: 'salesforce', recordIds: [SF_ID], cells: { [SF_ID]: {} } }, sf)).toMatchObject({ outcome: 'partial', missing: ['cells'] });
    expect(listReadHealth({ crm: 'salesforce', recordIds: ['not-an-id'] }, sf)).toMatchObject({ outcome: 'failing', missing: ['recordId'] });
    expect(listReadHealth({ crm: 'salesforce', recordIds: [] }, sf).outcome).toBe('failing');
  });
});

describe('a day of reads', () => {
  const at = (time: string) => Date.parse(`2026-11-30T${time}Z`);
  const record = (outcome: ReadHealthRecord['outcome'], missing: string[] = [], extra: Partial<ReadHealthRecord> = {}): ReadHealthRecord => ({
    crm: 'dynamics',
    page: 'lead',
    ui: 'dynamics',
    adapterVersion: '1.4.0',
    outcome,
    found: [],
    missing,
    ...extra,
  });

  it('counts reads by outcome and missing field, and remembers the first failing read', () => {
    let day = addRead(undefined, record('ok'), at('01:00:00'));
    day = addRead(day, record('failing', ['name', 'status']), at('03:00:00'));
    day = addRead(day, record('partial', ['status'], { strategy: 'header-control', release: '9.2' }), at('04:00:00'));
    day = addRead(day, record('failing', ['name']), at('05:00:00'));
    expect(day).toEqual({
      crm: 'dynamics',
      page: 'lead',
      day: '2026-11-30',
      reads: 4,
      ok: 1,
      partial: 1,
      failing: 2,
      missing: { name: 2, status: 2 },
      firstFailingAt: '2026-11-30T03:00:00.000Z',
      adapterVersions: { '1.4.0': 4 },
      strategies: { 'header-control': 1 },
      releases: { '9.2': 1 },
    });
    expect(ReadHealthDaySchema.parse(day)).toEqual(day);
  });

  it('takes a replaced read back: a visit read none, then complete, counts once as OK', () => {
    const first = addRead(undefined, record('failing', ['name', 'status']), at('01:00:00'));
    const settled = addRead(addRead(first, record('failing', ['name', 'status']), at('01:00:00'), -1), record('ok'), at('01:00:02'));
    expect(settled).toMatchObject({ reads: 1, ok: 1, failing: 0, missing: {}, firstFailingAt: null });
    // nothing to take back leaves the day as it was (never below zero)
    expect(addRead(settled, record('partial'), at('01:00:03'), -1)).toEqual(settled);
  });

  it('is a UTC day: 08:59 JST on the 1st is still the 30th', () => {
    expect(readDay(Date.parse('2026-12-01T08:59:00+09:00'))).toBe('2026-11-30');
    expect(readDay(Date.parse('2026-12-01T09:00:00+09:00'))).toBe('2026-12-01');
  });
});

describe("a CRM's health for the team", () => {
  const counts = (day: string, ok: number, partial: number, failing: number, firstFailingAt: string | null = null, missing: Record<string, number> = {}): ReadCounts => ({
    day,
    reads: ok + partial + failing,
    ok,
    partial,
    failing,
    missing,
    firstFailingAt,
  });

  it('is failing from 30 % failing reads, partial from 30 % partial or failing, else OK', () => {
    expect(dayStatus(counts('d', 7, 0, 3))).toBe('failing');
    expect(dayStatus(counts('d', 7, 1, 2))).toBe('partial');
    expect(dayStatus(counts('d', 8, 1, 1))).toBe('ok');
    expect(dayStatus(counts('d', 0, 0, 0))).toBe('ok');
  });

  it('says since when: the first day of the run with the same status (days without reads do not break it), to the first failing read', () => {
    const days = [
      counts('2026-11-25', 20, 0, 0),
      counts('2026-11-26', 2, 0, 8, '2026-11-26T02:10:00.000Z'),
      counts('2026-11-28', 1, 0, 9, '2026-11-28T00:30:00.000Z', { status: 9, name: 3, email: 9, phone: 1, title: 2, company: 4 }),
    ];
    expect(crmHealth(days)).toEqual({
      status: 'failing',
      since: '2026-11-26T02:10:00.000Z',
      day: '2026-11-28',
      counts: { reads: 10, ok: 1, partial: 0, failing: 9 },
      topMissing: [
        { field: 'email', count: 9 },
        { field: 'status', count: 9 },
        { field: 'company', count: 4 },
        { field: 'name', count: 3 },
        { field: 'title', count: 2 },
      ],
    });
    expect(crmHealth([...days, counts('2026-11-29', 30, 0, 1)])).toMatchObject({ status: 'ok', since: '2026-11-29T00:00:00.000Z' });
    expect(crmHealth([counts('2026-11-29', 0, 0, 0)])).toBeNull();
  });

  it('sums members and page kinds per day', () => {
    const row = (day: string, failing: number, first: string | null) => ({ day, reads: failing + 1, ok: 1, partial: 0, failing, missing: { name: failing }, firstFailingAt: first });
    expect(sumByDay([row('2026-11-30', 2, '2026-11-30T05:00:00.000Z'), row('2026-11-29', 0, null), row('2026-11-30', 1, '2026-11-30T01:00:00.000Z')])).toEqual([
      { day: '2026-11-29', reads: 1, ok: 1, partial: 0, failing: 0, missing: { name: 0 }, firstFailingAt: null },
      { day: '2026-11-30', reads: 5, ok: 2, partial: 0, failing: 3, missing: { name: 3 }, firstFailingAt: '2026-11-30T01:00:00.000Z' },
    ]);
  });

  it('jumps at ≥ 20 reads, ≥ 30 % failing and ≥ 3× the share of the 7 days before (older days do not count)', () => {
    const week = Array.from({ length: 7 }, (_, i) => counts(`2026-11-${23 + i}`, 90, 0, 10));
    expect(failureJump(counts('2026-11-30', 13, 0, 6), week)).toBeNull(); // 32 %, but 19 reads
    expect(failureJump(counts('2026-11-30', 15, 0, 5), week)).toBeNull(); // 25 %
    expect(failureJump(counts('2026-11-30', 14, 0, 6), week)).toMatchObject({ share: 0.3 }); // 30 %, three times 10 %
    const worseWeek = Array.from({ length: 7 }, (_, i) => counts(`2026-11-${23 + i}`, 88, 0, 12));
    expect(failureJump(counts('2026-11-30', 14, 0, 6), worseWeek)).toBeNull(); // 30 %, under three times 12 %
    expect(failureJump(counts('2026-11-30', 13, 0, 8), week)).toEqual({ day: '2026-11-30', reads: 21, failing: 8, share: 8 / 21, baselineShare: 0.1 });
    // a bad day more than 7 days ago is not the baseline
    expect(failureJump(counts('2026-11-30', 10, 0, 10), [counts('2026-11-22', 0, 0, 100)])).toMatchObject({ baselineShare: 0 });
    expect(failureJump(counts('2026-11-30', 10, 0, 10), [counts('2026-11-29', 10, 0, 10)])).toBeNull();
  });
});
