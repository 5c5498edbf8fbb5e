import { LOCAL_ACTOR_PREFIX, LeadEventSchema, type LeadEvent } from '../../lib/domain/events';
import type { PushResult } from '../../lib/protocol/http';
import type { Principal } from './auth';
import { toIso, toNumber, type Database } from './db/types';

/** Explains the first problem zod found, with its path, in one line. */
export function describeIssue(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

function idOf(item: unknown): string {
  if (item && typeof item === 'object' && 'id' in item && typeof item.id === 'string') return item.id.slice(0, 100);
  return '';
}

/**
 * Validates each pushed item on its own (schema; actor = the caller or a local-only actor) and stores the valid ones for the caller's team in one
 * transaction: the team's counter is bumped by the number of candidates (row lock: commits of a
 * team are serialized, so sequences become visible in order), then one multi-row
 * `INSERT … ON CONFLICT DO NOTHING`. Ids already stored (or repeated in the batch) are
 * `duplicate` with their stored seq. Sequences skipped by duplicates leave gaps, which pulls
 * do not mind. Results are in input order.
 */
export async function ingestEvents(db: Database, principal: Principal, items: readonly unknown[], receivedAt: Date): Promise<PushResult[]> {
  const results: PushResult[] = new Array(items.length);
  const candidates: { index: number; event: LeadEvent }[] = [];
  const firstIndex = new Map<string, number>();
  items.forEach((item, index) => {
    const parsed = LeadEventSchema.safeParse(item);
    if (!parsed.success) {
      results[index] = { id: idOf(item), status: 'rejected', reason: describeIssue(parsed.error) };
      return;
    }
    // a token records decisions in its own user's name only (or a local-only actor's, see LOCAL_ACTOR_PREFIX)
    const actorId = parsed.data.actor.id;
    if (actorId !== principal.userId && !actorId.startsWith(LOCAL_ACTOR_PREFIX)) {
      results[index] = { id: parsed.data.id, status: 'rejected', reason: `actor_mismatch: actor.id ${JSON.stringify(actorId.slice(0, 100))} is not the signed-in user` };
      return;
    }
    if (firstIndex.has(parsed.data.id)) {
      results[index] = { id: parsed.data.id, status: 'duplicate' };
      return;
    }
    firstIndex.set(parsed.data.id, index);
    candidates.push({ index, event: parsed.data });
  });
  if (candidates.length === 0) return results;

  const committed = await db.transaction(async (tx) => {
    const bumped = await tx.query<{ last_seq: unknown }>('UPDATE teams SET last_seq = last_seq + $2 WHERE id = $1 RETURNING last_seq', [principal.teamId, candidates.length]);
    const last = bumped.rows[0];
    if (!last) throw new Error(`team ${principal.teamId} does not exist`);
    const base = toNumber(last.last_seq) - candidates.length;
    const inserted = await tx.query<{ id: string; seq: unknown }>(
      `INSERT INTO events (team_id, seq, id, lead_key, type, actor_id, occurred_at, received_at, body, submitted_by)
       SELECT $1, $2::bigint + e.ord, e.v->>'id', e.v->>'leadKey', e.v->>'type', e.v->'actor'->>'id',
              (e.v->>'occurredAt')::timestamptz, $3::timestamptz, e.v, $4
         FROM jsonb_array_elements($5::jsonb) WITH ORDINALITY AS e(v, ord)
       ON CONFLICT (team_id, id) DO NOTHING
       RETURNING id, seq`,
      [principal.teamId, base, receivedAt.toISOString(), principal.userId, JSON.stringify(candidates.map((c) => c.event))],
    );
    const seqs = new Map<string, { seq: number; fresh: boolean }>();
    for (const row of inserted.rows) seqs.set(row.id, { seq: toNumber(row.seq), fresh: true });
    if (seqs.size < candidates.length) {
      const missing = candidates.filter((c) => !seqs.has(c.event.id)).map((c) => c.event.id);
      const existing = await tx.query<{ id: string; seq: unknown }>('SELECT id, seq FROM events WHERE team_id = $1 AND id = ANY($2::text[])', [principal.teamId, missing]);
      for (const row of existing.rows) seqs.set(row.id, { seq: toNumber(row.seq), fresh: false });
    }
    return { seqs, base };
  });
  await refreshPlannerStatistics(db, committed.base, committed.base + candidates.length);
  const stored = committed.seqs;

  for (const { index, event } of candidates) {
    const hit = stored.get(event.id);
    results[index] = hit ? { id: event.id, status: hit.fresh ? 'accepted' : 'duplicate', seq: hit.seq } : { id: event.id, status: 'duplicate' };
  }
  // repeats inside the batch report the seq of their first occurrence
  results.forEach((r, i) => {
    if (r.status === 'duplicate' && r.seq === undefined && firstIndex.get(r.id) !== i) {
      const seq = stored.get(r.id)?.seq;
      if (seq !== undefined) r.seq = seq;
    }
  });
  return results;
}

const ANALYZE_EVERY = 5000;

/**
 * PGlite runs no autovacuum, so without fresh statistics the planner believes the events table is
 * tiny and sorts a team's whole remaining history for every pull page (200 ms a page at 100,000
 * events instead of 15). Re-analyze whenever a team's sequence crosses a multiple of 5,000.
 * PostgreSQL's autovacuum does this on its own.
 */
async function refreshPlannerStatistics(db: Database, fromSeq: number, toSeq: number): Promise<void> {
  if (db.kind !== 'pglite') return;
  if (Math.floor(toSeq / ANALYZE_EVERY) > Math.floor(fromSeq / ANALYZE_EVERY)) await db.query('ANALYZE events');
}

/** Cursor ↔ seq. The cursor is opaque to clients; today it is the last seq they received. */
export function encodeCursor(seq: number): string {
  return String(seq);
}

/** @returns the seq after which to read, or null when the cursor is not one this server issued. */
export function decodeCursor(cursor: string | undefined): number | null {
  if (cursor === undefined || cursor === '') return 0;
  if (!/^\d{1,15}$/.test(cursor)) return null;
  return Number(cursor);
}

/**
 * One page of the team's events after `afterSeq`, in seq order, serialized straight to the
 * response JSON: the stored body is already a validated event, so it is spliced in as text
 * instead of being parsed and re-stringified (pulls of 100,000 events are the hot path).
 */
export async function pullEventsJson(db: Database, teamId: string, afterSeq: number, limit: number): Promise<string> {
  const { rows } = await db.query<{ seq: unknown; received_at: unknown; body: string }>(
    'SELECT seq, received_at, body::text AS body FROM events WHERE team_id = $1 AND seq > $2 ORDER BY team_id, seq LIMIT $3',
    [teamId, afterSeq, limit + 1],
  );
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  const nextCursor = encodeCursor(last ? toNumber(last.seq) : afterSeq);
  const events = page.map((r) => `{"seq":${toNumber(r.seq)},"receivedAt":"${toIso(r.received_at)}","event":${r.body}}`);
  return `{"events":[${events.join(',')}],"nextCursor":${JSON.stringify(nextCursor)},"hasMore":${hasMore}}`;
}
