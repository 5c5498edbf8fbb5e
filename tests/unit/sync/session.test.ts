import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { SalDatabase } from '../../../lib/db/schema';
import { readKv, writeKv } from '../../../lib/db/kv';
import { backendKv } from '../../../lib/settings/backend';
import { createSyncService, readSyncState } from '../../../lib/background/sync-service';
import { refreshSession, sessionBackend, signInWithInvite } from '../../../lib/sync/session';
import { createApp } from '../../../server/src/app';
import { seedDemo } from '../../../server/src/admin';
import { migrate, pgliteInSchema } from '../../../server/src/db/index';

/**
 * A signed-in browser against the real server: its session refreshes without sync noticing, and
 * a member the admin removes is signed out at the next request.
 */

const URL_BASE = 'https://sal.example.test';
let pg: PGlite;
let run = 0;
let clock: number;
let db: SalDatabase;
let sent: string[];
let app: ReturnType<typeof createApp>;

/** One lock at a time, in memory (Node has no Web Locks). */
function memoryLock() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const next = tail.then(fn, fn);
    tail = next.catch(() => undefined);
    return next;
  };
}
const throughApp: typeof fetch = async (input, init) => {
  const url = new URL(String(input));
  sent.push(url.pathname);
  return app.request(`${url.pathname}${url.search}`, init);
};

beforeAll(async () => {
  pg = await PGlite.create('memory://');
}, 60_000);
afterAll(async () => {
  await pg.close();
});
beforeEach(async () => {
  const server = await pgliteInSchema(pg, `session_${process.pid}_${run++}`);
  await migrate(server);
  await seedDemo(server);
  clock = Date.parse('2026-11-24T01:00:00Z');
  app = createApp({ db: server, config: { rateLimit: false, now: () => new Date(clock), sessionTtl: { accessSeconds: 600, refreshSeconds: 86_400 } } });
  db = new SalDatabase(`session-test-${run}`);
  sent = [];
}, 60_000);

const admin = (path: string, body: unknown) =>
  app.request(path, { method: 'POST', headers: { authorization: 'Bearer demo-admin-token', 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function invitedRep(): Promise<string> {
  const { code } = (await (await admin('/v1/admin/invites', { name: '山田 太郎', role: 'rep' })).json()) as { code: string };
  const session = await signInWithInvite(URL_BASE, code, throughApp);
  await writeKv(db, backendKv, sessionBackend(URL_BASE, session, 'invite'));
  return session.me.user.id;
}

function service() {
  return createSyncService({
    db,
    now: () => clock,
    random: () => 0.5,
    fetch: throughApp,
    onLeadsChanged: () => undefined,
    onSynced: () => undefined,
    runExclusive: memoryLock(),
    runRefreshExclusive: memoryLock(),
  });
}

describe('a signed-in session', () => {
  it('signs in with an invitation link: the stored backend holds the session, never the invitation', async () => {
    await invitedRep();
    const stored = await readKv(db, backendKv);
    expect(stored).toMatchObject({ mode: 'server', url: URL_BASE, token: expect.stringMatching(/^sals_/), session: { refreshToken: expect.stringMatching(/^salr_/), method: 'invite' } });
    // the same link again is refused with its reason
    const { code } = (await (await admin('/v1/admin/invites', { name: 'x', role: 'rep', expiresInHours: 1 })).json()) as { code: string };
    await signInWithInvite(URL_BASE, code, throughApp);
    await expect(signInWithInvite(URL_BASE, code, throughApp)).rejects.toMatchObject({ status: 401, code: 'invite_used' });
  });

  it('refreshes transparently when the access token expires: sync goes on, with a new token', async () => {
    await invitedRep();
    const sync = service();
    expect((await sync.requestSync('user')).lastError).toBeNull();
    const before = await readKv(db, backendKv);
    clock += 601_000;
    sent = [];
    const state = await sync.requestSync('user');
    expect(state.lastError).toBeNull();
    expect(state.authPaused).toBe(false);
    expect(sent).toContain('/v1/auth/refresh');
    const after = await readKv(db, backendKv);
    expect(after?.mode === 'server' && after.token).not.toBe(before?.mode === 'server' && before.token);
  });

  it('is signed out at the next request once an admin removes the member, and sync pauses', async () => {
    const userId = await invitedRep();
    const sync = service();
    expect((await sync.requestSync('user')).lastError).toBeNull();
    expect((await admin('/v1/admin/members/revoke', { userId })).status).toBe(200);
    const state = await sync.requestSync('alarm', { force: true });
    expect(state.authPaused).toBe(true);
    expect(state.lastError?.code).toBe('signed_out');
    // and stays paused: the next alarm does not even ask the server
    sent = [];
    await sync.requestSync('alarm');
    expect(sent).toEqual([]);
    expect((await readSyncState(db)).lastError?.code).toBe('signed_out');
  });

  it('is signed out when its refresh token no longer works (the session was ended while the access token expired)', async () => {
    const userId = await invitedRep();
    await admin('/v1/admin/members/revoke', { userId });
    const stored = await readKv(db, backendKv);
    await expect(refreshSession(db, stored?.mode === 'server' ? stored.token : '', throughApp, memoryLock())).rejects.toMatchObject({ code: 'signed_out' });
  });

  it('refreshes once when two contexts find the token expired together (the refresh token works once)', async () => {
    await invitedRep();
    const stored = await readKv(db, backendKv);
    const stale = stored?.mode === 'server' ? stored.token : '';
    const lock = memoryLock();
    const [a, b] = await Promise.all([refreshSession(db, stale, throughApp, lock), refreshSession(db, stale, throughApp, lock)]);
    expect(a).toBe(b);
    expect(sent.filter((p) => p === '/v1/auth/refresh')).toHaveLength(1);
  });
});
