import { describe, expect, it } from 'vitest';
import { buildQueue, badgeText, queueCounts, seenLeadUrls, withLeadPages } from '../../../lib/queue';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import type { LeadEvent } from '../../../lib/domain/events';
import { accepted, handedOver, jst, rejected, MARKETER, REP_A, REP_B } from '../domain/builders';

const key = (n: number) => `salesforce:00Q5g00000AbCd${String(n).padStart(2, '0')}EAV`.slice(0, 29);
const lead = (n: number) => ({ leadKey: key(n), lead: { name: `Lead ${n}`, company: `Co ${n}`, url: `https://acme.lightning.force.com/lightning/r/Lead/${n}/view` } });

function queueOf(leads: LeadEvent[][], now: Date, me = { id: REP_A.id, name: REP_A.name }) {
  return buildQueue(new Map(leads.map((events) => [events[0]!.leadKey, events])), DEFAULT_DEFINITION, me, now);
}

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
    const q = queueOf([pendingFresh, mineBreached], now, {} as never);
    expect(q.map((i) => i.lead.name)).toEqual(['Lead 1']);
  });
});

describe('queue items without a CRM page (hand-overs from a list or CSV)', () => {
  it('open on the CRM org seen most recently in the events', () => {
    const csvHandOver = [handedOver({ at: jst('2026-11-25T10:00'), leadKey: key(9), lead: { name: 'CSV lead' } })];
    const older = [
      accepted({
        at: jst('2026-11-20T10:00'),
        actor: REP_A,
        leadKey: key(10),
        lead: { name: 'x', url: `https://old.lightning.force.com/lightning/r/Lead/${key(10).slice('salesforce:'.length)}/view` },
      }),
    ];
    const newerLead = { leadKey: key(11), lead: { name: 'y', url: `https://acme.lightning.force.com/lightning/r/Lead/${key(11).slice('salesforce:'.length)}/view` } };
    const newer = [handedOver({ at: jst('2026-11-24T09:00'), ...newerLead }), accepted({ at: jst('2026-11-24T10:00'), actor: REP_A, ...newerLead })];
    const all = [csvHandOver, older, newer];
    const seen = seenLeadUrls(all.flat());
    expect(seen).toEqual([newerLead.lead.url, older[0]!.lead!.url]);
    const items = withLeadPages(queueOf(all, jst('2026-11-25T11:00')), seen);
    expect(items.find((i) => i.leadKey === key(9))?.lead.url).toBe(`https://acme.lightning.force.com/lightning/r/Lead/${key(9).slice('salesforce:'.length)}/view`);
    // a lead that has its own page keeps it
    expect(items.find((i) => i.leadKey === key(11))?.lead.url).toBe(newerLead.lead.url);
  });

  it('never link to a page that is not the lead’s own on a known CRM (a crafted event’s URL)', () => {
    const crafted = [handedOver({ at: jst('2026-11-25T10:00'), leadKey: key(12), lead: { name: 'bait', url: 'https://evil.example.com/lightning/r/Lead/x/view' } })];
    const items = withLeadPages(queueOf([crafted], jst('2026-11-25T11:00')), seenLeadUrls(crafted));
    expect(items[0]?.lead.url).toBeUndefined();
    expect(items[0]?.lead.name).toBe('bait');
  });

  it('stay without a link when no page of their CRM was ever seen', () => {
    const items = withLeadPages(queueOf([[handedOver({ at: jst('2026-11-25T10:00'), leadKey: key(9), lead: { name: 'CSV lead' } })]], jst('2026-11-25T11:00')), []);
    expect(items[0]?.lead.url).toBeUndefined();
  });
});
