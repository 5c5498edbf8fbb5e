import { beforeEach, describe, expect, it } from 'vitest';
import { SalDatabase } from '../../../lib/db/schema';
import { eventsForLead, recordLocalEvent } from '../../../lib/db/events-repo';
import { INITIAL_SYNC_STATE, nextSyncState, requeueLocalEvents, runSyncRound } from '../../../lib/sync/engine';
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
    await expect(runSyncRound(db, backend, now)).rejects.toMatchObject({ code: 'offline' });
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

  it('resends everything recorded here after the backend changes, and the new server takes it once', async () => {
    await recordLocalEvent(db, accepted({ at: '2026-11-24T00:30:00Z' }), now());
    await runSyncRound(db, backend, now);
    const other = new FakeBackend();
    expect(await requeueLocalEvents(db, now())).toBe(1);
    await runSyncRound(db, other, now);
    expect(other.events).toHaveLength(1);
    await requeueLocalEvents(db, now());
    await runSyncRound(db, other, now); // resent: a duplicate for the server, still one event
    expect(other.events).toHaveLength(1);
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
