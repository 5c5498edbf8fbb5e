import { ulid } from 'ulid';
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

const HOUR = 3_600_000;

/**
 * One lead's cycle as both alert benchmarks draw it: handed over by `marketer` at a random
 * instant of [`from`, `from + span`); then 5 % still pending, 10 % rejected 2 h later, the rest
 * accepted (2 h), contacted (20 h) and updated (100 h), and 70 % of all closed 400 h after the
 * hand-over (won or lost). Only the events up to `until` (the bench's "now"), in time order.
 */
export function leadCycle(
  rand: () => number,
  cycle: { leadKey: string; from: number; span: number; until: number; marketer: LeadEvent['actor']; rep: LeadEvent['actor']; handOver: object },
): LeadEvent[] {
  const { leadKey, marketer, rep } = cycle;
  const start = cycle.from + Math.floor(rand() * cycle.span);
  const steps: [string, number, object, LeadEvent['actor']][] = [['handed_over', start, cycle.handOver, marketer]];
  const r = rand();
  if (r < 0.05) {
    // still pending
  } else if (r < 0.15) {
    steps.push(['rejected', start + 2 * HOUR, { reasonCode: 'no_budget' }, rep]);
  } else {
    steps.push(['accepted', start + 2 * HOUR, { checklist: {}, temperature: 'warm' }, rep]);
    steps.push(['contacted', start + 20 * HOUR, { channel: 'call' }, rep]);
    steps.push(['progress_updated', start + 100 * HOUR, { note: '提案中' }, rep]);
    if (r < 0.85) steps.push([r < 0.4 ? 'won' : 'lost', start + 400 * HOUR, {}, rep]);
  }
  const out: LeadEvent[] = [];
  for (const [type, at, payload, actor] of steps) {
    if (at > cycle.until) break;
    const occurredAt = new Date(at).toISOString();
    out.push({ schemaVersion: 1, id: ulid(at), leadKey, actor, occurredAt, definitionVersion: 1, lead: { name: '山田 太郎', company: '株式会社サンプル' }, type, payload } as LeadEvent);
  }
  return out;
}
