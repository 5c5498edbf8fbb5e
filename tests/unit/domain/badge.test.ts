import { describe, expect, it } from 'vitest';
import { badgeDetail, leadBadge } from '../../../lib/domain/badge';
import { foldLead } from '../../../lib/domain/lifecycle';
import { computeClocks } from '../../../lib/domain/sla-clocks';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { accepted, handedOver, lost, MARKETER, REP_A, REP_B, rejected } from './builders';

const at = (iso: string) => new Date(iso);
const detailAt = (events: Parameters<typeof foldLead>[0], now: string) => {
  const state = foldLead(events);
  const clocks = computeClocks(state, DEFAULT_DEFINITION, at(now));
  return { badge: leadBadge(state, clocks), detail: badgeDetail(state, clocks) };
};

describe('badgeDetail (what a list badge’s tooltip says)', () => {
  it('a pending lead: the acceptance clock with its time left, and who handed it over', () => {
    const { badge, detail } = detailAt([handedOver({ at: '2026-11-24T01:00:00Z' })], '2026-11-24T01:30:00Z');
    expect(badge).toBe('pending');
    expect(detail.clock?.kind).toBe('acceptance');
    expect(detail.clock!.remainingMs).toBeGreaterThan(0);
    expect(detail).toMatchObject({ deciders: [], handedOverBy: MARKETER.name });
    expect(detail.reasonCode).toBeUndefined();
  });

  it('an overdue lead: the breached clock, negative time left', () => {
    const { badge, detail } = detailAt([handedOver({ at: '2026-11-02T01:00:00Z' })], '2026-11-24T01:00:00Z');
    expect(badge).toBe('overdue');
    expect(detail.clock!.remainingMs).toBeLessThan(0);
    expect(detail.clock!.deadline.getTime()).toBeLessThan(Date.parse('2026-11-24T01:00:00Z'));
  });

  it('a rejected lead: the reason and the rep, no running clock', () => {
    const { badge, detail } = detailAt([handedOver({ at: '2026-11-24T01:00:00Z' }), rejected({ at: '2026-11-24T02:00:00Z', actor: REP_A }, { reasonCode: 'duplicate' })], '2026-11-24T03:00:00Z');
    expect(badge).toBe('rejected');
    expect(detail).toEqual({ reasonCode: 'duplicate', deciders: [REP_A.name] });
  });

  it('a contested lead names both reps and the rejection’s reason', () => {
    const { badge, detail } = detailAt(
      [handedOver({ at: '2026-11-24T01:00:00Z' }), accepted({ at: '2026-11-24T02:00:00Z', actor: REP_A }), rejected({ at: '2026-11-24T02:10:00Z', actor: REP_B }, { reasonCode: 'no_budget' })],
      '2026-11-24T03:00:00Z',
    );
    expect(badge).toBe('contested');
    expect(detail.reasonCode).toBe('no_budget');
    expect(detail.deciders).toEqual([REP_A.name, REP_B.name]);
  });

  it('a lost lead gives why it was closed', () => {
    const { badge, detail } = detailAt(
      [handedOver({ at: '2026-11-24T01:00:00Z' }), accepted({ at: '2026-11-24T02:00:00Z', actor: REP_A }), lost({ at: '2026-11-25T02:00:00Z', actor: REP_A }, '予算凍結')],
      '2026-11-26T03:00:00Z',
    );
    expect(badge).toBe('closed');
    expect(detail.closeReason).toBe('予算凍結');
    expect(detail.clock).toBeUndefined();
  });
});
