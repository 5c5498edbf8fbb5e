import { describe, expect, it } from 'vitest';
import { foldLead, LEAD_STATUSES, LeadEventSchema, statusAfter, TRANSITIONS, type LeadEvent, type LeadEventType, type LeadStatus } from '../../../lib/domain';
import * as b from './builders';
import { REP_A, REP_B } from './builders';

const t = (hhmm: string) => b.jst(`2026-11-24T${hhmm}`);
const eventTypes = LeadEventSchema.options.map((o) => o.shape.type.value);

/** A lead in each status, built from real events. */
const h = b.handedOver({ at: t('09:00') });
const acc = b.accepted({ at: t('09:10'), actor: REP_A });
const contact = b.contacted({ at: t('09:30'), actor: REP_A });
const leadIn: Record<LeadStatus, LeadEvent[]> = {
  untracked: [],
  pending: [h],
  accepted: [h, acc],
  rejected: [h, b.rejected({ at: t('09:10'), actor: REP_A })],
  contested: [h, acc, b.rejected({ at: t('09:20'), actor: REP_B })],
  contacted: [h, acc, contact],
  qualified: [h, acc, contact, b.qualified({ at: t('09:40'), actor: REP_A })],
  recycled: [h, b.recycled({ at: t('09:10'), actor: REP_A })],
  won: [h, acc, contact, b.won({ at: t('09:40'), actor: REP_A })],
  lost: [h, acc, b.lost({ at: t('09:40'), actor: REP_A })],
};

/** One event of each type except the undo (judged by its target, not by the table's states). */
const at = { at: t('10:00'), actor: REP_A };
const eventOf: Record<Exclude<LeadEventType, 'retracted'>, () => LeadEvent> = {
  handed_over: () => b.handedOver({ at: t('10:00') }),
  sales_originated: () => b.salesOriginated(at),
  accepted: () => b.accepted(at),
  rejected: () => b.rejected(at),
  reopened: () => b.reopened(at),
  contacted: () => b.contacted(at),
  progress_updated: () => b.progressUpdated(at),
  qualified: () => b.qualified(at),
  recycled: () => b.recycled(at),
  won: () => b.won(at),
  lost: () => b.lost(at),
  reviewed: () => b.reviewed(at),
};

describe('the lifecycle table', () => {
  it('has one row for every event type of the event schema, and no other', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...eventTypes].sort());
  });

  it('names only real statuses, and a per-status result only for allowed ones', () => {
    for (const [type, row] of Object.entries(TRANSITIONS)) {
      expect(row.from.length, type).toBeGreaterThan(0);
      for (const s of row.from) expect(LEAD_STATUSES, type).toContain(s);
      const to = row.to;
      if (typeof to === 'string') expect([...LEAD_STATUSES, 'unchanged', 'by_decisions'], type).toContain(to);
      else for (const [from, result] of Object.entries(to)) expect([row.from.includes(from as LeadStatus), LEAD_STATUSES.includes(result)], type).toEqual([true, true]);
    }
  });

  it('is what the fold does: every event type from every status is applied with the table’s result, or refused with its message', () => {
    for (const from of LEAD_STATUSES) expect(foldLead(leadIn[from]).status, from).toBe(from);
    for (const [type, make] of Object.entries(eventOf)) {
      const row = TRANSITIONS[type as LeadEventType];
      for (const from of LEAD_STATUSES) {
        const e = make();
        const s = foldLead([...leadIn[from], e]);
        const what = `${type} on a ${from} lead`;
        if (!row.from.includes(from)) {
          expect(s.issues, what).toEqual([{ eventId: e.id, eventType: e.type, code: 'invalid_transition', from, message: row.refused(from) }]);
          expect(s.status, what).toBe(from);
          continue;
        }
        expect(s.issues, what).toEqual([]);
        if (row.to === 'by_decisions') expect(['accepted', 'rejected', 'contested'], what).toContain(s.status);
        else expect(s.status, what).toBe(statusAfter(row.to, from) ?? from);
      }
    }
  });
});
