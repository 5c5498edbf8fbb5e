import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { LeadEventSchema, LeadSnapshotSchema, type LeadEvent } from '../../lib/domain/events';
import { makeLeadKey } from '../../lib/domain/lead-key';
import { HandoffItemSchema, type HandoffResult } from '../../lib/protocol/http';
import type { Principal } from './auth';
import { parseCsv } from './csv';
import type { Database } from './db/types';
import { describeIssue, ingestEvents } from './events-store';
import { activeDefinitionVersion } from './settings-store';

const LEAD_COLUMNS = Object.keys(LeadSnapshotSchema.shape);
/** CSV columns of the item's rationale (a CSV row is flat): column → rationale key. */
const RATIONALE_COLUMNS: Readonly<Record<string, string>> = { why: 'why', rationaleScore: 'score', intentTopic: 'intentTopic' };

/**
 * CSV rows → hand-off items: the item's own columns (`crm`, `recordId`, `by`, `owner`, `source`,
 * `campaign`, `score`, `note`, `handedOverAt`), the rationale's (`why`, `rationaleScore`,
 * `intentTopic`) and the lead snapshot's (`name`, `company`, `title`, `email`, `phone`,
 * `leadSource`, `status`, `url`). Empty cells count as absent; a `sourceKind` column is ignored
 * (a CSV hand-off is recorded as `csv`).
 * @throws Error when the CSV cannot be parsed.
 */
export function handoffItemsFromCsv(text: string): Record<string, unknown>[] {
  return parseCsv(text).map((row) => {
    const item: Record<string, unknown> = {};
    const lead: Record<string, string> = {};
    const rationale: Record<string, string> = {};
    for (const [column, raw] of Object.entries(row)) {
      const value = raw.trim();
      if (value === '' || column === 'sourceKind') continue;
      const rationaleKey = RATIONALE_COLUMNS[column];
      if (LEAD_COLUMNS.includes(column)) lead[column] = value;
      else if (rationaleKey) rationale[rationaleKey] = value;
      else item[column] = value;
    }
    if (Object.keys(lead).length > 0) item.lead = lead;
    if (Object.keys(rationale).length > 0) item.rationale = rationale;
    return item;
  });
}

/**
 * A ULID whose time is the hand-off's and whose random part comes from (team, lead, time): the
 * same hand-off always gets the same id, so the events table's unique id makes intake
 * idempotent, even for two requests racing each other.
 */
function handoffId(teamId: string, leadKey: string, atMs: number): string {
  const digest = createHash('sha256').update(`${teamId}\n${leadKey}\n${atMs}`).digest();
  let i = 0;
  return ulid(atMs, () => (digest[i++ % digest.length] ?? 0) / 256);
}

/**
 * Creates a `handed_over` event per valid item, acting as the caller. Idempotent on
 * (lead, `handedOverAt`); an item without `handedOverAt` is handed over now unless the lead
 * already has a hand-off (then `duplicate`). Results are in input order. `via`: how the items
 * came (`csv` upload or JSON `api`); a JSON item may say it comes from an `agent`.
 */
export async function intakeHandoffs(db: Database, principal: Principal, items: readonly unknown[], now: Date, via: 'csv' | 'api' = 'api'): Promise<HandoffResult[]> {
  const results: HandoffResult[] = new Array(items.length);
  const definitionVersion = await activeDefinitionVersion(db, principal.teamId);
  const events: { index: number; event: LeadEvent }[] = [];
  const undated: { index: number; leadKey: string }[] = [];

  items.forEach((raw, index) => {
    const parsed = HandoffItemSchema.safeParse(raw);
    if (!parsed.success) {
      results[index] = { index, status: 'rejected', reason: `invalid: ${describeIssue(parsed.error)}` };
      return;
    }
    const item = parsed.data;
    let leadKey: string;
    try {
      leadKey = makeLeadKey(item.crm, item.recordId);
    } catch (error) {
      results[index] = { index, status: 'rejected', reason: `invalid: ${error instanceof Error ? error.message : String(error)}` };
      return;
    }
    const atMs = item.handedOverAt ? Date.parse(item.handedOverAt) : now.getTime();
    const event = LeadEventSchema.safeParse({
      schemaVersion: 1,
      id: item.handedOverAt ? handoffId(principal.teamId, leadKey, atMs) : ulid(atMs),
      leadKey,
      actor: { id: principal.userId, name: principal.userName },
      occurredAt: item.handedOverAt ?? now.toISOString(),
      definitionVersion,
      ...(item.lead ? { lead: item.lead } : {}),
      type: 'handed_over',
      payload: {
        by: item.by,
        owner: item.owner,
        source: item.source,
        campaign: item.campaign,
        score: item.score,
        note: item.note,
        sourceKind: via === 'csv' ? 'csv' : (item.sourceKind ?? 'api'),
        ...(item.rationale ? { rationale: item.rationale } : {}),
      },
    });
    if (!event.success) {
      results[index] = { index, status: 'rejected', leadKey, reason: `invalid: ${describeIssue(event.error)}` };
      return;
    }
    events.push({ index, event: event.data });
    if (!item.handedOverAt) undated.push({ index, leadKey });
  });

  // An undated hand-off of a lead that already has one (stored, or earlier in this batch) is a repeat.
  if (undated.length > 0) {
    const { rows } = await db.query<{ lead_key: string; id: string }>(
      "SELECT DISTINCT ON (lead_key) lead_key, id FROM events WHERE team_id = $1 AND type = 'handed_over' AND lead_key = ANY($2::text[]) ORDER BY lead_key, seq",
      [principal.teamId, undated.map((u) => u.leadKey)],
    );
    const handed = new Map(rows.map((r) => [r.lead_key, r.id]));
    const undatedIndexes = new Set(undated.map((u) => u.index));
    for (let k = events.length - 1; k >= 0; k--) {
      const candidate = events[k];
      if (!candidate || !undatedIndexes.has(candidate.index)) continue;
      const key = candidate.event.leadKey;
      const earlier = events.find((e, j) => j < k && e.event.leadKey === key);
      const existing = handed.get(key) ?? earlier?.event.id;
      if (existing) {
        results[candidate.index] = { index: candidate.index, status: 'duplicate', id: existing, leadKey: key };
        events.splice(k, 1);
      }
    }
  }

  const stored = await ingestEvents(
    db,
    principal,
    events.map((e) => e.event),
    now,
    { intake: true },
  );
  events.forEach(({ index, event }, k) => {
    const r = stored[k];
    results[index] = {
      index,
      status: r?.status ?? 'rejected',
      id: event.id,
      leadKey: event.leadKey,
      ...(r?.seq !== undefined ? { seq: r.seq } : {}),
      ...(r?.reason ? { reason: r.reason } : {}),
    };
  });
  return results;
}
