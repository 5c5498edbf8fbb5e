import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  computeClocks,
  DEFAULT_CALENDAR_JP,
  DEFAULT_DEFINITION,
  foldLead,
  leadBadge,
  SalDefinitionSchema,
  slaDeadline,
  slaElapsedMinutes,
  type BusinessCalendar,
  type SalDefinition,
  type SlaClock,
} from '../../../lib/domain';
import * as b from './builders';
import { jst, REP_A, REP_B } from './builders';

const byKind = (clocks: SlaClock[]) => Object.fromEntries(clocks.map((c) => [c.kind, c]));
const HOUR = 3_600_000;

describe('acceptance clock (8 business hours on the JP calendar)', () => {
  const handover = b.handedOver({ at: jst('2026-12-25T17:00') });

  it('runs from the hand-over across the weekend, then warns, then breaches', () => {
    const s = foldLead([handover]);
    // Fri 17–18 (1 h) + Mon 12/28 9–16 (7 h) = 8 h.
    const running = byKind(computeClocks(s, DEFAULT_DEFINITION, jst('2026-12-26T12:00'))).acceptance!;
    expect(running).toMatchObject({ state: 'running', running: true, basis: 'business', deadline: jst('2026-12-28T16:00') });
    expect(running.remainingMs).toBe(7 * HOUR);
    expect(byKind(computeClocks(s, DEFAULT_DEFINITION, jst('2026-12-28T14:30'))).acceptance!.state).toBe('warning');
    const late = byKind(computeClocks(s, DEFAULT_DEFINITION, jst('2027-01-04T10:00'))).acceptance!;
    expect(late.state).toBe('breached');
    // Overdue by 2 business hours (12/28 16–18, 1/4 9–10); the closure adds nothing.
    expect(late.remainingMs).toBe(-3 * HOUR);
  });

  it('is met by a timely decision, and breached (stopped) by a late one', () => {
    const onTime = foldLead([handover, b.accepted({ at: jst('2026-12-28T10:00') })]);
    expect(byKind(computeClocks(onTime, DEFAULT_DEFINITION, jst('2027-02-01T10:00'))).acceptance).toMatchObject({
      state: 'met',
      running: false,
      stoppedAt: jst('2026-12-28T10:00'),
      remainingMs: 6 * HOUR,
    });
    const late = foldLead([handover, b.rejected({ at: jst('2027-01-04T09:30') })]);
    expect(byKind(computeClocks(late, DEFAULT_DEFINITION, jst('2027-01-04T10:00'))).acceptance!.state).toBe('breached');
  });

  it('does not exist for a sales-originated SAL', () => {
    const s = foldLead([b.salesOriginated({ at: jst('2026-12-25T17:00') })]);
    expect(computeClocks(s, DEFAULT_DEFINITION, jst('2026-12-25T17:00')).map((c) => c.kind)).toEqual(['first_contact', 'status_update']);
  });
});

describe('first-contact and status-update clocks', () => {
  const events = [b.handedOver({ at: jst('2026-11-24T09:00') }), b.accepted({ at: jst('2026-11-24T10:00') })];

  it('first contact is due 18 business hours after acceptance and met by the contact', () => {
    const s = foldLead(events);
    const fc = byKind(computeClocks(s, DEFAULT_DEFINITION, jst('2026-11-24T10:00'))).first_contact!;
    expect(fc.deadline).toEqual(jst('2026-11-26T10:00'));
    const done = foldLead([...events, b.contacted({ at: jst('2026-11-25T15:00') })]);
    expect(byKind(computeClocks(done, DEFAULT_DEFINITION, jst('2026-12-01T10:00'))).first_contact!.state).toBe('met');
  });

  it('each progress report restarts the status-update clock', () => {
    const s = foldLead([...events, b.progressUpdated({ at: jst('2026-11-27T11:00') })]);
    const su = byKind(computeClocks(s, DEFAULT_DEFINITION, jst('2026-11-27T11:00'))).status_update!;
    expect(su.startedAt).toEqual(jst('2026-11-27T11:00'));
    // 45 business hours: Fri 11/27 7 h, Mon 11/30..Thu 12/3 36 h (43), Fri 12/4 +2 h.
    expect(su.deadline).toEqual(jst('2026-12-04T11:00'));
  });

  it('counts calendar time when the definition says so', () => {
    const def: SalDefinition = SalDefinitionSchema.parse({
      ...DEFAULT_DEFINITION,
      version: 2,
      clocks: { ...DEFAULT_DEFINITION.clocks, first_contact: { minutes: 48 * 60, basis: 'calendar', warnBeforeMinutes: 60 } },
    });
    const s = foldLead(events);
    const fc = byKind(computeClocks(s, def, jst('2026-11-27T10:00'))).first_contact!;
    expect(fc.deadline).toEqual(jst('2026-11-26T10:00'));
    expect(fc).toMatchObject({ state: 'breached', remainingMs: -24 * HOUR, basis: 'calendar' });
  });

  it('stop when the lead is closed', () => {
    const s = foldLead([...events, b.contacted({ at: jst('2026-11-24T11:00') }), b.lost({ at: jst('2026-11-24T12:00') })]);
    const clocks = computeClocks(s, DEFAULT_DEFINITION, jst('2027-06-01T10:00'));
    expect(clocks.every((c) => !c.running && c.state === 'met')).toBe(true);
  });
});

describe('a contested lead (one rep accepted, another rejected)', () => {
  const h = b.handedOver({ at: jst('2026-11-24T09:00') });
  const acc = b.accepted({ at: jst('2026-11-24T10:00'), actor: REP_A });
  const rej = b.rejected({ at: jst('2026-11-24T10:05'), actor: REP_B });

  it('has no first-contact or status-update clock, so it is not overdue in anyone’s queue a week later', () => {
    const s = foldLead([h, acc, rej]);
    expect(s.status).toBe('contested');
    const clocks = computeClocks(s, DEFAULT_DEFINITION, jst('2026-12-01T10:00'));
    // Only the acceptance clock, stopped (met) by the first decision at 10:00.
    expect(clocks.map((c) => [c.kind, c.state])).toEqual([['acceptance', 'met']]);
    expect(clocks.some((c) => c.running && c.state === 'breached')).toBe(false);
  });

  it('gets its clocks once the contest is resolved into an acceptance (the rejection undone)', () => {
    const s = foldLead([h, acc, rej, b.retracted(rej, { at: jst('2026-11-24T10:08'), actor: REP_B })]);
    expect(s.status).toBe('accepted');
    expect(computeClocks(s, DEFAULT_DEFINITION, jst('2026-11-24T11:00')).map((c) => c.kind)).toEqual(['acceptance', 'first_contact', 'status_update']);
  });
});

describe('leadBadge', () => {
  const now = jst('2026-11-24T11:00');
  const badgeOf = (events: Parameters<typeof foldLead>[0], at = now) => {
    const s = foldLead(events);
    return leadBadge(s, computeClocks(s, DEFAULT_DEFINITION, at));
  };
  const h = b.handedOver({ at: jst('2026-11-24T09:00') });

  it('shows what a marketer needs to see on the list', () => {
    expect(badgeOf([])).toBe('untracked');
    expect(badgeOf([h])).toBe('pending');
    expect(badgeOf([h], jst('2026-11-25T09:00'))).toBe('overdue');
    expect(badgeOf([h, b.accepted({ at: jst('2026-11-24T10:00') })])).toBe('accepted');
    expect(badgeOf([h, b.rejected({ at: jst('2026-11-24T10:00') })], jst('2027-01-01T00:00'))).toBe('rejected');
    expect(badgeOf([h, b.accepted({ at: jst('2026-11-24T10:00'), actor: REP_A }), b.rejected({ at: jst('2026-11-24T10:05'), actor: REP_B })])).toBe('contested');
    const closed = [h, b.accepted({ at: jst('2026-11-24T10:00') }), b.recycled({ at: jst('2026-11-24T10:30') })];
    expect(badgeOf(closed, jst('2027-01-01T00:00'))).toBe('closed');
  });

  it('flags an accepted lead nobody contacted in time as overdue', () => {
    expect(badgeOf([h, b.accepted({ at: jst('2026-11-24T10:00') })], jst('2026-11-26T10:01'))).toBe('overdue');
  });
});

describe('clocks after a contest is resolved', () => {
  const h = b.handedOver({ at: jst('2026-11-24T09:00') });
  const acc = b.accepted({ at: jst('2026-11-24T10:00'), actor: REP_A });
  const rej = b.rejected({ at: jst('2026-11-24T10:05'), actor: REP_B });
  // REP_B gives way two days later, past the first-contact deadline the first acceptance would have set (11/26 10:00)
  const givesWay = b.accepted({ at: jst('2026-11-26T11:00'), actor: REP_B });

  it('start the first-contact and status clocks at the resolution, so the lead is not breached the moment it becomes workable', () => {
    const s = foldLead([h, acc, rej, givesWay]);
    const clocks = byKind(computeClocks(s, DEFAULT_DEFINITION, jst('2026-11-26T11:30')));
    // 18 business hours from Thu 11/26 11:00: 7 h that day, 9 h Fri 11/27, 2 h Mon 11/30.
    expect(clocks.first_contact).toMatchObject({ state: 'running', startedAt: jst('2026-11-26T11:00'), deadline: jst('2026-11-30T11:00') });
    expect(clocks.status_update!.startedAt).toEqual(jst('2026-11-26T11:00'));
    expect(leadBadge(s, computeClocks(s, DEFAULT_DEFINITION, jst('2026-11-26T11:30')))).toBe('accepted');
  });
});

describe('the definition the clocks follow', () => {
  it('is the one passed (the current version), even for a decision made under an older one', () => {
    const s = foldLead([b.handedOver({ at: jst('2026-11-24T09:00') }), b.accepted({ at: jst('2026-11-24T10:00'), definitionVersion: 1 })]);
    expect(s.acceptance?.definitionVersion).toBe(1);
    const v2: SalDefinition = SalDefinitionSchema.parse({
      ...DEFAULT_DEFINITION,
      version: 2,
      clocks: { ...DEFAULT_DEFINITION.clocks, first_contact: { minutes: 4 * 60, basis: 'business', warnBeforeMinutes: 60 } },
    });
    // v1 would give until 11/26 10:00; v2 judges the v1 acceptance by its own 4 business hours
    expect(byKind(computeClocks(s, v2, jst('2026-11-24T15:00'))).first_contact).toMatchObject({ deadline: jst('2026-11-24T14:00'), state: 'breached' });
  });
});

describe('the SLA rule: a deadline and the elapsed clock time agree', () => {
  // A second calendar across DST, with a lunch break, so the property is not only about Tokyo.
  const NEW_YORK_LUNCH: BusinessCalendar = {
    timeZone: 'America/New_York',
    workingDays: [1, 2, 3, 4, 5],
    workingHours: { start: '08:30', end: '17:00' },
    breaks: [{ start: '12:00', end: '13:00' }],
    holidays: 'none',
    closures: [{ from: '07-04', to: '07-04' }],
  };
  const instant = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true });
  // spans of whole milliseconds (a Date's precision), up to ~2 weeks of business time
  const spanMs = fc.oneof(
    fc.integer({ min: 0, max: 20_000 }).map((m) => m * 60_000),
    fc.integer({ min: 0, max: 1_200_000_000 }),
  );
  const calendars = [DEFAULT_CALENDAR_JP, NEW_YORK_LUNCH];
  // Each calendar compiles its working-time table once for the years asked (≈0.5 s a widening):
  // build it for the whole range first, so the runs below measure the rule, not table growth.
  beforeAll(() => {
    for (const calendar of calendars) slaElapsedMinutes(new Date('2024-06-01T00:00:00Z'), new Date('2029-06-01T00:00:00Z'), 'business', calendar);
  });

  it('deadline(start, d) is reached at `now` exactly when elapsed(start, now) >= d, on both bases', () => {
    fc.assert(
      fc.property(
        instant,
        spanMs,
        fc.constantFrom('business' as const, 'calendar' as const),
        fc.constantFrom(...calendars),
        // `now` anywhere, or within a few ms of the deadline (where an off-by-one would show)
        fc.oneof(
          instant.map((d) => ({ at: d })),
          fc.integer({ min: -3, max: 3 }).map((off) => ({ off })),
        ),
        (start, ms, basis, calendar, probe) => {
          const span = { basis, minutes: ms / 60_000 };
          const deadline = slaDeadline(start, span, calendar);
          const now = 'at' in probe ? probe.at : new Date(deadline.getTime() + probe.off);
          // a clock is read only once started: before its start, inside the same closed stretch
          // (e.g. 1 ms before a start after hours), no working time lies between the two, so the
          // elapsed time is 0 although a zero-length clock's deadline (its start) is still ahead
          fc.pre(now.getTime() >= start.getTime());
          expect(now.getTime() >= deadline.getTime()).toBe(slaElapsedMinutes(start, now, basis, calendar) >= span.minutes);
        },
      ),
    );
  });
});
