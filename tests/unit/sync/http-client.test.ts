import { beforeEach, describe, expect, it } from 'vitest';
import { SalDatabase } from '../../../lib/db/schema';
import { recordLocalEvent } from '../../../lib/db/events-repo';
import { runSyncRound } from '../../../lib/sync/engine';
import { createHttpBackendClient } from '../../../lib/sync/http-client';
import { listDeadLetters } from '../../../lib/sync/dead-letters';
import { accepted } from '../domain/builders';

/**
 * What the client makes of every kind of reply a push can get: only the server's structured,
 * per-event (or single-event 400/422) word dead-letters a decision; whatever a proxy, a deploy
 * or the network says is retried until the server is back.
 */

const URL_BASE = 'https://sal.example.test';
const now = () => Date.parse('2026-11-24T01:00:00Z');
let db: SalDatabase;
let n = 0;
/** The reply to every push; pulls always answer an empty page. */
let pushReply: () => Response;
let accepted_: string[] = [];

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const html = (status: number) => new Response('<html><body><h1>404 Not Found</h1>nginx</body></html>', { status, headers: { 'content-type': 'text/html' } });

const fetchImpl: typeof fetch = async (input, init) => {
  const url = new URL(String(input));
  if (init?.method === 'POST') {
    return pushReply();
  }
  expect(url.pathname).toBe('/v1/events');
  return json({ events: [], nextCursor: '0', hasMore: false });
};
const client = () => createHttpBackendClient(URL_BASE, 'tok', fetchImpl, now);

async function record(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const e = accepted({ at: new Date(Date.parse('2026-11-24T00:00:00Z') + i * 1000), leadKey: `custom:lead-${i}` });
    await recordLocalEvent(db, e, now());
    ids.push(e.id);
  }
  return ids;
}

/** The server is back: it accepts whatever it is sent. */
function serverBack() {
  const real = fetchImpl;
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    if (init?.method === 'POST') {
      const { events } = JSON.parse(String(init.body)) as { events: Array<{ id: string }> };
      accepted_.push(...events.map((e) => e.id));
      return json({ results: events.map((e, i) => ({ id: e.id, status: 'accepted', seq: accepted_.length - events.length + i + 1, receivedAt: '2026-11-24T00:59:00.000Z' })) });
    }
    return real(input, init);
  };
}

beforeEach(() => {
  db = new SalDatabase(`http-client-test-${n++}`);
  accepted_ = [];
});

describe('transient errors are not refusals', () => {
  const transient: Array<[string, () => Response]> = [
    ["a proxy's 404 page during a deploy", () => html(404)],
    ['404 without a body', () => new Response(null, { status: 404 })],
    ['408 request timeout', () => html(408)],
    ['a 400 page from a load balancer (not the protocol)', () => html(400)],
    ['502 bad gateway (HTML)', () => html(502)],
    ['503 without Retry-After', () => json({ error: { code: 'unavailable', message: 'deploying' } }, 503)],
    ['504 gateway timeout', () => new Response('', { status: 504 })],
    ['429 too many requests', () => new Response('slow down', { status: 429, headers: { 'retry-after': '5' } })],
    ['a 200 that is not JSON', () => new Response('<html>maintenance</html>', { status: 200, headers: { 'content-type': 'text/html' } })],
    ['a 200 that is JSON but not the protocol', () => json({ ok: true })],
    ['a 409 in the protocol shape (not an event refusal)', () => json({ error: { code: 'conflict', message: 'busy' } }, 409)],
  ];

  it.each(transient)('%s: no decision is dead-lettered, and all 30 are sent once the server is back', async (_name, reply) => {
    const ids = await record(30);
    pushReply = reply;
    for (let round = 0; round < 3; round++) await runSyncRound(db, client(), now).catch(() => undefined);
    expect(await listDeadLetters(db)).toEqual([]);
    expect(await db.outbox.count()).toBe(30);
    const back = serverBack();
    await runSyncRound(db, createHttpBackendClient(URL_BASE, 'tok', back, now), () => now() + 3_600_000);
    expect([...accepted_].sort()).toEqual([...ids].sort());
    expect(await db.outbox.count()).toBe(0);
  });

  it('a network error (offline) keeps everything queued', async () => {
    await record(3);
    const offline = createHttpBackendClient(URL_BASE, 'tok', () => Promise.reject(new TypeError('Failed to fetch')), now);
    await expect(runSyncRound(db, offline, now)).rejects.toMatchObject({ code: 'offline' });
    expect(await listDeadLetters(db)).toEqual([]);
    expect(await db.outbox.count()).toBe(3);
  });
});

describe("the server's structured refusal", () => {
  it('a per-event rejected or conflict in a well-formed reply dead-letters that event only, with its reason', async () => {
    const ids = await record(3);
    pushReply = () =>
      json({
        results: [
          { id: ids[0], status: 'accepted', seq: 1, receivedAt: '2026-11-24T00:59:00.000Z' },
          { id: ids[1], status: 'rejected', reason: 'invalid: company contains U+0000' },
          { id: ids[2], status: 'conflict', reason: 'conflict: another body is stored under this id' },
        ],
      });
    await runSyncRound(db, client(), now);
    const dead = await listDeadLetters(db);
    expect(dead.map((d) => [d.eventId, d.reason]).sort()).toEqual(
      [
        [ids[1], 'invalid: company contains U+0000'],
        [ids[2], 'conflict: another body is stored under this id'],
      ].sort(),
    );
    expect(await db.outbox.count()).toBe(2);
  });

  it('a structured 400 bad_request for a batch is split until the one event it refuses is alone, which alone is dead-lettered', async () => {
    const ids = await record(4);
    const bad = ids[2]!;
    const smart = createHttpBackendClient(
      URL_BASE,
      'tok',
      async (input, init) => {
        if (init?.method !== 'POST') return json({ events: [], nextCursor: '0', hasMore: false });
        const { events } = JSON.parse(String(init.body)) as { events: Array<{ id: string }> };
        if (events.some((e) => e.id === bad)) return json({ error: { code: 'bad_request', message: 'events[0].occurredAt: year 0000' } }, 400);
        return json({ results: events.map((e, i) => ({ id: e.id, status: 'accepted', seq: i + 1 })) });
      },
      now,
    );
    await runSyncRound(db, smart, now);
    const dead = await listDeadLetters(db);
    expect(dead.map((d) => d.eventId)).toEqual([bad]);
    expect(dead[0]!.reason).toContain('bad_request');
    expect(await db.outbox.count()).toBe(1);
  });
});
