import type { LeadEvent } from '../../../lib/domain';
import * as b from './builders';
import { jst, REP_A, REP_B } from './builders';

/**
 * Shared by the KPI unit tests (kpis.scenario.test.ts, where every figure is counted by hand) and
 * the KPI page's component tests.
 *
 * A hand-counted October 2026 in Asia/Tokyo, seen at the end of the month (11/01 00:00 JST) and a
 * month later (12/01 00:00 JST). Holidays: 10/12 (スポーツの日), 11/03 (文化の日). First contact is
 * due 18 business hours after acceptance, status updates every 45 (9–18, Mon–Fri).
 *
 * E1–E4 sit on the period edges, which in UTC fall on other days:
 *   E1 handed over 9/30 23:30 JST (= 9/30 14:30 UTC)  → September, although accepted on 10/01;
 *   E2 handed over 10/01 08:00 JST (= 9/30 23:00 UTC) → October;
 *   E3 handed over 10/31 23:30 JST (= 10/31 14:30 UTC) → October, rejected only on 11/02;
 *   E4 handed over 11/01 00:30 JST (= 10/31 15:30 UTC) → November.
 * L1–L11 are October's body: a contest (L4), a retracted rejection (L5), a second cycle (L6), a
 * rejection reopened and accepted (L7), a decision arriving in November (L8), a sales-originated
 * SAL (L9), and outcomes arriving after the month closed (L1, L11).
 */
const key = (name: string) => `hubspot:${name}`;
const on = (name: string, at: string, actor = REP_A) => ({ leadKey: key(name), at: jst(at), actor });
const ho = (name: string, at: string, source: string) => b.handedOver({ leadKey: key(name), at: jst(at) }, { source });

const l5Rejection = b.rejected(on('L5', '2026-10-15T10:10', REP_B), { reasonCode: 'do_not_call' });

export const OCTOBER_EVENTS: LeadEvent[] = [
  ho('E1', '2026-09-30T23:30', 'webinar'),
  b.accepted(on('E1', '2026-10-01T10:00')),
  b.contacted(on('E1', '2026-10-01T11:00')),
  b.lost(on('E1', '2026-10-02T10:00')),
  ho('E2', '2026-10-01T08:00', 'webinar'),
  b.accepted(on('E2', '2026-10-01T09:30')),
  b.contacted(on('E2', '2026-10-01T10:00')),
  b.lost(on('E2', '2026-10-02T10:00')),
  ho('E3', '2026-10-31T23:30', 'expo'),
  b.rejected(on('E3', '2026-11-02T10:00'), { reasonCode: 'bad_contact_data' }),
  ho('E4', '2026-11-01T00:30', 'expo'),
  b.accepted(on('E4', '2026-11-02T10:00')),
  b.contacted(on('E4', '2026-11-02T11:00')),
  b.lost(on('E4', '2026-11-05T10:00')),

  ho('L1', '2026-10-05T10:00', 'webinar'),
  b.accepted(on('L1', '2026-10-05T11:00')),
  b.contacted(on('L1', '2026-10-06T10:00')),
  b.qualified(on('L1', '2026-10-20T10:00')),
  b.won(on('L1', '2026-11-10T10:00')),
  // Friday 17:30 acceptance: Fri 0.5 h + Mon 10/12 holiday + Tue 9 h + Wed 8.5 h = 18 h → due Wed 10/14 17:30.
  ho('L2', '2026-10-09T17:00', 'webinar'),
  b.accepted(on('L2', '2026-10-09T17:30')),
  b.contacted(on('L2', '2026-10-14T17:00')),
  b.recycled(on('L2', '2026-10-30T10:00')),
  ho('L3', '2026-10-13T10:00', 'expo'),
  b.rejected(on('L3', '2026-10-13T11:00', REP_B), { reasonCode: 'competitor' }),
  // REP_A accepts, REP_B rejects: contested, and it stays so.
  ho('L4', '2026-10-14T10:00', 'expo'),
  b.accepted(on('L4', '2026-10-14T10:30')),
  b.rejected(on('L4', '2026-10-14T10:40', REP_B), { reasonCode: 'unclear_need' }),
  // REP_B rejects, undoes it within the 10-minute window, then accepts; nobody ever calls.
  ho('L5', '2026-10-15T10:00', 'webinar'),
  l5Rejection,
  b.retracted(l5Rejection, on('L5', '2026-10-15T10:15', REP_B)),
  b.accepted(on('L5', '2026-10-15T10:20', REP_B)),
  // First cycle in September (rejected), second cycle handed over in October.
  ho('L6', '2026-09-10T10:00', 'webinar'),
  b.rejected(on('L6', '2026-09-11T10:00', REP_B), { reasonCode: 'no_budget' }),
  ho('L6', '2026-10-20T10:00', 'webinar'),
  b.accepted(on('L6', '2026-10-20T11:00')),
  b.contacted(on('L6', '2026-10-20T15:00')),
  b.lost(on('L6', '2026-10-28T10:00')),
  ho('L7', '2026-10-21T10:00', 'expo'),
  b.rejected(on('L7', '2026-10-21T12:00', REP_B), { reasonCode: 'duplicate' }),
  b.reopened(on('L7', '2026-10-22T09:30', REP_B)),
  b.accepted(on('L7', '2026-10-22T10:00', REP_B)),
  b.contacted(on('L7', '2026-10-22T15:00', REP_B)),
  b.won(on('L7', '2026-10-30T10:00', REP_B)),
  ho('L8', '2026-10-26T10:00', 'webinar'),
  b.accepted(on('L8', '2026-11-04T10:00')),
  b.contacted(on('L8', '2026-11-04T11:00')),
  b.salesOriginated(on('L9', '2026-10-27T10:00', REP_B), { signal: 'intent' }),
  b.contacted(on('L9', '2026-10-27T14:00', REP_B)),
  ho('L10', '2026-10-28T10:00', 'expo'),
  b.rejected(on('L10', '2026-10-28T11:00'), { reasonCode: 'competitor' }),
  ho('L11', '2026-10-29T10:00', 'webinar'),
  b.accepted(on('L11', '2026-10-29T11:00', REP_B)),
  b.contacted(on('L11', '2026-10-29T14:00', REP_B)),
  b.qualified(on('L11', '2026-11-16T10:00', REP_B)),
  b.won(on('L11', '2026-11-25T10:00', REP_B)),
];

/** October 2026 in Tokyo: `[10/01 00:00 JST, 11/01 00:00 JST)`. */
export const OCTOBER = { from: jst('2026-10-01T00:00'), to: jst('2026-11-01T00:00') };
