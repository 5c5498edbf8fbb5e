import { ulid } from 'ulid';
import type { AUDIT_ACTIONS, AuditEntry } from '../../lib/protocol/http';
import { toIso, type Queryable } from './db/types';

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Appends one entry to the team's audit log: who (`actor`, null id for the server itself), what
 * (`action`, `target`, `detail`), when (`at`). Call it in the transaction of the change it records,
 * so there is never a change without its entry nor an entry without its change.
 */
export async function recordAudit(
  tx: Queryable,
  entry: { teamId: string; at: Date; actor: { id: string | null; name: string }; action: AuditAction; target?: string | null; detail?: Record<string, unknown> },
): Promise<void> {
  await tx.query('INSERT INTO audit_log (id, team_id, at, actor_id, actor_name, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)', [
    ulid(entry.at.getTime()),
    entry.teamId,
    entry.at.toISOString(),
    entry.actor.id,
    entry.actor.name,
    entry.action,
    entry.target ?? null,
    JSON.stringify(entry.detail ?? {}),
  ]);
}

/** The team's audit log, newest first. */
export async function listAudit(db: Queryable, teamId: string, limit: number): Promise<AuditEntry[]> {
  const { rows } = await db.query<{ id: string; at: unknown; actor_id: string | null; actor_name: string; action: AuditAction; target: string | null; detail: unknown }>(
    'SELECT id, at, actor_id, actor_name, action, target, detail FROM audit_log WHERE team_id = $1 ORDER BY at DESC, id DESC LIMIT $2',
    [teamId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    at: toIso(r.at),
    actor: { id: r.actor_id, name: r.actor_name },
    action: r.action,
    target: r.target,
    detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : (r.detail ?? {})) as Record<string, unknown>,
  }));
}
