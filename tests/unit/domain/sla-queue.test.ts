import { describe, expect, it } from 'vitest';
import { badgeText, queueCounts } from '../../../lib/domain/sla-queue';
import { accepted, handedOver, jst, rejected, MARKETER, REP_A, REP_B } from './builders';
import { queueOf, queueTestKey as key } from './queue-builders';

const lead = (n: number) => ({ leadKey: key(n), lead: { name: `Lead ${n}`, company: `Co ${n}`, url: `https://acme.lightning.force.com/lightning/r/Lead/${n}/view` } });

describe('my queue', () => {
  // Tue 24 Nov 2026; acceptance SLA 8 business hours, warning in the last 2
  const now = jst('2026-11-25T11:00');
  const pendingFresh = [handedOver({ at: jst('2026-11-25T10:00'), ...lead(1) })];
  const pendingWarning = [handedOver({ at: jst('2026-11-24T12:00'), ...lead(2) })]; // due 25th 11:00+? → 2 business hours left at most
  const mineBreached = [handedOver({ at: jst('2026-11-20T09:00'), ...lead(3) }), accepted({ at: jst('2026-11-20T10:00'), actor: REP_A, ...lead(3) })];
  const othersPending = [handedOver({ at: jst('2026-11-24T09:00'), ...lead(4) }, { owner: REP_B.name })];
  const othersAccepted = [handedOver({ at: jst('2026-11-24T09:00'), ...lead(5) }), accepted({ at: jst('2026-11-24T09:30'), actor: REP_B, ...lead(5) })];
  const rejectedLead = [handedOver({ at: jst('2026-11-24T09:00'), ...lead(6) }), rejected({ at: jst('2026-11-24T09:30'), actor: REP_A, ...lead(6) })];
  const assignedToMe = [handedOver({ at: jst('2026-11-25T09:30'), actor: MARKETER, ...lead(7) }, { owner: REP_A.id })];

  it('lists my pending and in-progress leads only, most urgent first', () => {
    const q = queueOf([pendingFresh, othersPending, mineBreached, othersAccepted, rejectedLead, pendingWarning, assignedToMe], now);
    expect(q.map((i) => i.lead.name)).toEqual(['Lead 3', 'Lead 2', 'Lead 7', 'Lead 1']);
    expect(q[0]!.urgency).toBe('breached');
    expect(q[0]!.urgent!.kind).toBe('first_contact');
    expect(q[1]!.urgency).toBe('warning');
    expect(q[2]!.urgency).toBe('running');
    expect(q[0]!.lead.url).toContain('/lightning/r/Lead/3/view');
  });

  it('the badge counts overdue plus warning leads', () => {
    const q = queueOf([pendingFresh, mineBreached, pendingWarning], now);
    expect(queueCounts(q)).toEqual({ overdue: 1, warning: 1 });
    expect(badgeText(queueCounts(q))).toBe('2');
    expect(badgeText({ overdue: 0, warning: 0 })).toBe('');
    expect(badgeText({ overdue: 120, warning: 3 })).toBe('99+');
  });

  it('without a known actor, only unassigned pending leads are mine', () => {
    const q = queueOf([pendingFresh, mineBreached], now, {});
    expect(q.map((i) => i.lead.name)).toEqual(['Lead 1']);
  });
});
