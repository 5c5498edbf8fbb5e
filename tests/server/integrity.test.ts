import { describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { ErrorBodySchema, HandoffResponseSchema, PullResponseSchema, PushResponseSchema } from '../../lib/protocol/http';
import { seedDemo } from '../../server/src/admin';
import { createApp } from '../../server/src/app';
import type { Database } from '../../server/src/db/index';
import { isDataError } from '../../server/src/db/errors';
import { isPgSafeText, isStorableInstant } from '../../lib/domain/events';
import { acceptedEvent, closingAfterEach, countRows, freshDb } from './helpers';

const REP1 = 'demo-rep1-token';
const MARKETER = 'demo-marketer-token';
const { server, track } = closingAfterEach();
const push = async (call: Awaited<ReturnType<typeof server>>['call'], events: unknown[], token = REP1) => {
  const res = await call(token, 'POST', '/v1/events', { events });
  expect(res.status).toBe(200);
  return PushResponseSchema.parse(await res.json()).results;
};

describe('no value stalls a batch', () => {
  it('rejects each value PostgreSQL would refuse on its own event, answers 200 and stores the rest', async () => {
    const { call, db } = await server();
    const emojiCutInHalf = `${'株'.repeat(499)}${'😀'.slice(0, 1)}`;
    const poisons: Record<string, unknown> = {
      nulInCompany: acceptedEvent({ lead: { company: 'Acme\u0000 Inc' } }),
      loneHighSurrogate: acceptedEvent({ lead: { company: emojiCutInHalf } }),
      loneLowSurrogate: acceptedEvent({ payload: { checklist: {}, comment: '\uDE00 tail' } } as never),
      nulInChecklistKey: acceptedEvent({ payload: { checklist: { 'bant\u0000': true } } } as never),
      nulInActorName: acceptedEvent({ actor: { id: 'user_demo_rep1', name: 'Sato\u0000' } }),
      nulInLocalActorId: acceptedEvent({ actor: { id: 'local-\u0000x', name: '' } }),
      nulInLeadKey: acceptedEvent({ leadKey: 'custom:L-1\u0000' }),
      yearZero: acceptedEvent({ occurredAt: '0000-01-01T00:00:00Z' }),
      february30: acceptedEvent({ occurredAt: '2026-02-30T09:00:00+09:00' }),
      before1970: acceptedEvent({ occurredAt: '1969-12-31T23:59:59Z' }),
    };
    const good = [acceptedEvent(), acceptedEvent({ lead: { company: `${'株'.repeat(498)}😀` } })];
    const results = await push(call, [good[0], ...Object.values(poisons), good[1]]);
    expect(results[0]).toMatchObject({ id: good[0]!.id, status: 'accepted' });
    expect(results.at(-1)).toMatchObject({ id: good[1]!.id, status: 'accepted' });
    Object.keys(poisons).forEach((name, i) => {
      expect(results[i + 1], name).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^invalid: /) });
    });
    expect(await countRows(db, 'SELECT 1 FROM events')).toBe(2);
    // the next round goes through as usual: nothing is stuck
    expect((await push(call, [acceptedEvent()]))[0]?.status).toBe('accepted');
  });

  it('writes one by one when the database refuses a value the schema let through: only that event is rejected', async () => {
    const db = track(await freshDb());
    await seedDemo(db);
    // a database that refuses one marked value the way PostgreSQL refuses bad text (SQLSTATE 22P05)
    const picky: Database = {
      ...db,
      query: (sql, params) => {
        if (/INSERT INTO events/.test(sql) && JSON.stringify(params).includes('POISON')) {
          return Promise.reject(Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' }));
        }
        return db.query(sql, params);
      },
    };
    const app = createApp({ db: picky, config: { rateLimit: false } });
    const events = [acceptedEvent(), acceptedEvent({ lead: { company: 'POISON' } }), acceptedEvent()];
    const res = await app.request('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${REP1}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(res.status).toBe(200);
    const { results } = PushResponseSchema.parse(await res.json());
    expect(results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted']);
    expect(results[1]!.reason).toMatch(/^invalid: the database refused a value/);
    expect(results[2]!.seq).toBe(results[0]!.seq! + 1);
    expect(await countRows(db, 'SELECT 1 FROM events')).toBe(2);
  });

  it('answers 503 unavailable with Retry-After when the database cannot be reached, not a rejection', async () => {
    const db = track(await freshDb());
    await seedDemo(db);
    const app = createApp({ db, config: { rateLimit: false } });
    const headers = { authorization: `Bearer ${REP1}`, 'content-type': 'application/json' };
    // authenticate against the real database, then lose the connection once the push reaches the event log
    const down: Database = {
      ...db,
      query: (sql, params) => (/\bevents\b/.test(sql) ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })) : db.query(sql, params)),
      transaction: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
    };
    const broken = createApp({ db: down, config: { rateLimit: false } });
    const res = await broken.request('/v1/events', { method: 'POST', headers, body: JSON.stringify({ events: [acceptedEvent()] }) });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('unavailable');
    // and once it is back, the same push is stored
    const again = await app.request('/v1/events', { method: 'POST', headers, body: JSON.stringify({ events: [acceptedEvent()] }) });
    expect(PushResponseSchema.parse(await again.json()).results[0]?.status).toBe('accepted');
  });

  it('reports a CSV row with a NUL byte in one cell in that row and keeps the good rows', async () => {
    const { call, db } = await server();
    const csv = ['crm,recordId,by,company', 'custom,L-1,MA,Good Co', 'custom,L-2,MA,Bad\u0000Co', 'custom,L-3,MA,Also good'].join('\r\n');
    const res = await call(MARKETER, 'POST', '/v1/handoffs', csv, { 'content-type': 'text/csv; charset=utf-8' });
    expect(res.status).toBe(200);
    const { results } = HandoffResponseSchema.parse(await res.json());
    expect(results.map((r) => [r.index, r.status])).toEqual([
      [0, 'accepted'],
      [1, 'rejected'],
      [2, 'accepted'],
    ]);
    expect(results[1]!.reason).toMatch(/^invalid: lead\.company: /);
    expect(await countRows(db, "SELECT 1 FROM events WHERE type = 'handed_over'")).toBe(2);
  });
});

describe('the contract and the database agree', () => {
  it('PostgreSQL refuses exactly the kinds of values the shared schema refuses, and stores the edges it takes', async () => {
    const db = track(await freshDb());
    const refused = async (sql: string, params: unknown[]) => {
      try {
        await db.query(sql, params);
        return 'stored';
      } catch (error) {
        expect(isDataError(error), String(error)).toBe(true);
        return 'refused';
      }
    };
    const jsonb = (text: string) => refused('SELECT $1::jsonb', [JSON.stringify({ company: text })]);
    const instant = (iso: string) => refused('SELECT $1::timestamptz', [iso]);
    const cases: [string, Promise<string>, boolean][] = [
      ['NUL', jsonb('a\u0000b'), isPgSafeText('a\u0000b')],
      ['lone high surrogate', jsonb('a\uD83D'), isPgSafeText('a\uD83D')],
      ['lone low surrogate', jsonb('\uDE00a'), isPgSafeText('\uDE00a')],
      ['emoji', jsonb('株式会社😀'), isPgSafeText('株式会社😀')],
      ['year 0000', instant('0000-01-01T00:00:00Z'), isStorableInstant('0000-01-01T00:00:00Z')],
      ['February 30', instant('2026-02-30T09:00:00+09:00'), isStorableInstant('2026-02-30T09:00:00+09:00')],
      ['1970', instant('1970-01-01T00:00:00Z'), isStorableInstant('1970-01-01T00:00:00Z')],
      ['9999', instant('9999-12-31T23:59:59.999Z'), isStorableInstant('9999-12-31T23:59:59.999Z')],
    ];
    for (const [name, outcome, contractTakes] of cases) expect(await outcome, name).toBe(contractTakes ? 'stored' : 'refused');
  });
});

describe('same id, same or different body', () => {
  it('answers duplicate for the same body however it is spelled, conflict for a different one; the stored event stands', async () => {
    let t = Date.parse('2026-11-24T01:00:00Z');
    const { call } = await server({ now: () => new Date(t) });
    const event = acceptedEvent({ occurredAt: '2026-11-24T09:00:00.000+09:00' });
    const [first] = await push(call, [event]);
    expect(first).toMatchObject({ status: 'accepted', receivedAt: '2026-11-24T01:00:00.000Z' });
    t += 60_000;
    // keys in another order, the same instant in UTC: the same event
    const { payload, type, ...rest } = event;
    const respelled = { payload, type, ...rest, occurredAt: '2026-11-24T00:00:00Z' };
    const changed = { ...event, payload: { checklist: {}, temperature: 'cold' } };
    const results = await push(call, [respelled, changed]);
    expect(results[0]).toEqual({ id: event.id, status: 'duplicate', seq: first!.seq, receivedAt: '2026-11-24T01:00:00.000Z' });
    expect(results[1]).toMatchObject({ id: event.id, status: 'conflict', reason: expect.stringMatching(/^conflict: /) });
    // inside one batch too
    const fresh = acceptedEvent();
    const inBatch = await push(call, [fresh, { ...fresh, payload: { checklist: {}, temperature: 'warm' } }, fresh]);
    expect(inBatch.map((r) => r.status)).toEqual(['accepted', 'conflict', 'duplicate']);
    expect(inBatch[2]!.seq).toBe(inBatch[0]!.seq);
    const pulled = PullResponseSchema.parse(await (await call(REP1, 'GET', '/v1/events')).json());
    expect(pulled.events.map((e) => e.event.id)).toEqual([event.id, fresh.id]);
    expect(pulled.events[0]!.event).toMatchObject({ payload: { temperature: 'hot' } });
    expect(pulled.events[0]!.receivedAt).toBe('2026-11-24T01:00:00.000Z');
  });
});

describe('pull cursors carry the server epoch', () => {
  it('answers 410 cursor_reset to a cursor from a reset database (new epoch)', async () => {
    const before = await server();
    await push(before.call, [acceptedEvent(), acceptedEvent()]);
    const page = PullResponseSchema.parse(await (await before.call(REP1, 'GET', '/v1/events')).json());
    expect(page.events).toHaveLength(2);

    // the same URL, the same team and tokens, a new database: more events than the client saw
    const after = await server();
    await push(after.call, [acceptedEvent(), acceptedEvent(), acceptedEvent()]);
    const res = await after.call(REP1, 'GET', `/v1/events?since=${encodeURIComponent(page.nextCursor)}`);
    expect(res.status).toBe(410);
    expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('cursor_reset');
    // starting over works
    const restart = PullResponseSchema.parse(await (await after.call(REP1, 'GET', '/v1/events')).json());
    expect(restart.events).toHaveLength(3);
  });

  it('answers 410 cursor_reset to a cursor past the team history (database restored from a backup)', async () => {
    const { call, db } = await server();
    await push(call, [acceptedEvent(), acceptedEvent(), acceptedEvent()]);
    const page = PullResponseSchema.parse(await (await call(REP1, 'GET', '/v1/events')).json());
    // the backup was taken after the first event
    await db.query("DELETE FROM events WHERE team_id = 'team_demo' AND seq > 1");
    await db.query("UPDATE teams SET last_seq = 1 WHERE id = 'team_demo'");
    const res = await call(REP1, 'GET', `/v1/events?since=${encodeURIComponent(page.nextCursor)}`);
    expect(res.status).toBe(410);
    expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('cursor_reset');
  });

  it('takes a bare-number cursor from before epochs as this epoch while it is within the history', async () => {
    const { call } = await server();
    const events = [acceptedEvent({ id: ulid() }), acceptedEvent({ id: ulid() }), acceptedEvent({ id: ulid() })];
    await push(call, events);
    const res = await call(REP1, 'GET', '/v1/events?since=1');
    const page = PullResponseSchema.parse(await res.json());
    expect(page.events.map((e) => e.event.id)).toEqual([events[1]!.id, events[2]!.id]);
    expect(page.nextCursor).toMatch(/^[0-9a-f]{32}\.3$/);
    expect((await call(REP1, 'GET', '/v1/events?since=99')).status).toBe(410);
  });
});
