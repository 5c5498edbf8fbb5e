import { beforeEach, describe, expect, it } from 'vitest';
import { SalDatabase } from '../../../lib/db/schema';
import { recordLocalEvent } from '../../../lib/db/events-repo';
import { readKv, writeKv } from '../../../lib/db/kv';
import { backendKv } from '../../../lib/settings/backend';
import { createSyncService, readSyncState } from '../../../lib/background/sync-service';
import { createHttpBackendClient } from '../../../lib/sync/http-client';
import { discardDeadLetter, listDeadLetters, retryDeadLetter } from '../../../lib/sync/dead-letters';
import { teamSettingsKv } from '../../../lib/sync/team-settings';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { accepted } from '../domain/builders';
import { FakeBackend } from './fake-backend';
import { runSyncRound } from '../../../lib/sync/engine';

/**
 * The sync service as the service worker runs it, against a scripted server: which triggers
 * may talk to the server when, and what it keeps from the server's replies.
 */

const URL_BASE = 'https://sal.example.test';
let db: SalDatabase;
let n = 0;
let clock: number;
/** Scripted replies by path; everything the client sent is logged. */
let replies: Record<string, () => Response>;
let sent: string[];

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const fakeFetch: typeof fetch = async (input) => {
  const path = new URL(String(input)).pathname;
  sent.push(path);
  const reply = replies[path];
  if (!reply) throw new TypeError('Failed to fetch');
  return reply();
};
const settingsBody = (managed: boolean) => ({
  revision: managed ? 3 : 0,
  managed,
  activeDefinition: DEFAULT_DEFINITION,
  definitions: [DEFAULT_DEFINITION],
  updatedAt: managed ? '2026-11-20T01:00:00.000Z' : null,
  updatedBy: managed ? '管理者' : null,
});
const healthy = () => ({
  '/v1/me': () => json({ user: { id: 'u1', name: '佐藤' }, team: { id: 't1', name: 'Demo' }, role: 'rep' }),
  '/v1/settings': () => json(settingsBody(true)),
  '/v1/events': () => json({ events: [], nextCursor: '0', hasMore: false }),
});

function service() {
  let tail: Promise<unknown> = Promise.resolve();
  return createSyncService({
    db,
    now: () => clock,
    random: () => 0.5,
    fetch: fakeFetch,
    onLeadsChanged: () => undefined,
    onSynced: () => undefined,
    runExclusive: (fn) => {
      const run = tail.then(fn, fn);
      tail = run.catch(() => undefined);
      return run;
    },
  });
}

beforeEach(async () => {
  db = new SalDatabase(`sync-service-test-${n++}`);
  clock = Date.parse('2026-11-24T01:00:00Z');
  sent = [];
  replies = healthy();
  await writeKv(db, backendKv, { mode: 'server', url: URL_BASE, token: 'tok' });
});

describe('sync service', () => {
  it('syncs on every alarm, not only the first one of the worker', async () => {
    const s = service();
    await s.requestSync('alarm');
    const first = sent.length;
    clock += 30_000;
    await s.requestSync('alarm');
    expect(sent.length).toBeGreaterThan(first);
  });

  it("a push that keeps failing (a proxy's 502 page) does not stop teammates' events from arriving; open tabs are told", async () => {
    const changed: string[][] = [];
    let tail: Promise<unknown> = Promise.resolve();
    const s = createSyncService({
      db,
      now: () => clock,
      random: () => 0.5,
      fetch: fakeFetch,
      onLeadsChanged: (keys) => changed.push([...keys]),
      onSynced: () => undefined,
      runExclusive: (fn) => {
        const run = tail.then(fn, fn);
        tail = run.catch(() => undefined);
        return run;
      },
    });
    await recordLocalEvent(db, accepted({ at: '2026-11-24T00:30:00Z' }), clock);
    const teammates = accepted({ at: '2026-11-24T00:40:00Z', leadKey: 'custom:lead-7', actor: { id: 'u2', name: '鈴木' } });
    let calls = 0;
    // the same path answers the push (first) and the pull (second)
    replies['/v1/events'] = () =>
      ++calls === 1
        ? new Response('<html>502 Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } })
        : json({ events: [{ seq: 1, receivedAt: '2026-11-24T00:40:01.000Z', event: teammates }], nextCursor: '1', hasMore: false });
    const state = await s.requestSync('alarm');
    expect(state.lastError?.code).toBe('server_error');
    expect(await db.events.get(teammates.id)).toMatchObject({ seq: 1 });
    expect(changed).toEqual([['custom:lead-7']]);
    expect(await db.outbox.count()).toBe(1);
  });

  it("waits out the server's Retry-After even when a decision is recorded meanwhile", async () => {
    const s = service();
    replies['/v1/me'] = () => json({ error: { code: 'rate_limited', message: 'slow down' } }, 429, { 'retry-after': '120' });
    const state = await s.requestSync('alarm');
    expect(state.lastError?.code).toBe('rate_limited');
    expect(state.nextRetryAt).toBe(clock + 120_000);
    replies = healthy();
    sent = [];
    clock += 60_000;
    await s.requestSync('recorded', { force: true });
    await s.requestSync('online', { force: true });
    await s.requestSync('alarm');
    expect(sent, 'nothing is sent before the server said').toEqual([]);
    // the user's own "sync now" is an explicit request and goes through
    await s.requestSync('user', { force: true });
    expect(sent.length).toBeGreaterThan(0);
  });

  it('after Retry-After has passed, the next alarm syncs', async () => {
    const s = service();
    replies['/v1/events'] = () => new Response('', { status: 503, headers: { 'retry-after': '10' } });
    await s.requestSync('alarm');
    replies = healthy();
    clock += 10_001;
    const state = await s.requestSync('alarm');
    expect(state.lastError).toBeNull();
    expect(state.lastSuccessAt).toBe(clock);
  });

  it('pauses on 401 until the user acts, keeping the queue, and resumes when the backend is saved again', async () => {
    const s = service();
    await recordLocalEvent(db, accepted({ at: '2026-11-24T00:30:00Z' }), clock);
    replies['/v1/me'] = () => json({ error: { code: 'unauthorized', message: 'token revoked' } }, 401);
    const state = await s.requestSync('alarm');
    expect(state).toMatchObject({ authPaused: true, lastError: { code: 'auth' } });
    replies = healthy();
    sent = [];
    clock += 24 * 3_600_000;
    await s.requestSync('alarm');
    await s.requestSync('recorded', { force: true });
    expect(sent).toEqual([]);
    expect(await db.outbox.count()).toBe(1);
    replies['/v1/events'] = () => json({ results: [] });
    await s.backendChanged();
    expect((await readSyncState(db)).authPaused).toBe(false);
  });

  it('a 429 on the settings request stops the round instead of pushing anyway', async () => {
    const s = service();
    await recordLocalEvent(db, accepted({ at: '2026-11-24T00:30:00Z' }), clock);
    replies['/v1/settings'] = () => new Response('', { status: 429, headers: { 'retry-after': '30' } });
    const state = await s.requestSync('alarm');
    expect(state.lastError?.code).toBe('rate_limited');
    expect(sent).not.toContain('/v1/events');
  });

  it("a backend without settings (404) still syncs, and the team's managed settings are kept for the options page", async () => {
    const s = service();
    await s.requestSync('alarm');
    expect(await readKv(db, teamSettingsKv)).toEqual({ managed: true, revision: 3, updatedAt: '2026-11-20T01:00:00.000Z', updatedBy: '管理者' });
    replies['/v1/settings'] = () => json({ error: { code: 'not_found', message: 'no settings here' } }, 404);
    clock += 60_000;
    const state = await s.requestSync('alarm');
    expect(state.lastError).toBeNull();
  });
});

describe('HTTP client', () => {
  it('turns 429 with Retry-After (seconds or an HTTP date) into a wait in ms', async () => {
    const now = Date.parse('2026-11-24T01:00:00Z');
    replies = { '/v1/events': () => new Response('', { status: 429, headers: { 'retry-after': '7' } }) };
    const client = createHttpBackendClient(URL_BASE, 'tok', fakeFetch, () => now);
    await expect(client.pull(null, 10)).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: 7000, status: 429 });
    replies = { '/v1/events': () => new Response('', { status: 503, headers: { 'retry-after': new Date(now + 90_000).toUTCString() } }) };
    await expect(client.push([accepted({ at: '2026-11-24T00:30:00Z' })])).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: 90_000 });
  });

  it('401 and 403 are auth errors, a 200 that breaks the protocol is a server error', async () => {
    const client = createHttpBackendClient(URL_BASE, 'tok', fakeFetch, () => 0);
    replies = { '/v1/me': () => json({}, 403) };
    await expect(client.me()).rejects.toMatchObject({ code: 'auth', status: 403 });
    replies = { '/v1/me': () => json({ hello: 'world' }) };
    await expect(client.me()).rejects.toMatchObject({ code: 'server_error' });
  });
});

describe('dead letters', () => {
  it('lists a refused event with its reason; retry sends it again, discard removes it from this browser', async () => {
    const backend = new FakeBackend();
    const bad = accepted({ at: '2026-11-24T00:30:00Z' });
    const worse = accepted({ at: '2026-11-24T00:31:00Z', leadKey: 'custom:lead-2' });
    await recordLocalEvent(db, bad, clock);
    await recordLocalEvent(db, worse, clock);
    backend.refuse.add(bad.id).add(worse.id);
    await runSyncRound(db, backend, () => clock);
    const listed = await listDeadLetters(db);
    expect(listed.map((d) => [d.eventId, d.reason, d.event?.type])).toEqual([
      [bad.id, 'refused by test', 'accepted'],
      [worse.id, 'refused by test', 'accepted'],
    ]);

    backend.refuse.delete(bad.id); // the team fixed what the server objected to
    await retryDeadLetter(db, bad.id, clock);
    await runSyncRound(db, backend, () => clock);
    expect(backend.events.map((e) => e.event.id)).toEqual([bad.id]);

    await discardDeadLetter(db, worse.id);
    expect(await listDeadLetters(db)).toEqual([]);
    expect(await db.events.get(worse.id)).toBeUndefined();
    expect(await db.events.get(bad.id)).toBeDefined();
  });
});
