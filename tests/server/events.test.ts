import { describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { PullResponseSchema, PushResponseSchema } from '../../lib/protocol/http';
import { createTeam, createToken, createUser, DEMO_USERS, revokeToken } from '../../server/src/admin';
import { connect } from 'node:net';
import { EXTENSION_ID, EXTENSION_ORIGIN } from '../../lib/protocol/extension-id';
import { DEFAULT_RATE_LIMIT } from '../../server/src/app';
import { corsOriginsFromEnv } from '../../server/src/config';
import { startNodeServer } from '../../server/src/node';
import { acceptedEvent, closingAfterEach, countRows, handedOverEvent } from './helpers';

const REP1 = 'demo-rep1-token';
const REP2 = 'demo-rep2-token';
const REP2_ACTOR = { id: 'user_demo_rep2', name: '鈴木 花子' };
const { server } = closingAfterEach();

describe('POST /v1/events', () => {
  it('stores a batch, assigns increasing per-team sequences and reports each event', async () => {
    const { call } = await server();
    const events = [acceptedEvent(), acceptedEvent({ type: 'contacted', payload: { channel: 'call' } } as never)];
    const res = await call(REP1, 'POST', '/v1/events', { events });
    expect(res.status).toBe(200);
    const { results } = PushResponseSchema.parse(await res.json());
    expect(results.map((r) => [r.id, r.status])).toEqual(events.map((e) => [e.id, 'accepted']));
    expect(results[1]!.seq!).toBeGreaterThan(results[0]!.seq!);
  });

  it('is idempotent: the same event twice is a duplicate with the same seq and one row', async () => {
    const { call, db } = await server();
    const event = acceptedEvent();
    const first = PushResponseSchema.parse(await (await call(REP1, 'POST', '/v1/events', { events: [event] })).json());
    const again = PushResponseSchema.parse(await (await call(REP1, 'POST', '/v1/events', { events: [event, event] })).json());
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(again.results.map((r) => r.seq)).toEqual([first.results[0]!.seq, first.results[0]!.seq]);
    expect(await countRows(db, 'SELECT 1 FROM events WHERE id = $1', [event.id])).toBe(1);
  });

  it('rejects a malformed event with a reason and still stores the rest of the batch', async () => {
    const { call, db } = await server();
    const good = acceptedEvent();
    const badReason = acceptedEvent({ type: 'rejected', payload: { reasonCode: 'other' } } as never);
    const notAnEvent = { id: 'nope', hello: 1 };
    const res = await call(REP1, 'POST', '/v1/events', { events: [badReason, good, notAnEvent] });
    expect(res.status).toBe(200);
    const { results } = PushResponseSchema.parse(await res.json());
    expect(results.map((r) => r.status)).toEqual(['rejected', 'accepted', 'rejected']);
    expect(results[0]!.reason).toMatch(/comment/);
    expect(results[2]!.id).toBe('nope');
    expect(await countRows(db, 'SELECT 1 FROM events')).toBe(1);
  });

  it('answers 400 to a body that is not { events: [1..200] } and stores nothing', async () => {
    const { call, db } = await server();
    for (const body of ['not json{', { events: [] }, { event: [acceptedEvent()] }, [acceptedEvent()], { events: Array.from({ length: 201 }, () => acceptedEvent()) }]) {
      const res = await call(REP1, 'POST', '/v1/events', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'bad_request' } });
    }
    expect(await countRows(db, 'SELECT 1 FROM events')).toBe(0);
  });

  it('answers 413 to an oversized body and stores nothing', async () => {
    const { call, db } = await server({ bodyLimitBytes: 10_000 });
    const events = Array.from({ length: 60 }, () => acceptedEvent({ payload: { checklist: {}, comment: 'x'.repeat(400) } } as never));
    const res = await call(REP1, 'POST', '/v1/events', { events });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(await countRows(db, 'SELECT 1 FROM events')).toBe(0);
  });
});

describe('authentication and team isolation', () => {
  it('answers 401 without a token, with an unknown one and with a revoked one, and stores nothing', async () => {
    const { call, db } = await server();
    const event = acceptedEvent();
    expect((await call(null, 'POST', '/v1/events', { events: [event] })).status).toBe(401);
    expect((await call('not-a-token', 'POST', '/v1/events', { events: [event] })).status).toBe(401);
    expect((await call(null, 'GET', '/v1/events')).status).toBe(401);
    expect((await call(REP1, 'GET', '/v1/me')).status).toBe(200);
    await revokeToken(db, REP1);
    const revoked = await call(REP1, 'GET', '/v1/me');
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toBe('Bearer');
    expect(await countRows(db, 'SELECT 1 FROM events')).toBe(0);
  });

  it("keeps teams apart: another team's token sees none of our events and its writes land in its own team", async () => {
    const { call, db } = await server();
    const ours = acceptedEvent();
    await call(REP1, 'POST', '/v1/events', { events: [ours] });
    const otherTeam = await createTeam(db, 'Other Corp');
    const otherUser = await createUser(db, { teamId: otherTeam, name: 'Eve', role: 'admin' });
    const otherToken = await createToken(db, otherUser);

    const me = await (await call(otherToken, 'GET', '/v1/me')).json();
    expect(me).toMatchObject({ team: { id: otherTeam, name: 'Other Corp' }, role: 'admin' });
    const pulled = PullResponseSchema.parse(await (await call(otherToken, 'GET', '/v1/events')).json());
    expect(pulled.events).toEqual([]);

    // Re-sending our event id from the other team neither reveals nor touches our row.
    const theirs = PushResponseSchema.parse(await (await call(otherToken, 'POST', '/v1/events', { events: [{ ...ours, actor: { id: otherUser, name: 'Eve' } }] })).json());
    expect(theirs.results[0]).toMatchObject({ status: 'accepted', seq: 1 });
    expect(await countRows(db, 'SELECT 1 FROM events WHERE team_id = $1', ['team_demo'])).toBe(1);
    const stillOurs = PullResponseSchema.parse(await (await call(REP2, 'GET', '/v1/events')).json());
    expect(stillOurs.events.map((e) => e.event.id)).toEqual([ours.id]);
  });
});

describe('GET /v1/events', () => {
  it('pages through the history with since/limit/hasMore and a fresh reader gets everything once, in order', async () => {
    const { call } = await server();
    const events = Array.from({ length: 25 }, () => acceptedEvent({ id: ulid() }));
    await call(REP1, 'POST', '/v1/events', { events: events.slice(0, 10) });
    await call(REP2, 'POST', '/v1/events', { events: events.slice(10).map((e) => ({ ...e, actor: REP2_ACTOR })) });

    const seen: string[] = [];
    const seqs: number[] = [];
    let since = '';
    let pages = 0;
    for (;;) {
      const res = await call(REP1, 'GET', `/v1/events?since=${encodeURIComponent(since)}&limit=10`);
      const page = PullResponseSchema.parse(await res.json());
      pages++;
      seen.push(...page.events.map((e) => e.event.id));
      seqs.push(...page.events.map((e) => e.seq));
      since = page.nextCursor;
      if (!page.hasMore) break;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(events.map((e) => e.id));
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);

    // Caught up: nothing new, the cursor stays; a later push shows up after it.
    const idle = PullResponseSchema.parse(await (await call(REP1, 'GET', `/v1/events?since=${since}`)).json());
    expect(idle).toEqual({ events: [], nextCursor: since, hasMore: false });
    const late = acceptedEvent({ actor: REP2_ACTOR });
    await call(REP2, 'POST', '/v1/events', { events: [late] });
    const next = PullResponseSchema.parse(await (await call(REP1, 'GET', `/v1/events?since=${since}`)).json());
    expect(next.events.map((e) => e.event)).toEqual([late]);
  });

  it('answers 400 to a cursor it did not issue or a limit out of range', async () => {
    const { call } = await server();
    expect((await call(REP1, 'GET', '/v1/events?since=abc')).status).toBe(400);
    expect((await call(REP1, 'GET', '/v1/events?limit=0')).status).toBe(400);
    expect((await call(REP1, 'GET', '/v1/events?limit=5000')).status).toBe(400);
  });
});

describe('rate limit and CORS', () => {
  it('answers 429 with Retry-After once a token has used its burst, without slowing other tokens', async () => {
    let t = Date.parse('2026-11-24T00:00:00Z');
    const { call } = await server({ rateLimit: { capacity: 3, refillPerSecond: 0.5 }, now: () => new Date(t) });
    for (let i = 0; i < 3; i++) expect((await call(REP1, 'GET', '/v1/me')).status).toBe(200);
    const limited = await call(REP1, 'GET', '/v1/me');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await call(REP2, 'GET', '/v1/me')).status).toBe(200);
    t += 2000;
    expect((await call(REP1, 'GET', '/v1/me')).status).toBe(200);
  });

  it("allows only the extension's own origin by default, and only the configured list when set", async () => {
    const preflight = { origin: '', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' };
    const byDefault = await server();
    const ours = await byDefault.call(null, 'OPTIONS', '/v1/events', undefined, { ...preflight, origin: EXTENSION_ORIGIN });
    expect(ours.headers.get('access-control-allow-origin')).toBe(EXTENSION_ORIGIN);
    for (const origin of ['chrome-extension://abcdefghijklmnopabcdefghijklmnop', 'https://evil.example']) {
      const other = await byDefault.call(null, 'OPTIONS', '/v1/events', undefined, { ...preflight, origin });
      expect(other.headers.get('access-control-allow-origin'), origin).toBeNull();
    }

    const listed = await server({ corsOrigins: ['chrome-extension://only'] });
    const other = await listed.call(REP1, 'GET', '/v1/me', undefined, { origin: EXTENSION_ORIGIN });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const mine = await listed.call(REP1, 'GET', '/v1/me', undefined, { origin: 'chrome-extension://only' });
    expect(mine.headers.get('access-control-allow-origin')).toBe('chrome-extension://only');
    // an actual request's answer, a refusal included: the origin, what it may read, and that it varies by origin
    for (const [token, status] of [
      [REP1, 200],
      ['not-a-token', 401],
    ] as const) {
      const answer = await byDefault.call(token, 'GET', '/v1/me', undefined, { origin: EXTENSION_ORIGIN });
      expect(answer.status).toBe(status);
      expect(answer.headers.get('access-control-allow-origin')).toBe(EXTENSION_ORIGIN);
      expect(answer.headers.get('access-control-expose-headers')).toBe('retry-after');
      expect(answer.headers.get('vary')).toBe('Origin');
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    }
    const foreign = await byDefault.call(REP1, 'GET', '/v1/me', undefined, { origin: 'https://evil.example' });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.headers.get('vary')).toBe('Origin');
    expect(ours.headers.get('access-control-allow-methods')).toBe('GET,POST,PUT,OPTIONS');
  });

  it('reads the allow-list from SAL_EXTENSION_IDS (replacing the default) and SAL_CORS_ORIGINS (adding to it)', () => {
    const own = 'abcdefghijklmnopabcdefghijklmnop';
    expect(corsOriginsFromEnv({}, [EXTENSION_ORIGIN])).toBeUndefined();
    expect(corsOriginsFromEnv({ SAL_EXTENSION_IDS: ` ${own} , ${EXTENSION_ID}` }, [EXTENSION_ORIGIN])).toEqual([`chrome-extension://${own}`, EXTENSION_ORIGIN]);
    expect(corsOriginsFromEnv({ SAL_CORS_ORIGINS: 'https://crm.example' }, [EXTENSION_ORIGIN])).toEqual([EXTENSION_ORIGIN, 'https://crm.example']);
    expect(() => corsOriginsFromEnv({ SAL_EXTENSION_IDS: '*' }, [EXTENSION_ORIGIN])).toThrow(/not a Chrome extension id/);
  });

  it('rate limits requests without a valid token per client address, before looking the token up', async () => {
    let t = Date.parse('2026-11-24T00:00:00Z');
    const s = await server({
      rateLimit: DEFAULT_RATE_LIMIT,
      unauthenticatedRateLimit: { capacity: 3, refillPerSecond: 0.5 },
      clientAddress: (c) => c.req.header('x-test-client') ?? 'unknown',
      now: () => new Date(t),
    });
    const from = (client: string) => ({ 'x-test-client': client });
    for (let i = 0; i < 3; i++) expect((await s.call(`guess-${i}`, 'GET', '/v1/me', undefined, from('10.0.0.1'))).status).toBe(401);
    const limited = await s.call(null, 'GET', '/v1/me', undefined, from('10.0.0.1'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    // even a valid token waits from an address that is guessing; other addresses are not slowed
    expect((await s.call(REP1, 'GET', '/v1/me', undefined, from('10.0.0.1'))).status).toBe(429);
    expect((await s.call(REP1, 'GET', '/v1/me', undefined, from('10.0.0.2'))).status).toBe(200);
    expect((await s.call('nope', 'GET', '/v1/me', undefined, from('10.0.0.2'))).status).toBe(401);
    t += 2000;
    expect((await s.call(REP1, 'GET', '/v1/me', undefined, from('10.0.0.1'))).status).toBe(200);
  });

  it('closes the connection cleanly after a 413 (Connection: close, then the socket ends)', async () => {
    const { app } = await server({ bodyLimitBytes: 1000 });
    const { server: http, port } = await startNodeServer({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    try {
      const socket = connect(port, '127.0.0.1');
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (received += chunk));
      const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('error', () => undefined);
      const body = JSON.stringify({ events: [acceptedEvent({ payload: { checklist: {}, comment: 'x'.repeat(3000) } } as never)] });
      socket.write(
        `POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${REP1}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n`,
      );
      socket.write(body.slice(0, 500));
      await Promise.race([ended, new Promise((_, reject) => setTimeout(() => reject(new Error(`socket still open; got: ${received}`)), 5000))]);
      const [head, json] = received.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 413 /);
      expect(head).toMatch(/\r\nconnection: close\r\n/i);
      expect(JSON.parse(json ?? '')).toMatchObject({ error: { code: 'payload_too_large' } });
    } finally {
      await new Promise((resolve) => http.close(resolve));
    }
  });
});

describe('who an event is recorded for', () => {
  it("accepts the caller's own and local-only actors, refuses another user's id for that event only", async () => {
    const { call, db } = await server();
    const own = acceptedEvent({ id: ulid() });
    const local = acceptedEvent({ id: ulid(), actor: { id: 'local-01JD0000000000000000000000', name: '' } });
    const forged = acceptedEvent({ id: ulid(), actor: REP2_ACTOR });
    const res = PushResponseSchema.parse(await (await call(REP1, 'POST', '/v1/events', { events: [own, forged, local] })).json());
    expect(res.results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted']);
    expect(res.results[1]).toMatchObject({ id: forged.id, reason: expect.stringMatching(/^actor_mismatch: /) });
    // the local-only decision is attributed to the member who pushed it
    expect(await countRows(db, "SELECT 1 FROM events WHERE id = $1 AND submitted_by = 'user_demo_rep1'", [local.id])).toBe(1);
    expect(await countRows(db, 'SELECT 1 FROM events WHERE id = $1', [forged.id])).toBe(0);
    // the same event from its own user is fine
    const byRep2 = PushResponseSchema.parse(await (await call(REP2, 'POST', '/v1/events', { events: [forged] })).json());
    expect(byRep2.results[0]?.status).toBe('accepted');
  });

  it("exempts no role: an admin's or a marketer's token records in its own name, not a rep's", async () => {
    const { call } = await server();
    for (const key of ['admin', 'marketer'] as const) {
      const user = DEMO_USERS.find((u) => u.key === key)!;
      const asRep = acceptedEvent({ id: ulid() });
      const own = handedOverEvent({ id: ulid(), actor: { id: user.id, name: user.name } });
      const res = PushResponseSchema.parse(await (await call(user.token, 'POST', '/v1/events', { events: [asRep, own] })).json());
      const statuses = res.results.map((r) => r.status);
      expect(statuses, key).toEqual(['rejected', 'accepted']);
      expect(res.results[0]!.reason, key).toMatch(/^actor_mismatch: actor\.id "user_demo_rep1"/);
    }
    // the team sees only what each member recorded in their own name
    const pulled = PullResponseSchema.parse(await (await call(REP2, 'GET', '/v1/events')).json());
    expect(pulled.events.map((e) => e.event.actor.id)).toEqual(['user_demo_admin', 'user_demo_marketer']);
  });
});
