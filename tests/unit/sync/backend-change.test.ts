import { beforeEach, describe, expect, it } from 'vitest';
import { SalDatabase } from '../../../lib/db/schema';
import { eventsForLead, recordLocalEvent } from '../../../lib/db/events-repo';
import { writeKv } from '../../../lib/db/kv';
import { backendKv } from '../../../lib/settings/backend';
import { createSyncService, type SyncService } from '../../../lib/background/sync-service';
import { foldLead, type LeadEvent, type SequencedEvent } from '../../../lib/domain';
import { accepted, handedOver, LEAD, MARKETER } from '../domain/builders';

/**
 * Saving the backend settings, as a user does after a 401 (same URL, new token), when moving to
 * another team's server, and back. A tiny multi-team server stands behind `fetch`: each URL
 * holds teams, each token belongs to one user in one team.
 */

interface Team {
  id: string;
  name: string;
  events: SequencedEvent[];
}
const teams = new Map<string, Team>();
/** token → [url, team id, user] */
const tokens = new Map<string, { url: string; team: string; user: { id: string; name: string } }>();
let pullsSince: Array<string | null>;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const serverFetch: typeof fetch = async (input, init) => {
  const url = new URL(String(input));
  const who = tokens.get(String(new Headers(init?.headers).get('authorization')).replace('Bearer ', ''));
  if (!who || who.url !== url.origin) return json({ error: { code: 'unauthorized', message: 'no' } }, 401);
  const team = teams.get(`${who.url}#${who.team}`)!;
  if (url.pathname === '/v1/me') return json({ user: who.user, team: { id: team.id, name: team.name }, role: 'rep' });
  if (url.pathname === '/v1/settings') return json({ error: { code: 'not_found', message: 'no settings here' } }, 404);
  if (init?.method === 'POST') {
    const { events } = JSON.parse(String(init.body)) as { events: LeadEvent[] };
    return json({
      results: events.map((e) => {
        const have = team.events.find((s) => s.event.id === e.id);
        if (have) return { id: e.id, status: 'duplicate', seq: have.seq, receivedAt: have.receivedAt };
        const stored = { seq: team.events.length + 1, receivedAt: '2026-11-24T00:59:00.000Z', event: e };
        team.events.push(stored);
        return { id: e.id, status: 'accepted', seq: stored.seq, receivedAt: stored.receivedAt };
      }),
    });
  }
  const since = url.searchParams.get('since');
  pullsSince.push(since);
  const from = since ? Number(since) : 0;
  const page = team.events.filter((e) => e.seq > from);
  return json({ events: page, nextCursor: String(page.at(-1)?.seq ?? from), hasMore: false });
};

const A = 'https://a.sal.test';
const B = 'https://b.sal.test';
const REP = { id: 'u-rep-a', name: '田中' };
let db: SalDatabase;
let n = 0;
let clock: number;

function service(): SyncService {
  let tail: Promise<unknown> = Promise.resolve();
  return createSyncService({
    db,
    now: () => clock,
    random: () => 0.5,
    fetch: serverFetch,
    onLeadsChanged: () => undefined,
    onSynced: () => undefined,
    runExclusive: (fn) => {
      const run = tail.then(fn, fn);
      tail = run.catch(() => undefined);
      return run;
    },
  });
}

/** What the options page does on save: store the config, tell the background. */
async function save(s: SyncService, url: string, token: string) {
  await writeKv(db, backendKv, { mode: 'server', url, token });
  await s.backendChanged();
}

const statusOf = async (leadKey = LEAD) => foldLead(await eventsForLead(db, leadKey)).status;

beforeEach(async () => {
  db = new SalDatabase(`backend-change-${n++}`);
  clock = Date.parse('2026-11-24T01:00:00Z');
  pullsSince = [];
  teams.clear();
  tokens.clear();
  for (const [url, id, name] of [
    [A, 'team-a', 'チームA'],
    [A, 'team-a2', 'チームA2'],
    [B, 'team-b', 'チームB'],
  ] as const)
    teams.set(`${url}#${id}`, { id, name, events: [] });
  tokens.set('a-old', { url: A, team: 'team-a', user: REP });
  tokens.set('a-new', { url: A, team: 'team-a', user: REP });
  tokens.set('a2', { url: A, team: 'team-a2', user: REP });
  tokens.set('b', { url: B, team: 'team-b', user: REP });
  // the team's history: the marketer handed the lead over, a teammate accepted it
  const teamA = teams.get(`${A}#team-a`)!;
  teamA.events.push({ seq: 1, receivedAt: '2026-11-24T00:00:10.000Z', event: handedOver({ at: '2026-11-24T00:00:00Z', actor: MARKETER }) });
  teamA.events.push({ seq: 2, receivedAt: '2026-11-24T00:10:10.000Z', event: accepted({ at: '2026-11-24T00:10:00Z', actor: { id: 'u-rep-b', name: '鈴木' } }) });
});

describe('re-saving the backend', () => {
  it('same URL, new token (the remedy after a 401): statuses and sequences stay, sync resumes from the cursor', async () => {
    const s = service();
    await save(s, A, 'a-old');
    expect(await statusOf()).toBe('accepted');
    clock += 60_000;
    await save(s, A, 'a-new');
    clock += 60_000;
    await s.requestSync('alarm', { force: true });
    // a teammate's accepted lead still reads as accepted, not pending or overdue
    expect(await statusOf()).toBe('accepted');
    expect((await db.events.toArray()).map((e) => e.seq).sort()).toEqual([1, 2]);
    // nothing was pulled from the start again: the cursor was kept
    expect(pullsSince).toEqual([null, '2', '2']);
  });

  it('same URL, a token of another team: that team gets none of the first team’s decisions, and back again restores them', async () => {
    const s = service();
    await save(s, A, 'a-old');
    const mine = accepted({ at: '2026-11-24T00:50:00Z', leadKey: 'custom:lead-2', actor: REP });
    await recordLocalEvent(db, mine, clock);
    // offline while deciding: the decision is still only here when the token is replaced
    await save(s, A, 'a2');
    expect(teams.get(`${A}#team-a2`)!.events).toEqual([]);
    expect(await db.events.count()).toBe(0);
    expect(await statusOf()).not.toBe('accepted');
    await save(s, A, 'a-old');
    expect(await statusOf()).toBe('accepted');
    expect(teams.get(`${A}#team-a`)!.events.map((e) => e.event.id)).toContain(mine.id);
  });

  it('another URL: the old team’s decisions are not uploaded there nor shown, and switching back restores them', async () => {
    const s = service();
    await save(s, A, 'a-old');
    const unsent = accepted({ at: '2026-11-24T00:50:00Z', leadKey: 'custom:lead-2', actor: REP });
    await recordLocalEvent(db, unsent, clock);
    const teamB = teams.get(`${B}#team-b`)!;
    teamB.events.push({ seq: 1, receivedAt: '2026-11-24T00:00:00.000Z', event: handedOver({ at: '2026-11-24T00:00:00Z', actor: MARKETER, leadKey: 'custom:lead-b' }) });
    await save(s, B, 'b');
    expect(teamB.events.map((e) => e.event.leadKey)).toEqual(['custom:lead-b']);
    expect((await db.events.toArray()).map((e) => e.leadKey)).toEqual(['custom:lead-b']);
    await save(s, A, 'a-old');
    expect(await statusOf()).toBe('accepted');
    expect(teams.get(`${A}#team-a`)!.events.map((e) => e.event.id)).toContain(unsent.id);
    expect((await db.events.toArray()).map((e) => e.leadKey).sort()).toEqual([LEAD, LEAD, 'custom:lead-2'].sort());
  });

  it('decisions made in local mode before the first sign-in go to the first team', async () => {
    const s = service();
    const early = accepted({ at: '2026-11-24T00:50:00Z', leadKey: 'custom:lead-2', actor: { id: 'local-01JD000000000000000000000', name: '' } });
    await recordLocalEvent(db, early, clock);
    await save(s, B, 'b');
    expect(teams.get(`${B}#team-b`)!.events.map((e) => e.event.id)).toEqual([early.id]);
  });
});
