import { describe, expect, it } from 'vitest';
import { SalDatabase } from '../../../lib/db/schema';
import { eventsForLead } from '../../../lib/db/events-repo';
import { readDataScope } from '../../../lib/db/scopes';
import { listDeadLetters } from '../../../lib/sync/dead-letters';
import { LEAD } from '../domain/builders';
import { V1_FIXTURE, writeV1Database } from '../../fixtures/db/v1';

describe('database version 1 → 2 (data per backend and team)', () => {
  it('keeps every event, queued decision and dead letter, and binds them to the team the browser was signed in to', async () => {
    await writeV1Database('migrate-1');
    const db = new SalDatabase('migrate-1');
    expect(db.verno).toBe(2);
    expect(await db.events.toArray()).toEqual(V1_FIXTURE.events);
    expect(await db.outbox.toArray()).toEqual(expect.arrayContaining(V1_FIXTURE.outbox));
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
