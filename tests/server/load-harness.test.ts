import { describe, expect, it } from 'vitest';
import { runServer } from '../../server/src/node';
import { loadReps, pushHistory, runLoad, seedLoadTeam } from '../bench/load/harness';
import { countRows, sharedDatabase } from './helpers';

/**
 * The load bench's harness (`npm run bench`, tests/bench/load.bench.ts) on a small scale: its
 * requests are the protocol's (every answer 200, not 400 or 401), the pushes it counts as
 * accepted are the events the server stored, and its order check sees every pulled page.
 */
describe('load harness', () => {
  it('drives valid sync rounds and decision bursts and counts what the server stored', async () => {
    const database = await sharedDatabase();
    const reps = loadReps(20);
    await seedLoadTeam(database.first, reps);
    await seedLoadTeam(database.first, reps); // idempotent: the bench's instances may both seed
    const server = await runServer({ db: await database.open(), port: 0, hostname: '127.0.0.1', config: { rateLimit: false } });
    const url = `http://127.0.0.1:${server.port}`;
    try {
      await pushHistory(url, reps, 300);
      const result = await runLoad({ urls: [url, url], reps, durationS: 3, syncIntervalS: 1, burstEveryS: 1, burstPushes: 10, burstConnections: 2, syncConnections: 4 });
      expect(result.sync.requests).toBeGreaterThan(20);
      expect(result.push.requests).toBeGreaterThanOrEqual(30);
      expect(result.push.requests % 10).toBe(0);
      expect([result.sync.non2xx, result.sync.errors, result.push.non2xx, result.push.errors, result.outOfOrder]).toEqual([0, 0, 0, 0, 0]);
      expect(result.sync.p99Ms).toBeGreaterThanOrEqual(result.sync.p50Ms);
      expect(await countRows(database.first, 'SELECT 1 FROM events')).toBe(300 + result.accepted);
      expect(result.accepted).toBeGreaterThanOrEqual(result.push.requests);
    } finally {
      await server.close();
      await database.close();
    }
  });
});
