import type { AdapterDescription } from '../../lib/crm/description';
import { AdapterDescriptionSchema } from '../../lib/protocol/adapter-description';
import type { Principal } from './auth';
import { recordAudit } from './audit';
import type { Database, Queryable } from './db/types';

// The team's adapter descriptions (`/v1/adapters`, issue 16): what an admin sets to mend a
// built-in CRM adapter without an extension release. Validated by the route's schema on the way
// in (data only) and again on the way out (a row from an older server version is skipped, not
// served broken).

/** A description whose version is not above the stored one's for its UI: versions only go up. */
export class StaleAdapterVersionError extends Error {
  constructor(readonly stored: number) {
    super(`version must be above ${stored}`);
  }
}

/** The team's descriptions, one per UI. */
export async function getAdapterDescriptions(db: Queryable, teamId: string): Promise<AdapterDescription[]> {
  const { rows } = await db.query<{ body: unknown }>('SELECT body FROM adapter_descriptions WHERE team_id = $1 ORDER BY ui', [teamId]);
  return rows.flatMap((r) => {
    const parsed = AdapterDescriptionSchema.safeParse(r.body);
    return parsed.success ? [parsed.data] : [];
  });
}

/**
 * Stores `description` as the team's for its UI, with its audit entry (`adapter.saved`: which UI,
 * the version before and after) in the same transaction: a changed selector changes what every
 * browser of the team reads, so who changed it and when must be on record.
 * @throws StaleAdapterVersionError when the stored description of that UI has the same or a higher version
 */
export async function putAdapterDescription(db: Database, principal: Principal, description: AdapterDescription, now: Date): Promise<AdapterDescription> {
  return db.transaction(async (tx) => {
    const before = await tx.query<{ version: unknown }>('SELECT version FROM adapter_descriptions WHERE team_id = $1 AND ui = $2 FOR UPDATE', [principal.teamId, description.ui]);
    const stored = before.rows[0] ? Number(before.rows[0].version) : null;
    if (stored !== null && stored >= description.version) throw new StaleAdapterVersionError(stored);
    // The version check stays in the write too: the row lock above serialises saves over a stored
    // row, but two first saves of a UI meet only at the primary key, and the later one must not
    // replace a higher version.
    const { rows } = await tx.query(
      `INSERT INTO adapter_descriptions (team_id, ui, version, body, updated_at, updated_by)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6)
       ON CONFLICT (team_id, ui) DO UPDATE SET version = EXCLUDED.version, body = EXCLUDED.body, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
         WHERE adapter_descriptions.version < EXCLUDED.version
       RETURNING version`,
      [principal.teamId, description.ui, description.version, JSON.stringify(description), now, principal.userId],
    );
    if (rows.length === 0) {
      const again = await tx.query<{ version: unknown }>('SELECT version FROM adapter_descriptions WHERE team_id = $1 AND ui = $2', [principal.teamId, description.ui]);
      throw new StaleAdapterVersionError(Number(again.rows[0]?.version ?? 0));
    }
    await recordAudit(tx, {
      teamId: principal.teamId,
      at: now,
      actor: { id: principal.userId, name: principal.userName },
      action: 'adapter.saved',
      target: description.ui,
      detail: { ui: description.ui, from: stored, to: description.version },
    });
    return description;
  });
}
