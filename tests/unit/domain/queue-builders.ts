import { buildQueue } from '../../../lib/domain/sla-queue';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import type { Me } from '../../../lib/domain/roles';
import type { LeadEvent } from '../../../lib/domain/events';
import { REP_A } from './builders';

/** A distinct Salesforce lead key per `n` (18-character record id). */
export const queueTestKey = (n: number) => `salesforce:00Q5g00000AbCd${String(n).padStart(2, '0')}EAV`.slice(0, 29);

/** The queue of `me` (REP_A by default) over leads given as their event lists, on the default definition. */
export function queueOf(leads: LeadEvent[][], now: Date, me: Me = { id: REP_A.id, name: REP_A.name }) {
  return buildQueue(new Map(leads.map((events) => [events[0]!.leadKey, events])), DEFAULT_DEFINITION, me, now);
}
