import { beforeEach, describe, expect, it } from 'vitest';
import { SalDatabase } from '../../../lib/db/schema';
import { eventsForLead, recordLocalEvent } from '../../../lib/db/events-repo';
import { INITIAL_SYNC_STATE, MAX_ISOLATED_FAILURES, nextSyncState, runSyncRound } from '../../../lib/sync/engine';
import { listDeadLetters } from '../../../lib/sync/dead-letters';
import { SyncError } from '../../../lib/sync/errors';
import { accepted, handedOver, rejected, REP_B, MARKETER, LEAD } from '../domain/builders';
import { FakeBackend } from './fake-backend';

let db: SalDatabase;
let backend: FakeBackend;
const now = () => Date.parse('2026-11-24T01:00:00Z');
let n = 0;

beforeEach(() => {
  db = new SalDatabase(`engine-test-${n++}`);
  backend = new FakeBackend();
});

describe('runSyncRound', () => {
  it('pushes a decision, keeps the server sequence and empties the outbox', async () => {
    const decision = accepted({ at: '2026-11-24T00:30:00Z' });
    await recordLocalEvent(db, decision, now());
    const result = await runSyncRound(db, backend, now);
    expect(result.pushed).toBe(1);
    expect(backend.events.map((e) => e.event.id)).toEqual([decision.id]);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.events.get(decision.id))?.seq).toBe(1);
  });

  it("pulls other reps' events and advances the cursor, without pulling them twice", async () => {
    backend.add(handedOver({ at: '2026-11-24T00:00:00Z', actor: MARKETER }));
    backend.add(rejected({ at: '2026-11-24T00:10:00Z', actor: REP_B }, { reasonCode: 'duplicate' }));
    const first = await runSyncRound(db, backend, now);
    expect(first.pulled).toBe(2);
    expect([...first.changedLeads]).toEqual([LEAD]);
    expect((await eventsForLead(db, LEAD)).map((e) => e.type)).toEqual(['handed_over', 'rejected']);
    const second = await runSyncRound(db, backend, now);
    expect(second.pulled).toBe(0);
  });

  it('keeps every event queued when the server cannot be reached, and sends them later', async () => {
    await recordLocalEvent(db, accepted({ at: '2026-11-24T00:30:00Z' }), now());
    backend.failNext = new SyncError('offline', 'connection refused');
    expect((await runSyncRound(db, backend, now)).pushError).toMatchObject({ code: 'offline' });
    expect(await db.outbox.count()).toBe(1);
    await runSyncRound(db, backend, now);
    expect(await db.outbox.count()).toBe(0);
    expect(backend.events).toHaveLength(1);
  });

  it('dead-letters an event the server refuses without blocking the others', async () => {
    const bad = accepted({ at: '2026-11-24T00:30:00Z' });
    const good = accepted({ at: '2026-11-24T00:31:00Z', leadKey: 'salesforce:00Q5g00000FgHiJEAV' });
    await recordLocalEvent(db, bad, now());
    await recordLocalEvent(db, good, now());
    backend.refuse.add(bad.id);
    const result = await runSyncRound(db, backend, now);
    expect(result.deadLettered).toBe(1);
    expect(backend.events.map((e) => e.event.id)).toEqual([good.id]);
    const dead = await db.outbox.get(bad.id);
    expect(dead?.deadLetter?.reason).toBe('refused by test');
    // a dead letter is not retried automatically
    await runSyncRound(db, backend, now);
    expect(backend.pushCalls.at(-1)).not.toBe(1);
  });

  it('splits a batch the server finds too large (413)', async () => {
    for (let i = 0; i < 5; i++) await recordLocalEvent(db, accepted({ at: new Date(Date.parse('2026-11-24T00:00:00Z') + i * 1000), leadKey: `custom:lead-${i}` }), now());
    backend.maxBatch = 2;
    await runSyncRound(db, backend, now);
    expect(backend.events).toHaveLength(5);
    expect(Math.max(...backend.pushCalls.slice(1))).toBeLessThanOrEqual(2);
    expect(await db.outbox.count()).toBe(0);
  });

  it('a server reset (410 cursor_reset): re-pulls from the start, re-sequences, and sends what the server lost', async () => {
    const mine = accepted({ at: '2026-11-24T00:30:00Z' });
    const teammates = handedOver({ at: '2026-11-24T00:00:00Z', actor: MARKETER, leadKey: 'custom:lead-9' });
    backend.add(teammates);
    await recordLocalEvent(db, mine, now());
    await runSyncRound(db, backend, now);
    // the database is restored from a backup that has the teammate's event only, in another order
    backend.reset();
    backend.add(handedOver({ at: '2026-11-24T00:05:00Z', actor: MARKETER, leadKey: 'custom:lead-8' }));
    backend.add(teammates);
    const result = await runSyncRound(db, backend, now);
    expect(result.cursorReset).toBe(true);
    // my decision is back on the server, once, and every event here carries the new server's sequence
    expect(backend.events.map((e) => e.event.id).filter((id) => id === mine.id)).toHaveLength(1);
    const seqs = new Map(backend.events.map((e) => [e.event.id, e.seq]));
    for (const row of await db.events.toArray()) expect(row.seq).toBe(seqs.get(row.id));
    expect(await db.events.count()).toBe(3);
    expect(await db.outbox.count()).toBe(0);
  });

  it('keeps the server receive time of pushed and pulled events, and hands it to the fold', async () => {
    const mine = accepted({ at: '2026-11-24T00:30:00Z' });
    await recordLocalEvent(db, mine, now());
    backend.receivedAt = '2026-11-24T00:58:00.000Z';
    backend.add(handedOver({ at: '2026-11-24T00:00:00Z', actor: MARKETER }));
    backend.receivedAt = '2026-11-24T00:59:30.000Z';
    await runSyncRound(db, backend, now);
    const folded = await eventsForLead(db, LEAD);
    expect(folded.map((e) => [e.type, e.receivedAt])).toEqual([
      ['handed_over', '2026-11-24T00:58:00.000Z'],
      ['accepted', '2026-11-24T00:59:30.000Z'],
    ]);
  });
});

describe('one value never stalls sync', () => {
  const leadOf = (i: number) => `custom:lead-${i}`;
  async function recordMany(count: number) {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const e = accepted({ at: new Date(Date.parse('2026-11-24T00:00:00Z') + i * 1000), leadKey: leadOf(i) });
      await recordLocalEvent(db, e, now());
      ids.push(e.id);
    }
    return ids;
  }

  it("pulls teammates' events even when the push fails", async () => {
    await recordLocalEvent(db, accepted({ at: '2026-11-24T00:30:00Z' }), now());
    backend.pushFailure = new SyncError('server_error', 'HTTP 502', null, 502);
    backend.add(handedOver({ at: '2026-11-24T00:00:00Z', actor: MARKETER, leadKey: 'custom:lead-7' }));
    const result = await runSyncRound(db, backend, now);
    expect(result.pushError?.status).toBe(502);
    expect(result.pulled).toBe(1);
    expect((await eventsForLead(db, 'custom:lead-7')).map((e) => e.type)).toEqual(['handed_over']);
    expect(await db.outbox.count()).toBe(1);
  });

  it('splits a batch that gets 500 so the events around the one the server chokes on get through', async () => {
    const ids = await recordMany(9);
    backend.chokesOn.add(ids[4]!);
    const result = await runSyncRound(db, backend, now);
    expect(backend.events.map((e) => e.event.id).sort()).toEqual(ids.filter((_, i) => i !== 4).sort());
    expect(result.pushed).toBe(8);
    expect(await db.outbox.get(ids[4]!)).toMatchObject({ deadLetter: null });
  });

  it('a worker stopped in the middle of a split resumes at the size it had reached, not at the whole batch', async () => {
    const ids = await recordMany(16);
    backend.chokesOn.add(ids[0]!);
    // the service worker is stopped during the third request: the round never finishes
    const dying = {
      url: backend.url,
      pull: backend.pull.bind(backend),
      push: (events: Parameters<FakeBackend['push']>[0]) => (backend.pushCalls.length === 2 ? Promise.reject(new Error('worker stopped')) : backend.push(events)),
    };
    await expect(runSyncRound(db, dying, now)).rejects.toThrow('worker stopped');
    expect(backend.pushCalls).toEqual([16, 8]);
    backend.pushCalls = [];
    await runSyncRound(db, backend, now);
    expect(backend.pushCalls[0]).toBe(4);
    expect(backend.events).toHaveLength(15);
  });

  it('parks an event that alone keeps getting 500 after a bounded number of rounds, with a reason, and only then', async () => {
    const ids = await recordMany(3);
    backend.chokesOn.add(ids[1]!);
    let t = now();
    let rounds = 0;
    while ((await db.outbox.get(ids[1]!))?.deadLetter === null && rounds < 20) {
      rounds++;
      t += 20 * 60_000;
      // a teammate-like stream of new decisions: the server keeps accepting others meanwhile
      const e = accepted({ at: new Date(t - 1000), leadKey: `custom:other-${rounds}` });
      await recordLocalEvent(db, e, t);
      await runSyncRound(db, backend, () => t);
    }
    expect(rounds).toBe(MAX_ISOLATED_FAILURES);
    const dead = await listDeadLetters(db);
    expect(dead.map((d) => d.eventId)).toEqual([ids[1]]);
    expect(dead[0]!.reason).toMatch(/500/);
    expect(backend.events).toHaveLength(2 + rounds);
  });

  it('never parks anything while the whole write path fails (an outage is not a bad event)', async () => {
    const ids = await recordMany(4);
    backend.pushFailure = new SyncError('server_error', 'HTTP 500', null, 500);
    let t = now();
    for (let i = 0; i < 30; i++) {
      t += 20 * 60_000;
      await runSyncRound(db, backend, () => t);
    }
    expect(await listDeadLetters(db)).toEqual([]);
    backend.pushFailure = null;
    t += 20 * 60_000;
    await runSyncRound(db, backend, () => t);
    expect(backend.events.map((e) => e.event.id).sort()).toEqual([...ids].sort());
  });

  it('a transport failure on the push (offline, 404 page, 502) dead-letters nothing and retries everything later', async () => {
    const ids = await recordMany(30);
    for (const failure of [
      new SyncError('offline', 'Failed to fetch'),
      new SyncError('server_error', 'HTTP 404 (not a protocol reply)', null, 404),
      new SyncError('server_error', 'HTTP 504', null, 504),
    ]) {
      backend.pushFailure = failure;
      await runSyncRound(db, backend, now);
      expect(await listDeadLetters(db)).toEqual([]);
    }
    backend.pushFailure = null;
    await runSyncRound(db, backend, () => now() + 60 * 60_000);
    expect(backend.events).toHaveLength(ids.length);
  });
});

describe('nextSyncState', () => {
  it('backs off with jitter after failures and honours Retry-After', () => {
    const at = 1_000_000;
    const failed = nextSyncState(INITIAL_SYNC_STATE, { ok: false, error: new SyncError('server_error', '500') }, at, () => 0.5);
    expect(failed.consecutiveFailures).toBe(1);
    expect(failed.nextRetryAt).toBe(at + 1_000); // half of the 2 s first ceiling
    const limited = nextSyncState(failed, { ok: false, error: new SyncError('rate_limited', '429', 30_000) }, at, () => 0.5);
    expect(limited.nextRetryAt).toBe(at + 30_000);
    const ok = nextSyncState(limited, { ok: true }, at + 40_000, () => 0.5);
    expect(ok).toMatchObject({ consecutiveFailures: 0, nextRetryAt: null, lastError: null, lastSuccessAt: at + 40_000 });
  });

  it("keeps the server's Retry-After when a later attempt fails another way (found by the model test)", () => {
    const at = 1_000_000;
    const limited = nextSyncState(INITIAL_SYNC_STATE, { ok: false, error: new SyncError('rate_limited', '429', 30_000) }, at, () => 0.5);
    const offline = nextSyncState(limited, { ok: false, error: new SyncError('offline', 'Failed to fetch') }, at + 1_000, () => 0);
    expect(offline.retryAfterUntil).toBe(at + 30_000);
    expect(offline.nextRetryAt).toBe(at + 30_000);
  });

  it('pauses automatic sync on 401/403 until the user signs in again', () => {
    const state = nextSyncState(INITIAL_SYNC_STATE, { ok: false, error: new SyncError('auth', 'HTTP 401') }, 5, Math.random);
    expect(state.authPaused).toBe(true);
    expect(state.lastError?.code).toBe('auth');
  });
});
