import { afterEach, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import type { LeadEvent } from '../../lib/domain/events';
import { PullResponseSchema, PushResponseSchema, type PushResult } from '../../lib/protocol/http';
import { seedDemo } from '../../server/src/admin';
import { createApp } from '../../server/src/app';
import type { Database } from '../../server/src/db/index';
import { acceptedEvent, countRows, sharedDatabase } from './helpers';

/**
 * Pushes that race on one team, from two server instances on one database (their own pools on
 * PostgreSQL, `DATABASE_URL`; the one in-process PGlite otherwise). A push reads what is stored
 * without a lock and then writes in one statement that takes the team's lock (see
 * `storeCandidates` in server/src/events-store.ts). To make the race certain rather than likely,
 * each instance's database handle holds its write until every push of the test has done its
 * reads: they all judge the same ids fresh, and every write but the first meets what the first
 * committed.
 */

const REP1 = 'demo-rep1-token';
const REP2 = 'demo-rep2-token';
const WRITE = /UPDATE teams SET last_seq/;
/** The read a push judges its events by (`readKnown`). */
const READ = /SELECT id, seq, received_at, submitted_by, body/;

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

/** A database handle whose writes wait until `pushes` writes have arrived (later ones, the redone writes, pass at once). */
function holdingWrites(db: Database, gate: { arrived: number; pushes: number; open: () => void; opened: Promise<void>; reads: number }): Database {
  return {
    ...db,
    async query(sql, params) {
      if (READ.test(sql)) gate.reads++;
      if (WRITE.test(sql)) {
        if (++gate.arrived === gate.pushes) gate.open();
        await gate.opened;
      }
      return db.query(sql, params);
    },
  };
}

/** Two instances on one fresh demo database; `push` sends on instance `i` (0 or 1). */
async function twoInstances(pushes: number) {
  const shared = await sharedDatabase();
  close = shared.close;
  await seedDemo(shared.first);
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const gate = { arrived: 0, pushes, open, opened, reads: 0 };
  const apps = [createApp({ db: holdingWrites(shared.first, gate), config: { rateLimit: false } }), createApp({ db: holdingWrites(await shared.open(), gate), config: { rateLimit: false } })];
  const push = async (i: number, token: string, events: LeadEvent[]): Promise<PushResult[]> => {
    const res = await apps[i]!.request('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(res.status).toBe(200);
    return PushResponseSchema.parse(await res.json()).results;
  };
  const pull = async () => {
    const res = await apps[0]!.request('/v1/events', { headers: { authorization: `Bearer ${REP1}` } });
    return PullResponseSchema.parse(await res.json()).events;
  };
  return { db: shared.first, gate, push, pull };
}

describe('pushes racing on one team', () => {
  it('the same event pushed to both instances at once: one is accepted, the other is its duplicate with the same seq', async () => {
    const { db, gate, push, pull } = await twoInstances(2);
    const event = acceptedEvent();
    const [a, b] = await Promise.all([push(0, REP1, [event]), push(1, REP1, [event])]);
    // the second write met the first's row, and that push was judged again
    expect(gate.reads).toBe(3);
    const answers = [a[0]!, b[0]!].sort((x, y) => x.status.localeCompare(y.status));
    expect(answers.map((r) => r.status)).toEqual(['accepted', 'duplicate']);
    expect(answers[1]).toMatchObject({ seq: answers[0]!.seq, receivedAt: answers[0]!.receivedAt });
    expect(await countRows(db, 'SELECT 1 FROM events')).toBe(1);
    // no sequence was spent on the refused write: the next event follows without a gap
    const next = await push(0, REP1, [acceptedEvent()]);
    expect(next[0]).toMatchObject({ status: 'accepted', seq: 2 });
    expect((await pull()).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('one id with two bodies at once: one is accepted, the other is a conflict, and the stored body is the accepted one', async () => {
    const { push, pull } = await twoInstances(2);
    const id = ulid();
    const hot = acceptedEvent({ id, payload: { checklist: {}, temperature: 'hot' } } as never);
    const cold = acceptedEvent({ id, payload: { checklist: {}, temperature: 'cold' } } as never);
    const [a, b] = await Promise.all([push(0, REP1, [hot]), push(1, REP1, [cold])]);
    const statuses = [a[0]!.status, b[0]!.status].sort();
    expect(statuses).toEqual(['accepted', 'conflict']);
    const winner = a[0]!.status === 'accepted' ? hot : cold;
    expect((await pull()).map((e) => e.event.payload)).toEqual([winner.payload]);
  });

  it('overlapping batches at once: each event is stored once and the sequences run 1..n without a gap', async () => {
    const { push, pull } = await twoInstances(2);
    const [x, shared, y] = [acceptedEvent(), acceptedEvent(), acceptedEvent()];
    const [a, b] = await Promise.all([push(0, REP1, [x, shared]), push(1, REP1, [shared, y])]);
    const byId = new Map([...a, ...b].map((r) => [`${r.id}:${r.status}`, r]));
    expect(byId.get(`${shared.id}:accepted`)).toBeDefined();
    expect(byId.get(`${shared.id}:duplicate`)?.seq).toBe(byId.get(`${shared.id}:accepted`)?.seq);
    const pulled = await pull();
    expect(pulled.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(new Set(pulled.map((e) => e.event.id))).toEqual(new Set([x.id, shared.id, y.id]));
  });

  it('a local-only actor pushed by two members at once belongs to one of them; the other is refused', async () => {
    const { db, push, pull } = await twoInstances(2);
    const local = { id: `local-${ulid()}`, name: '社長' };
    const [a, b] = await Promise.all([push(0, REP1, [acceptedEvent({ actor: local })]), push(1, REP2, [acceptedEvent({ actor: local })])]);
    const statuses = [a[0]!.status, b[0]!.status].sort();
    expect(statuses).toEqual(['accepted', 'rejected']);
    expect([a[0]!, b[0]!].find((r) => r.status === 'rejected')?.reason).toMatch(/^actor_mismatch: /);
    const owner = a[0]!.status === 'accepted' ? 'user_demo_rep1' : 'user_demo_rep2';
    const { rows } = await db.query<{ user_id: string }>('SELECT user_id FROM local_actors WHERE actor_id = $1', [local.id]);
    expect(rows).toEqual([{ user_id: owner }]);
    expect((await pull()).map((e) => e.seq)).toEqual([1]);
  });
});
