import { describe, expect, it } from 'vitest';
import { buildQueue } from '../../../lib/domain/sla-queue';
import { DEFAULT_DEFINITION, type SalDefinition } from '../../../lib/domain/definition';
import { clockAlertKey, dueAlerts, leadKeyOfNotification, nextWakeAt, recordAlerts, warningAt } from '../../../lib/domain/sla-notifications';
import type { LeadEvent } from '../../../lib/domain/events';
import { handedOver, jst, LEAD } from './builders';

const queue = (events: LeadEvent[], now: Date, definition: SalDefinition = DEFAULT_DEFINITION) => buildQueue(new Map([[LEAD, events]]), definition, { id: 'u-rep-a' }, now);

// handed over Tue 09:00 → acceptance due Tue 17:00 (8 business hours), warning from 15:00
const handoff = [handedOver({ at: jst('2026-11-24T09:00') })];

describe('SLA alerts', () => {
  it('warns once when a clock enters warning, then once more when it breaches', () => {
    const at1 = jst('2026-11-24T15:01');
    const q1 = queue(handoff, at1);
    const first = dueAlerts(q1, {}, DEFAULT_DEFINITION, at1);
    expect(first.map((a) => a.level)).toEqual(['warning']);
    const notified = recordAlerts({}, first, q1);
    expect(dueAlerts(q1, notified, DEFAULT_DEFINITION, jst('2026-11-24T15:30'))).toEqual([]);

    const q2 = queue(handoff, jst('2026-11-24T17:01'));
    const breach = dueAlerts(q2, notified, DEFAULT_DEFINITION, jst('2026-11-24T17:01'));
    expect(breach.map((a) => a.level)).toEqual(['breached']);
    expect(leadKeyOfNotification(breach[0]!.id)).toBe(LEAD);
  });

  it('a clock found already breached gets only the breach alert', () => {
    const at = jst('2026-11-24T17:02');
    expect(dueAlerts(queue(handoff, at), {}, DEFAULT_DEFINITION, at).map((a) => a.level)).toEqual(['breached']);
  });

  it('business-time clocks stay silent outside business hours and alert at the next opening', () => {
    // breached at Tue 17:00; the worker wakes at 21:00 → nothing, next wake Wed 09:00
    const night = jst('2026-11-24T21:00');
    const q = queue(handoff, night);
    expect(dueAlerts(q, {}, DEFAULT_DEFINITION, night)).toEqual([]);
    const wake = nextWakeAt(q, {}, DEFAULT_DEFINITION, night)!;
    expect(wake.getTime() - jst('2026-11-25T09:00').getTime()).toBeLessThan(1000);
    expect(wake.getTime()).toBeGreaterThanOrEqual(jst('2026-11-25T09:00').getTime());
    const morning = new Date(wake.getTime() + 500);
    expect(dueAlerts(queue(handoff, morning), {}, DEFAULT_DEFINITION, morning).map((a) => a.level)).toEqual(['breached']);
  });

  it('a deadline at closing time still alerts right after it', () => {
    // handed over 10:00 → due 18:00 (closing time), checked 18:00:30
    const events = [handedOver({ at: jst('2026-11-24T10:00') })];
    const at = new Date(jst('2026-11-24T18:00').getTime() + 30_000);
    expect(dueAlerts(queue(events, at), {}, DEFAULT_DEFINITION, at).map((a) => a.level)).toEqual(['breached']);
  });

  it('calendar-time clocks alert at any hour', () => {
    const definition: SalDefinition = { ...DEFAULT_DEFINITION, clocks: { ...DEFAULT_DEFINITION.clocks, acceptance: { minutes: 60, basis: 'calendar', warnBeforeMinutes: 15 } } };
    const events = [handedOver({ at: jst('2026-11-24T22:00') })];
    const at = jst('2026-11-24T23:30');
    expect(dueAlerts(queue(events, at, definition), {}, definition, at).map((a) => a.level)).toEqual(['breached']);
  });

  it('schedules the next wake at the next warning or deadline', () => {
    const at = jst('2026-11-24T10:00');
    const q = queue(handoff, at);
    expect(nextWakeAt(q, {}, DEFAULT_DEFINITION, at)).toEqual(jst('2026-11-24T15:00'));
    expect(warningAt(q[0]!.clocks[0]!, DEFAULT_DEFINITION)).toEqual(jst('2026-11-24T15:00'));
    const after = jst('2026-11-24T15:10');
    const notified = { [clockAlertKey(LEAD, q[0]!.clocks[0]!)]: 'warning' as const };
    expect(nextWakeAt(queue(handoff, after), notified, DEFAULT_DEFINITION, after)).toEqual(jst('2026-11-24T17:00'));
  });

  it('forgets clocks that stopped running', () => {
    const at = jst('2026-11-24T15:01');
    const q = queue(handoff, at);
    const notified = recordAlerts({ 'gone|acceptance|1': 'breached' }, dueAlerts(q, {}, DEFAULT_DEFINITION, at), q);
    expect(Object.keys(notified)).toEqual([clockAlertKey(LEAD, q[0]!.clocks[0]!)]);
  });
});
