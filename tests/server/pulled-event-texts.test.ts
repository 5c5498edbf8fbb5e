import { describe, expect, it } from 'vitest';
import { PullResponseSchema, PushResponseSchema } from '../../lib/protocol/http';
import { createApp } from '../../server/src/app';
import type { Database } from '../../server/src/db/index';
import { newEpoch } from '../../server/src/events-store';
import { createPulledEventTexts, RECENT_EVENTS } from '../../server/src/pulled-event-texts';
import { acceptedEvent, closingAfterEach } from './helpers';

const REP1 = 'demo-rep1-token';
const { server } = closingAfterEach();

describe('the texts one instance keeps', () => {
  it('gives back the kept seqs of a window as runs, and keeps nothing far below the last seq', () => {
    const kept = createPulledEventTexts();
    kept.keep('team', 'e1', 10, [
      [2, 'two'],
      [3, 'three'],
      [5, 'five'],
    ]);
    expect(kept.window('team', 1, 6)).toEqual({
      epoch: 'e1',
      highest: 5,
      runs: [
        [2, 3],
        [5, 5],
      ],
      texts: new Map([
        [2, 'two'],
        [3, 'three'],
        [5, 'five'],
      ]),
    });
    expect(kept.window('team', 3, 4).runs).toEqual([]);
    expect(kept.window('other', 0, 10).epoch).toBeNull();
    // a history pull far below the last seq is not kept
    kept.keep('team', 'e1', RECENT_EVENTS + 100, [[50, 'old']]);
    expect(kept.window('team', 49, 50).runs).toEqual([]);
  });

  it('forgets a team when its epoch changes or its last seq falls below a kept seq (a restore)', () => {
    const kept = createPulledEventTexts();
    kept.keep('team', 'e1', 10, [[9, 'nine']]);
    kept.keep('team', 'e2', 10, [[1, 'one']]);
    expect(kept.window('team', 0, 10)).toMatchObject({ epoch: 'e2', runs: [[1, 1]] });
    kept.keep('team', 'e2', 10, [[9, 'nine']]);
    kept.keep('team', 'e2', 5, [[2, 'two']]);
    expect(kept.window('team', 0, 10)).toMatchObject({ epoch: 'e2', highest: 2, runs: [[2, 2]] });
  });
});

/** A demo server whose database handle records the page text each pull statement returned. */
async function recordingServer() {
  const s = await server();
  const returned: string[] = [];
  const recording: Database = {
    ...s.db,
    async query<T>(sql: string, params?: unknown[]) {
      const result = await s.db.query<T>(sql, params);
      if (/string_agg/.test(sql)) returned.push(String((result.rows[0] as { events?: unknown } | undefined)?.events ?? ''));
      return result;
    },
  };
  const app = createApp({ db: recording, config: { rateLimit: false } });
  const path = (since: string, limit?: number) => `/v1/events?since=${encodeURIComponent(since)}${limit ? `&limit=${limit}` : ''}`;
  const pull = async (since = '', limit?: number) => {
    const res = await app.request(path(since, limit), { headers: { authorization: `Bearer ${REP1}` } });
    expect(res.status).toBe(200);
    return res.text();
  };
  /** The same pull from an instance that has kept nothing. */
  const fresh = async (since = '', limit?: number) => {
    const app2 = createApp({ db: s.db, config: { rateLimit: false } });
    return (await app2.request(path(since, limit), { headers: { authorization: `Bearer ${REP1}` } })).text();
  };
  const push = async (n: number) => {
    const res = await s.call(REP1, 'POST', '/v1/events', { events: Array.from({ length: n }, () => acceptedEvent()) });
    return PushResponseSchema.parse(await res.json()).results;
  };
  return { ...s, returned, pull, fresh, push };
}

describe('pulls reuse what this instance already had the database write', () => {
  it('answers the same bytes as an instance that kept nothing, and the database writes each event once', async () => {
    const s = await recordingServer();
    await s.push(3);
    const first = await s.pull();
    expect(PullResponseSchema.parse(JSON.parse(first)).events.map((e) => e.seq)).toEqual([1, 2, 3]);
    await s.push(2);
    const second = await s.pull();
    expect(second).toBe(await s.fresh());
    expect(PullResponseSchema.parse(JSON.parse(second)).events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    // the second time the database wrote only events 4 and 5; 1..3 came back as their seqs
    expect(s.returned[1]!.split('\n').map((e) => (e.startsWith('{') ? 'written' : e))).toEqual(['1', '2', '3', 'written', 'written']);
    // a cursor in the middle, and a page limit, cut the kept texts like the database's
    const since = PullResponseSchema.parse(JSON.parse(first)).nextCursor.replace(/\.3$/, '.1');
    const cut = await s.pull(since, 2);
    expect(cut).toBe(await s.fresh(since, 2));
    expect(PullResponseSchema.parse(JSON.parse(cut)).events.map((e) => e.seq)).toEqual([2, 3]);
  });

  it('shows the restored history after a restore with a new epoch, and after one without', async () => {
    const s = await recordingServer();
    await s.push(3);
    await s.pull();
    // a backup from before the last two events, then other events stored at their seqs
    await s.db.query("DELETE FROM events WHERE team_id = 'team_demo' AND seq > 1");
    await s.db.query("UPDATE teams SET last_seq = 1 WHERE id = 'team_demo'");
    expect(PullResponseSchema.parse(JSON.parse(await s.pull())).events.map((e) => e.seq)).toEqual([1]);
    const later = await s.push(2);
    expect(later.map((r) => r.seq)).toEqual([2, 3]);
    expect(await s.pull()).toBe(await s.fresh());
    await newEpoch(s.db);
    const restored = await s.pull();
    expect(restored).toBe(await s.fresh());
    expect(
      PullResponseSchema.parse(JSON.parse(restored))
        .events.slice(1)
        .map((e) => e.event.id),
    ).toEqual(later.map((r) => r.id));
  });
});
