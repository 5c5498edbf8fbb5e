import type { LeadEvent } from '../../../lib/domain/events';
import { accepted, contacted, handedOver, jst, qualified, rejected, REP_A, REP_B } from './builders';

/** Shared by the trends unit tests (trends.test.ts) and the trends view's component tests. */

/** Friday 11/27 18:00 JST: the week of 11/23 is running. */
export const TREND_NOW = jst('2026-11-27T18:00');

/**
 * Two leads around a week boundary in Tokyo: T1 handed over on Sunday 11/22 23:30 (a lead of the
 * week of 11/16), accepted by REP_A on Monday, contacted in time and qualified; T2 handed over on
 * Monday 11/23 00:30 (still Sunday in UTC: a lead of the week of 11/23) and rejected by REP_B (competitor).
 */
export function acrossWeeks(): LeadEvent[] {
  const key = (n: number) => `hubspot:T${n}`;
  return [
    handedOver({ leadKey: key(1), at: jst('2026-11-22T23:30') }, { source: 'webinar' }),
    accepted({ leadKey: key(1), at: jst('2026-11-23T09:00'), actor: REP_A }),
    contacted({ leadKey: key(1), at: jst('2026-11-23T10:00'), actor: REP_A }),
    qualified({ leadKey: key(1), at: jst('2026-11-24T10:00'), actor: REP_A }),
    handedOver({ leadKey: key(2), at: jst('2026-11-23T00:30') }, { source: 'expo' }),
    rejected({ leadKey: key(2), at: jst('2026-11-23T11:00'), actor: REP_B }, { reasonCode: 'competitor' }),
  ];
}

/** `acceptedCount` + `rejectedCount` webinar leads handed over at `at` (JST) and decided by REP_A an hour later. */
export function decidedAt(at: string, acceptedCount: number, rejectedCount: number): LeadEvent[] {
  const handed = jst(at);
  const decided = new Date(handed.getTime() + 3_600_000);
  return Array.from({ length: acceptedCount + rejectedCount }, (_, i) => {
    const leadKey = `hubspot:W${at}-${i}`;
    return [handedOver({ leadKey, at: handed }, { source: 'webinar' }), i < acceptedCount ? accepted({ leadKey, at: decided, actor: REP_A }) : rejected({ leadKey, at: decided, actor: REP_A })];
  }).flat();
}
