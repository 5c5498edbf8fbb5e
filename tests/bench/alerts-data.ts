import type { LeadEvent } from '../../lib/domain/events';
import type { Database } from '../../server/src/db/index';

// What the two alert benchmarks (`alerts.bench.ts`, `alert-digest.bench.ts`) share: the same
// deterministic random numbers and the same way of filling the demo team's event table.

/** Deterministic pseudo-random numbers so every run measures the same data. */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * Stores events for the demo team directly, in the order given, with their server sequence and
 * receive time (ingest is measured by `server.bench.ts`), then analyses the tables.
 */
export async function storeEvents(db: Database, rows: readonly { event: LeadEvent; receivedAt: string }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const params: unknown[] = [];
    const values = rows.slice(i, i + 500).map(({ event: e, receivedAt }, k) => {
      params.push('team_demo', i + k + 1, e.id, e.leadKey, e.type, e.actor.id, e.occurredAt, receivedAt, JSON.stringify(e), e.actor.id);
      const p = k * 10;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7}, $${p + 8}, $${p + 9}::jsonb, $${p + 10})`;
    });
    await db.query(`INSERT INTO events (team_id, seq, id, lead_key, type, actor_id, occurred_at, received_at, body, submitted_by) VALUES ${values.join(',')}`, params);
  }
  await db.query('UPDATE teams SET last_seq = $1 WHERE id = $2', [rows.length, 'team_demo']);
  await db.query('ANALYZE');
}
