import { describe, expect, it } from 'vitest';
import { SalDatabase } from '../../../lib/db/schema';
import { eventsForLead } from '../../../lib/db/events-repo';
import { readDataScope } from '../../../lib/db/scopes';
import { listDeadLetters } from '../../../lib/sync/dead-letters';
import { LEAD } from '../domain/builders';
import { V1_FIXTURE, writeV1Database } from '../../fixtures/db/v1';
import { V2_FIXTURE, writeV2Database } from '../../fixtures/db/v2';
import { V3_FIXTURE, writeV3Database } from '../../fixtures/db/v3';
import { V4_FIXTURE, writeV4Database } from '../../fixtures/db/v4';
import { recordRead } from '../../../lib/background/read-health';
import { recordLocalEvent } from '../../../lib/db/events-repo';
import { accepted } from '../domain/builders';
import { emptyRoundResult, pushOutbox, type BackendClient } from '../../../lib/sync/engine';

describe('database version 1 → current (data per backend and team)', () => {
  it('keeps every event, queued decision and dead letter, and binds them to the team the browser was signed in to', async () => {
    await writeV1Database('migrate-1');
    const db = new SalDatabase('migrate-1');
    expect(db.verno).toBe(5);
    expect(await db.events.toArray()).toEqual(V1_FIXTURE.events);
    // (version 3 dropped `lastError`; see the test below)
    expect(await db.outbox.toArray()).toEqual(expect.arrayContaining(V1_FIXTURE.outbox.map(({ lastError: _lastError, ...entry }) => entry)));
    expect((await eventsForLead(db, LEAD)).map((e) => e.type)).toEqual(['handed_over', 'accepted']);
    expect((await listDeadLetters(db)).map((d) => d.reason)).toEqual(['invalid: test']);
    expect(await readDataScope(db)).toEqual({ url: 'https://sal.example.test', teamId: 'team-1', teamName: 'チーム東京' });
    // the token, the user and the local actor are untouched
    for (const key of ['backend', 'me', 'localActor']) expect((await db.kv.get(key))?.value).toEqual(V1_FIXTURE.kv.find((r) => r.key === key)?.value);
    // version 1's cursor may sit past events whose sequence a re-save erased: the history is pulled again
    expect(await db.kv.get('cursor:https://sal.example.test')).toBeUndefined();
    expect(await db.shelvedEvents.count()).toBe(0);
    db.close();
  });

  it('a browser that never signed in (local mode) stays unbound: its decisions go to the first team', async () => {
    await writeV1Database('migrate-2', { ...V1_FIXTURE, kv: [{ key: 'backend', value: { mode: 'local' } }] });
    const db = new SalDatabase('migrate-2');
    expect(await db.events.count()).toBe(V1_FIXTURE.events.length);
    expect(await readDataScope(db)).toBeNull();
    db.close();
  });
});

describe('database version 2 → 3 (outbox without lastError)', () => {
  it('keeps every queued decision, dead letter and shelved entry, without the error text nobody read', async () => {
    await writeV2Database('migrate-3');
    const db = new SalDatabase('migrate-3');
    expect(db.verno).toBe(5);
    const { ids } = V2_FIXTURE;
    const outbox = new Map((await db.outbox.toArray()).map((e) => [e.eventId, e]));
    // never tried: due at once, as version 2 treated an entry without an error
    expect(outbox.get(ids.queued)).toEqual({ eventId: ids.queued, attempts: 0, nextAttemptAt: 0, deadLetter: null });
    // failed alone: still waits its turn and keeps its count
    expect(outbox.get(ids.isolated)).toEqual({ eventId: ids.isolated, attempts: 1, nextAttemptAt: 1_764_288_900_000, deadLetter: null });
    expect((await listDeadLetters(db)).map((d) => [d.eventId, d.reason])).toEqual([[ids.refused, 'invalid: test']]);
    expect(await db.shelvedOutbox.toArray()).toEqual([{ eventId: ids.shelved, attempts: 0, nextAttemptAt: 0, deadLetter: null, scope: 'https://other.example.test#team-2' }]);
    expect(await db.events.toArray()).toEqual(V2_FIXTURE.events);
    expect(await db.kv.toArray()).toEqual(expect.arrayContaining(V2_FIXTURE.kv));
    expect(db.outbox.schema.indexes).toEqual([]);
    db.close();
  });

  it('the next push sends the decision never tried and holds back the one waiting after its failure', async () => {
    await writeV2Database('migrate-3-push');
    const db = new SalDatabase('migrate-3-push');
    const sent: string[] = [];
    const client: BackendClient = {
      url: 'https://sal.example.test',
      push: async (events) => {
        sent.push(...events.map((e) => e.id));
        return { kind: 'results', results: events.map((e, i) => ({ id: e.id, status: 'accepted' as const, seq: 10 + i, receivedAt: '2026-11-28T00:40:00.000Z' })) };
      },
      pull: async () => ({ kind: 'page', events: [], nextCursor: '7', hasMore: false }),
    };
    // the isolated entry waits until 00:15 (its nextAttemptAt); this push runs at 00:12
    await pushOutbox(db, client, () => 1_764_288_720_000, emptyRoundResult());
    expect(sent).toEqual([V2_FIXTURE.ids.queued]);
    db.close();
  });
});

describe('database version 3 → 4 (write-back queue)', () => {
  it('keeps every event, queued decision, shelved row and record, and starts with an empty write-back queue', async () => {
    await writeV3Database('migrate-4');
    const db = new SalDatabase('migrate-4');
    expect(db.verno).toBe(5);
    expect(await db.events.toArray()).toEqual(V3_FIXTURE.events);
    expect(await db.outbox.toArray()).toEqual(V3_FIXTURE.outbox);
    expect(await db.shelvedEvents.toArray()).toEqual(V3_FIXTURE.shelvedEvents);
    expect(await db.kv.toArray()).toEqual(expect.arrayContaining(V3_FIXTURE.kv));
    // decisions made before version 4 were never meant for the CRM: nothing is written back for them
    expect(await db.writebacks.count()).toBe(0);
    // a drain reads the jobs still to be written by their state, and the panel a lead's
    expect(db.writebacks.schema.indexes.map((i) => i.name).sort()).toEqual(['leadKey', 'state.kind']);
    db.close();
  });

  it('a decision recorded after the upgrade is queued for the CRM with its event, in one transaction', async () => {
    await writeV3Database('migrate-4-record');
    const db = new SalDatabase('migrate-4-record');
    const event = accepted({ at: '2026-11-30T01:00:00Z' });
    const job = {
      id: event.id,
      leadKey: event.leadKey,
      crm: 'salesforce' as const,
      recordId: '00Q5g00000AbCdEEAV',
      pageUrl: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view',
      trigger: 'accepted' as const,
      fields: { Status: 'Working - Contacted' },
      readAt: 1,
      createdAt: 2,
      state: { kind: 'waiting' as const },
      attempts: 0,
      nextAttemptAt: 2,
      inFlightSince: null,
    };
    await recordLocalEvent(db, event, 2, job);
    expect(await db.writebacks.where('leadKey').equals(event.leadKey).toArray()).toEqual([job]);
    // an id already held aborts the whole transaction: neither a second event nor a second job
    await expect(recordLocalEvent(db, event, 3, { ...job, fields: {} })).rejects.toThrow();
    expect(await db.writebacks.get(event.id)).toEqual(job);
    expect(await db.events.count()).toBe(V3_FIXTURE.events.length + 1);
    db.close();
  });
});

describe('database version 4 → 5 (read health)', () => {
  it('keeps every event, queued decision, write-back and record, and starts counting reads from nothing', async () => {
    await writeV4Database('migrate-5');
    const db = new SalDatabase('migrate-5');
    expect(db.verno).toBe(5);
    expect(await db.events.toArray()).toEqual(V4_FIXTURE.events);
    expect(await db.outbox.toArray()).toEqual(V4_FIXTURE.outbox);
    expect(await db.writebacks.toArray()).toEqual(V4_FIXTURE.writebacks);
    expect(await db.kv.toArray()).toEqual(expect.arrayContaining(V4_FIXTURE.kv));
    // reads before version 5 were never counted
    expect(await db.readHealth.count()).toBe(0);
    // days past the kept window are dropped by their day
    expect(db.readHealth.schema.indexes.map((i) => i.name)).toEqual(['day']);
    db.close();
  });

  it('counts a read after the upgrade under its CRM, page kind and day', async () => {
    await writeV4Database('migrate-5-read');
    const db = new SalDatabase('migrate-5-read');
    const at = Date.parse('2026-11-30T01:00:00Z');
    await recordRead(db, { crm: 'salesforce', page: 'lead', ui: 'salesforce-lightning', adapterVersion: '1.4.0', outcome: 'ok', found: ['name'], missing: [] }, at);
    expect(await db.readHealth.get(['salesforce', 'lead', '2026-11-30'])).toMatchObject({ reads: 1, ok: 1, revision: 1, pushedRevision: 0 });
    expect(await db.writebacks.count()).toBe(V4_FIXTURE.writebacks.length);
    db.close();
  });
});
