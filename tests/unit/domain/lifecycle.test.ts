import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canRetract, CLOSED_STATUSES, createLeadFolder, DEFAULT_DEFINITION, foldLead, judgedAtMs, type LeadEvent } from '../../../lib/domain';
import * as b from './builders';
import { REP_A, REP_B } from './builders';

const t = (hhmm: string) => b.jst(`2026-11-24T${hhmm}`);

describe('foldLead: the main path', () => {
  it('has no state before any event', () => {
    const s = foldLead([]);
    expect(s.status).toBe('untracked');
    expect(s.leadKey).toBeUndefined();
  });

  it('follows hand-over → accept → contact → SQL → won, with timestamps', () => {
    const events = [
      b.handedOver({ at: t('09:00'), lead: { name: '山田 太郎', email: 'y@example.jp' } }, { source: 'webinar', score: 70 }),
      b.accepted({ at: t('10:00') }, { temperature: 'hot', checklist: { decision_maker: true } }),
      b.contacted({ at: t('11:00') }, { channel: 'call' }),
      b.qualified({ at: t('15:00') }),
      b.won({ at: t('16:00') }, 1_000_000),
    ];
    const states = events.map((_, i) => foldLead(events.slice(0, i + 1)).status);
    expect(states).toEqual(['pending', 'accepted', 'contacted', 'qualified', 'won']);
    const s = foldLead(events);
    expect(s.leadKey).toBe(b.LEAD);
    expect(s.handOver?.source).toBe('webinar');
    expect(s.acceptedAt).toEqual(t('10:00'));
    expect(s.firstContactAt).toEqual(t('11:00'));
    expect(s.qualifiedAt).toEqual(t('15:00'));
    expect(s.closedAt).toEqual(t('16:00'));
    expect(s.acceptance).toMatchObject({ actor: REP_A, temperature: 'hot', definitionVersion: 1 });
    expect(s.lead).toMatchObject({ name: '山田 太郎', email: 'y@example.jp' });
    expect(s.issues).toEqual([]);
    expect(s.history.map((h) => h.effect)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
  });

  it('records the rejection with its reason, comment and definition version', () => {
    const s = foldLead([b.handedOver({ at: t('09:00') }), b.rejected({ at: t('09:30'), definitionVersion: 2 }, { reasonCode: 'other', comment: '別部署で商談中' })]);
    expect(s.status).toBe('rejected');
    expect(s.rejection).toMatchObject({ reasonCode: 'other', comment: '別部署で商談中', definitionVersion: 2, actor: REP_A });
    expect(s.rejectedAt).toEqual(t('09:30'));
  });

  it('reports an invalid transition instead of throwing, and ignores it', () => {
    const s = foldLead([b.handedOver({ at: t('09:00') }), b.contacted({ at: t('09:30') })]);
    expect(s.status).toBe('pending');
    expect(s.firstContactAt).toBeUndefined();
    expect(s.issues).toEqual([expect.objectContaining({ code: 'invalid_transition', from: 'pending', eventType: 'contacted' })]);
    expect(s.history[1]).toMatchObject({ effect: 'ignored', issue: 'invalid_transition' });
  });

  it('ignores a duplicate delivery of the same event', () => {
    const h = b.handedOver({ at: t('09:00') });
    const a = b.accepted({ at: t('09:10') });
    const s = foldLead([h, a, a]);
    expect(s.status).toBe('accepted');
    expect(s.issues.map((i) => i.code)).toEqual(['duplicate_event']);
  });

  it('ignores events of another lead', () => {
    const s = foldLead([b.handedOver({ at: t('09:00') }), b.accepted({ at: t('09:10'), leadKey: 'hubspot:123' })]);
    expect(s.status).toBe('pending');
    expect(s.issues[0]?.code).toBe('lead_key_mismatch');
  });

  it('lets sales originate an SAL without an MQL', () => {
    const s = foldLead([b.salesOriginated({ at: t('09:00') }, { signal: 'abm', temperature: 'warm' })]);
    expect(s.status).toBe('accepted');
    expect(s.salesOriginated).toBe(true);
    expect(s.handOver).toBeUndefined();
    expect(s.acceptedAt).toEqual(t('09:00'));
  });

  it('puts a rejected lead back to pending on reopen, restarting the acceptance clock start', () => {
    const s = foldLead([b.handedOver({ at: t('09:00') }), b.rejected({ at: t('09:30') }), b.reopened({ at: t('10:00') })]);
    expect(s.status).toBe('pending');
    expect(s.pendingSince).toEqual(t('10:00'));
    expect(s.rejection).toBeUndefined();
    const notRejected = foldLead([b.handedOver({ at: t('09:00') }), b.reopened({ at: t('10:00') })]);
    expect(notRejected.issues[0]?.code).toBe('invalid_transition');
  });

  it('starts a new cycle when a recycled lead is handed over again, keeping the old one', () => {
    const s = foldLead([b.handedOver({ at: t('09:00') }), b.accepted({ at: t('09:10') }), b.recycled({ at: t('09:20') }), b.handedOver({ at: t('12:00') })]);
    expect(s.status).toBe('pending');
    expect(s.acceptedAt).toBeUndefined();
    expect(s.cycles.map((c) => c.status)).toEqual(['recycled', 'pending']);
  });

  it('keeps the first hand-over time when marketing re-sends a pending lead', () => {
    const s = foldLead([b.handedOver({ at: t('09:00') }, { owner: 'a' }), b.handedOver({ at: t('11:00') }, { owner: 'b' })]);
    expect(s.pendingSince).toEqual(t('09:00'));
    expect(s.handOver?.owner).toBe('b');
  });
});

describe('foldLead: two reps disagree', () => {
  it('is contested while an acceptance and a rejection stand together, with each decision kept', () => {
    const s = foldLead([b.handedOver({ at: t('09:00') }), b.accepted({ at: t('09:10'), actor: REP_A }), b.rejected({ at: t('09:20'), actor: REP_B }, { reasonCode: 'duplicate' })]);
    expect(s.status).toBe('contested');
    expect(s.decisions.map((d) => [d.actor.id, d.kind])).toEqual([
      [REP_A.id, 'accepted'],
      [REP_B.id, 'rejected'],
    ]);
    expect(s.acceptance?.actor).toEqual(REP_A);
    expect(s.rejection?.reasonCode).toBe('duplicate');
  });

  it('is resolved when one rep changes their decision', () => {
    const s = foldLead([b.handedOver({ at: t('09:00') }), b.accepted({ at: t('09:10'), actor: REP_A }), b.rejected({ at: t('09:20'), actor: REP_B }), b.accepted({ at: t('09:40'), actor: REP_B })]);
    expect(s.status).toBe('accepted');
    expect(s.acceptedAt).toEqual(t('09:10'));
  });

  it('does not allow contact on a contested lead', () => {
    const s = foldLead([b.handedOver({ at: t('09:00') }), b.accepted({ at: t('09:10'), actor: REP_A }), b.rejected({ at: t('09:20'), actor: REP_B }), b.contacted({ at: t('09:30'), actor: REP_A })]);
    expect(s.status).toBe('contested');
    expect(s.issues.map((i) => i.from)).toEqual(['contested']);
  });
});

describe('retraction (undo)', () => {
  it('undoes the actor’s own latest event within the window', () => {
    const h = b.handedOver({ at: t('09:00') });
    const a = b.accepted({ at: t('09:10') });
    const s = foldLead([h, a, b.retracted(a, { at: t('09:15') })]);
    expect(s.status).toBe('pending');
    expect(s.acceptedAt).toBeUndefined();
    expect(s.history[1]).toMatchObject({ effect: 'retracted' });
    expect(s.history[1]?.retractedBy).toBe(s.history[2]?.event.id);
    expect(s.history[2]?.effect).toBe('retraction');
  });

  it('is refused after the window, for someone else’s event, or for an older event', () => {
    const h = b.handedOver({ at: t('09:00') });
    const a = b.accepted({ at: t('09:10') });
    const c = b.contacted({ at: t('09:12') });
    const late = foldLead([h, a, b.retracted(a, { at: t('09:21') })]);
    expect(late.status).toBe('accepted');
    expect(late.issues.map((i) => i.code)).toEqual(['retract_window_expired']);
    const other = foldLead([h, a, b.retracted(a, { at: t('09:11'), actor: REP_B })]);
    expect(other.issues.map((i) => i.code)).toEqual(['retract_not_own_event']);
    const older = foldLead([h, a, c, b.retracted(a, { at: t('09:13') })]);
    expect(older.issues.map((i) => i.code)).toEqual(['retract_not_latest']);
    const longer = foldLead([h, a, b.retracted(a, { at: t('09:21') })], { undoWindowMinutes: 15 });
    expect(longer.status).toBe('pending');
  });

  it('re-evaluates later events of other reps that depended on the undone one', () => {
    const h = b.handedOver({ at: t('09:00') });
    const a = b.accepted({ at: t('09:10'), actor: REP_A });
    const c = b.contacted({ at: t('09:12'), actor: REP_B });
    const s = foldLead([h, a, c, b.retracted(a, { at: t('09:14'), actor: REP_A })]);
    expect(s.status).toBe('pending');
    expect(s.history[2]).toMatchObject({ effect: 'ignored', issue: 'invalid_transition' });
  });

  it('canRetract names the event to undo while the window is open', () => {
    const h = b.handedOver({ at: t('09:00') });
    const a = b.accepted({ at: t('09:10') });
    const s = foldLead([h, a]);
    expect(canRetract(s, REP_A.id, t('09:19'), DEFAULT_DEFINITION)).toEqual({ ok: true, eventId: a.id });
    expect(canRetract(s, REP_A.id, t('09:21'), DEFAULT_DEFINITION)).toEqual({ ok: false, reason: 'window_expired' });
    expect(canRetract(s, REP_B.id, t('09:11'), DEFAULT_DEFINITION)).toEqual({ ok: false, reason: 'nothing_to_retract' });
  });
});

// --- property: batching does not matter -------------------------------------------------------

/** A random but plausible stream: actions picked from every event type, by two reps, with undos. */
function streamArb(): fc.Arbitrary<LeadEvent[]> {
  const step = fc.record({
    kind: fc.constantFrom('handed_over', 'accepted', 'rejected', 'contacted', 'progress_updated', 'qualified', 'recycled', 'won', 'lost', 'sales_originated', 'reopened', 'retracted', 'duplicate'),
    rep: fc.constantFrom(REP_A, REP_B),
    gapMinutes: fc.integer({ min: 0, max: 30 }),
  });
  return fc.array(step, { maxLength: 25 }).map((steps) => {
    const out: LeadEvent[] = [];
    let at = t('09:00').getTime();
    for (const s of steps) {
      at += s.gapMinutes * 60_000;
      const o = { at: new Date(at), actor: s.rep };
      switch (s.kind) {
        case 'handed_over':
          out.push(b.handedOver({ at: new Date(at) }));
          break;
        case 'accepted':
          out.push(b.accepted(o));
          break;
        case 'rejected':
          out.push(b.rejected(o));
          break;
        case 'contacted':
          out.push(b.contacted(o));
          break;
        case 'progress_updated':
          out.push(b.progressUpdated(o));
          break;
        case 'qualified':
          out.push(b.qualified(o));
          break;
        case 'recycled':
          out.push(b.recycled(o));
          break;
        case 'won':
          out.push(b.won(o));
          break;
        case 'lost':
          out.push(b.lost(o));
          break;
        case 'sales_originated':
          out.push(b.salesOriginated(o));
          break;
        case 'reopened':
          out.push(b.reopened(o));
          break;
        case 'retracted': {
          const target = [...out].reverse().find((e) => e.actor.id === s.rep.id) ?? out[0];
          if (target) out.push(b.retracted(target, o));
          break;
        }
        case 'duplicate':
          if (out.length) out.push(out[out.length - 1]!);
          break;
      }
    }
    return out;
  });
}

describe('fold properties', () => {
  it('does not depend on how the stream is split into batches', () => {
    fc.assert(
      fc.property(streamArb(), fc.array(fc.integer({ min: 0, max: 25 })), (events, cuts) => {
        const whole = foldLead(events);
        const folder = createLeadFolder();
        const points = [...new Set(cuts.map((c) => Math.min(c, events.length)))].sort((x, y) => x - y);
        let prev = 0;
        for (const p of [...points, events.length]) {
          folder.push(events.slice(prev, p));
          folder.state(); // reading in between must not change anything
          prev = p;
        }
        expect(folder.state()).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('gives the current cycle alone exactly as the full state has it, batch after batch', () => {
    fc.assert(
      fc.property(streamArb(), fc.integer({ min: 0, max: 25 }), (events, cut) => {
        const folder = createLeadFolder();
        for (const batch of [events.slice(0, cut), events.slice(cut)]) {
          folder.push(batch);
          expect(folder.currentCycle()).toEqual(folder.state().cycles.at(-1));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('folds events that carry their judged time (JudgedEvent) exactly as it judges them itself', () => {
    fc.assert(
      fc.property(streamArb(), fc.array(fc.integer({ min: 0, max: 20 * 60_000 }), { minLength: 25, maxLength: 25 }), (events, delays) => {
        // received later than occurred by up to 20 min: past the allowed skew, the receive time decides
        const received = events.map((e, i) => ({ ...e, receivedAt: new Date(Date.parse(e.occurredAt) + delays[i]!).toISOString() }));
        const judged = received.map((e) => ({ ...e, judgedAtMs: judgedAtMs(Date.parse(e.occurredAt), Date.parse(e.receivedAt)) }));
        const plain = foldLead(received);
        const fromJudged = foldLead(judged);
        expect(fromJudged.cycles).toEqual(plain.cycles);
        expect(fromJudged.issues).toEqual(plain.issues);
        expect(fromJudged.history.map((h) => [h.at, h.effect, h.statusAfter])).toEqual(plain.history.map((h) => [h.at, h.effect, h.statusAfter]));
      }),
      { numRuns: 200 },
    );
  });

  it('accounts for every event exactly once in history, and never throws', () => {
    fc.assert(
      fc.property(streamArb(), (events) => {
        const s = foldLead(events);
        expect(s.history.map((h) => h.event.id)).toEqual(events.map((e) => e.id));
        expect(s.issues.length).toBe(s.history.filter((h) => h.effect === 'ignored').length);
      }),
      { numRuns: 200 },
    );
  });
});

describe('server receive time (judged time)', () => {
  const withReceived = <E extends LeadEvent>(e: E, receivedAt: Date): E & { receivedAt: string } => ({ ...e, receivedAt: receivedAt.toISOString() });

  it('judges a backdated acceptance at receivedAt minus the allowed skew, so the SLA clock cannot be cheated', () => {
    const h = withReceived(b.handedOver({ at: t('09:00') }), t('09:00'));
    // the rep's clock claims 09:30, the server got it at 15:00
    const a = withReceived(b.accepted({ at: t('09:30') }), t('15:00'));
    const s = foldLead([h, a]);
    expect(s.acceptedAt).toEqual(t('14:55'));
    expect(s.firstDecisionAt).toEqual(t('14:55'));
    expect(s.history[1]?.at).toEqual(t('14:55'));
    // within the skew, occurredAt stands; without receivedAt it stands provisionally
    expect(foldLead([h, withReceived(b.accepted({ at: t('09:30') }), t('09:33'))]).acceptedAt).toEqual(t('09:30'));
    expect(foldLead([h, b.accepted({ at: t('09:30') })]).acceptedAt).toEqual(t('09:30'));
  });

  it('judges the undo window on judged times: an undo dated inside the window but received days later is refused', () => {
    const h = withReceived(b.handedOver({ at: t('09:00') }), t('09:00'));
    const a = withReceived(b.accepted({ at: t('09:10') }), t('09:10'));
    const undo = withReceived(b.retracted(a, { at: t('09:15') }), b.jst('2026-11-27T09:00'));
    const s = foldLead([h, a, undo]);
    expect(s.status).toBe('accepted');
    expect(s.issues.map((i) => i.code)).toEqual(['retract_window_expired']);
    expect(canRetract(s, REP_A.id, t('09:15'), DEFAULT_DEFINITION)).toEqual({ ok: true, eventId: a.id });
  });

  it('takes the lead snapshot only from events the lifecycle applied', () => {
    const h = b.handedOver({ at: t('09:00'), lead: { company: '株式会社サンプル', url: 'https://crm.example/lead/1' } });
    // a "won" on a pending lead is refused as an issue: its snapshot must not repaint the lead
    const bogus = b.won({ at: t('09:05'), lead: { company: 'Evil Corp', url: 'https://evil.example/' } });
    const a = b.accepted({ at: t('09:10'), lead: { name: '山田 太郎' } });
    const s = foldLead([h, bogus, a]);
    expect(s.issues.map((i) => i.code)).toEqual(['invalid_transition']);
    expect(s.lead).toEqual({ company: '株式会社サンプル', url: 'https://crm.example/lead/1', name: '山田 太郎' });
    // an event that appears twice is refused the second time, with its snapshot
    const again = { ...a, lead: { name: 'Someone else' } };
    expect(foldLead([h, a, again]).lead.name).toBe('山田 太郎');
  });
});

describe('ignored events have no effect (HistoryEffect)', () => {
  it('lastEventAt is the latest event that took effect, not a later refused one', () => {
    const h = b.handedOver({ at: t('09:00') });
    // a contact on a pending lead and an undo of someone else's event are refused
    const s = foldLead([h, b.contacted({ at: t('09:30') }), b.retracted(h, { at: t('09:40'), actor: REP_B })]);
    expect(s.issues.map((i) => i.code)).toEqual(['invalid_transition', 'retract_not_own_event']);
    expect(s.lastEventAt).toEqual(t('09:00'));
    // a valid undo is an effect: it counts
    const a = b.accepted({ at: t('09:10') });
    expect(foldLead([h, a, b.retracted(a, { at: t('09:12') })]).lastEventAt).toEqual(t('09:12'));
  });

  it('removing an ignored event changes nothing but history, issues and (a first event naming the lead) leadKey', () => {
    const strip = (s: ReturnType<typeof foldLead>) => ({ ...s, history: undefined, issues: undefined, leadKey: undefined });
    fc.assert(
      fc.property(streamArb(), (events) => {
        const s = foldLead(events);
        const counts = new Map<string, number>();
        for (const e of events) counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
        for (const h of s.history) {
          // an invalid transition delivered once (removing a first copy would promote its duplicate)
          if (h.issue !== 'invalid_transition' || counts.get(h.event.id) !== 1) continue;
          expect(strip(foldLead(events.filter((e) => e !== h.event)))).toEqual(strip(s));
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('cycles: which closed leads can start again (CLOSED_STATUSES)', () => {
  const sold = () => [b.handedOver({ at: t('09:00') }), b.accepted({ at: t('09:10') }), b.contacted({ at: t('09:20') }), b.won({ at: t('09:30') })];

  it('keeps a won lead won: neither a new hand-over nor a sales-originated SAL is taken', () => {
    const s = foldLead([...sold(), b.handedOver({ at: t('12:00') }), b.salesOriginated({ at: t('13:00') })]);
    expect(s.status).toBe('won');
    expect(s.cycles).toHaveLength(1);
    expect(s.issues.map((i) => [i.eventType, i.code, i.from])).toEqual([
      ['handed_over', 'invalid_transition', 'won'],
      ['sales_originated', 'invalid_transition', 'won'],
    ]);
    expect(CLOSED_STATUSES.has('won')).toBe(true);
  });

  it('starts a new cycle on a recycled, lost or rejected lead, by a hand-over or a sales-originated SAL', () => {
    const lostLead = [b.handedOver({ at: t('09:00') }), b.accepted({ at: t('09:10') }), b.lost({ at: t('09:20') })];
    expect(foldLead([...lostLead, b.handedOver({ at: t('12:00') })]).cycles.map((c) => c.status)).toEqual(['lost', 'pending']);
    const again = foldLead([...lostLead, b.salesOriginated({ at: t('12:00') }, { signal: 'intent' })]);
    expect(again.cycles.map((c) => [c.status, c.salesOriginated])).toEqual([
      ['lost', false],
      ['accepted', true],
    ]);
    const recycledLead = [b.handedOver({ at: t('09:00') }), b.recycled({ at: t('09:20') })];
    expect(foldLead([...recycledLead, b.salesOriginated({ at: t('12:00') })]).cycles.map((c) => c.status)).toEqual(['recycled', 'accepted']);
    const rejectedLead = [b.handedOver({ at: t('09:00') }), b.rejected({ at: t('09:20') })];
    expect(foldLead([...rejectedLead, b.handedOver({ at: t('12:00') })]).cycles.map((c) => c.status)).toEqual(['rejected', 'pending']);
  });
});

describe('salSince: when the lead became an SAL', () => {
  const h = b.handedOver({ at: t('09:00') });

  it('is the acceptance on the plain path, and a sales-originated SAL’s creation', () => {
    const s = foldLead([h, b.accepted({ at: t('09:10') }), b.accepted({ at: t('09:15'), actor: REP_B }), b.contacted({ at: t('10:00') })]);
    expect(s.salSince).toEqual(t('09:10'));
    expect(foldLead([b.salesOriginated({ at: t('11:00') })]).salSince).toEqual(t('11:00'));
    expect(foldLead([h]).salSince).toBeUndefined();
  });

  it('is unset while contested, and is the resolution once the contest ends in an acceptance', () => {
    const acc = b.accepted({ at: t('09:10'), actor: REP_A });
    const rej = b.rejected({ at: t('09:20'), actor: REP_B });
    expect(foldLead([h, acc, rej]).salSince).toBeUndefined();
    const s = foldLead([h, acc, rej, b.accepted({ at: t('16:00'), actor: REP_B })]);
    expect(s.status).toBe('accepted');
    expect(s.acceptedAt).toEqual(t('09:10'));
    expect(s.salSince).toEqual(t('16:00'));
    // resolved the other way, it is no SAL; a later acceptance makes it one from then
    const rejected = foldLead([h, acc, rej, b.rejected({ at: t('16:00'), actor: REP_A })]);
    expect(rejected.salSince).toBeUndefined();
    const reopenedThenAccepted = [h, acc, rej, b.rejected({ at: t('16:00'), actor: REP_A }), b.reopened({ at: t('16:30') }), b.accepted({ at: t('17:00'), actor: REP_B })];
    expect(foldLead(reopenedThenAccepted).salSince).toEqual(t('17:00'));
  });
});

describe('decisions', () => {
  it('lists each actor once, ordered by their latest decision', () => {
    const h = b.handedOver({ at: t('09:00') });
    const s = foldLead([h, b.accepted({ at: t('09:10'), actor: REP_A }), b.accepted({ at: t('09:20'), actor: REP_B }), b.accepted({ at: t('09:30'), actor: REP_A })]);
    expect(s.decisions.map((d) => d.actor.id)).toEqual([REP_B.id, REP_A.id]);
    // re-accepting keeps when A first took this side
    expect(s.acceptance).toMatchObject({ actor: REP_A, since: t('09:10'), at: t('09:30') });
  });
});
