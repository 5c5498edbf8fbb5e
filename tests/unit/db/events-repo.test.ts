import { describe, expect, it, vi } from 'vitest';
import { liveQuery } from 'dexie';
import { SalDatabase } from '../../../lib/db/schema';
import { eventsForLead, eventsForLeads, orderForFold, recordLocalEvent, StaleBasisError, storeServerEvents } from '../../../lib/db/events-repo';
import { accepted, handedOver, rejected, LEAD, MARKETER, REP_B } from '../domain/builders';

describe('events repository', () => {
  it('stores a local decision together with its outbox entry', async () => {
    const db = new SalDatabase('repo-1');
    const event = accepted({ at: '2026-11-24T00:30:00Z' });
    await recordLocalEvent(db, event, 1);
    expect(await db.events.get(event.id)).toMatchObject({ seq: null, origin: 'local', leadKey: LEAD });
    expect(await db.outbox.get(event.id)).toMatchObject({ deadLetter: null });
  });

  it("Dexie's live queries (badge, open pages) see the decision", async () => {
    const db = new SalDatabase('repo-live');
    const seen: Array<[number, number]> = [];
    const sub = liveQuery(() => Promise.all([db.events.where('leadKey').equals(LEAD).count(), db.outbox.count()])).subscribe((v) => seen.push(v));
    await vi.waitFor(() => expect(seen).toEqual([[0, 0]]));
    await recordLocalEvent(db, accepted({ at: '2026-11-24T00:30:00Z' }), 1);
    await vi.waitFor(() => expect(seen.at(-1)).toEqual([1, 1]));
    sub.unsubscribe();
  });

  it('writes neither the event nor the outbox entry when the transaction fails', async () => {
    const db = new SalDatabase('repo-2');
    const event = accepted({ at: '2026-11-24T00:30:00Z' });
    await db.outbox.add({ eventId: event.id, attempts: 0, nextAttemptAt: 0, deadLetter: null });
    await expect(recordLocalEvent(db, event, 1)).rejects.toThrow();
    expect(await db.events.get(event.id)).toBeUndefined();
  });

  it('stores a decision only while the records it was made from are the stored ones', async () => {
    const db = new SalDatabase('repo-basis');
    await db.kv.put({ key: 'me', value: { user: { id: 'u-1', name: '佐藤' } } });
    const madeFrom = new Map([
      ['me', JSON.stringify({ user: { id: 'u-1', name: '佐藤' } })],
      ['localActor', undefined],
    ] as const);
    const first = accepted({ at: '2026-11-24T00:30:00Z' });
    await recordLocalEvent(db, first, 1, undefined, madeFrom);
    expect(await db.events.get(first.id)).toBeDefined();
    // another member signed in since the decision was made: the whole transaction is undone
    await db.kv.put({ key: 'me', value: { user: { id: 'u-2', name: '鈴木' } } });
    const second = accepted({ at: '2026-11-24T00:31:00Z' });
    await expect(recordLocalEvent(db, second, 2, undefined, madeFrom)).rejects.toBeInstanceOf(StaleBasisError);
    expect(await db.events.get(second.id)).toBeUndefined();
    expect(await db.outbox.get(second.id)).toBeUndefined();
  });

  it('orders server-sequenced events first, then local pending ones in the order they were made', async () => {
    const db = new SalDatabase('repo-3');
    const mine = accepted({ at: '2026-11-24T00:40:00Z' });
    await recordLocalEvent(db, mine, 10);
    const theirs = rejected({ at: '2026-11-24T00:50:00Z', actor: REP_B }, { reasonCode: 'duplicate' });
    const handoff = handedOver({ at: '2026-11-24T00:00:00Z', actor: MARKETER });
    await storeServerEvents(
      db,
      [
        { seq: 2, receivedAt: '2026-11-24T00:51:00.000Z', event: theirs },
        { seq: 1, receivedAt: '2026-11-24T00:01:00.000Z', event: handoff },
      ],
      20,
    );
    expect((await eventsForLead(db, LEAD)).map((e) => e.id)).toEqual([handoff.id, theirs.id, mine.id]);
    // once the server has our event too, it takes its place in the server order and leaves the outbox
    await storeServerEvents(db, [{ seq: 3, receivedAt: '2026-11-24T00:52:00.000Z', event: mine }], 30);
    expect(await db.outbox.count()).toBe(0);
    expect(orderForFold(await db.events.toArray()).map((e) => e.id)).toEqual([handoff.id, theirs.id, mine.id]);
  });
});

describe('events for the fold carry the server receive time', () => {
  it('eventsForLeads attaches receivedAt to pulled events and leaves pending ones without it', async () => {
    const db = new SalDatabase('repo-received');
    const pulled = handedOver({ at: '2026-11-24T00:00:00Z', actor: MARKETER });
    const pending = accepted({ at: '2026-11-24T00:30:00Z' });
    await storeServerEvents(db, [{ seq: 1, receivedAt: '2026-11-24T00:07:00.000Z', event: pulled }], 1);
    await recordLocalEvent(db, pending, 2);
    const byLead = await eventsForLeads(db, [LEAD]);
    expect(byLead.get(LEAD)!.map((e) => [e.id, e.receivedAt])).toEqual([
      [pulled.id, '2026-11-24T00:07:00.000Z'],
      [pending.id, undefined],
    ]);
  });

  it('a row stored before receive times existed gets it from the next pull of the same event', async () => {
    const db = new SalDatabase('repo-received-2');
    const pulled = handedOver({ at: '2026-11-24T00:00:00Z', actor: MARKETER });
    await db.events.add({ id: pulled.id, leadKey: LEAD, event: pulled, seq: 1, origin: 'server', localOrder: 1 });
    const changed = await storeServerEvents(db, [{ seq: 1, receivedAt: '2026-11-24T00:07:00.000Z', event: pulled }], 2);
    expect([...changed]).toEqual([LEAD]);
    expect((await eventsForLead(db, LEAD))[0]!.receivedAt).toBe('2026-11-24T00:07:00.000Z');
  });
});
