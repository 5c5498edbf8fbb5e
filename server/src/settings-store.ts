import { DEFAULT_DEFINITION, SalDefinitionSchema, type SalDefinition } from '../../lib/domain/definition';
import type { PutSettingsRequest, SettingsResponse } from '../../lib/protocol/http';
import type { Principal } from './auth';
import { recordAudit } from './audit';
import { canonicalJson } from './canonical';
import { toIso, toNumber, type Database, type Queryable } from './db/types';

/** A stale `baseRevision`: someone saved the settings in between. */
export class SettingsConflictError extends Error {}

/** The team's settings; the built-in default definition (unmanaged) until an admin saves one. */
export async function getSettings(db: Queryable, teamId: string): Promise<SettingsResponse> {
  // one statement (every sync round starts with this read): the settings row, if any, and every stored definition
  const { rows } = await db.query<{ revision: unknown; active_version: unknown; updated_at: unknown; updated_by: string | null; definitions: unknown[] | string }>(
    `SELECT s.revision, s.active_version, s.updated_at, s.updated_by,
            (SELECT coalesce(jsonb_agg(d.body ORDER BY d.version), '[]'::jsonb) FROM definitions d WHERE d.team_id = $1) AS definitions
       FROM (SELECT 1) AS one LEFT JOIN settings s ON s.team_id = $1`,
    [teamId],
  );
  const row = rows[0]!;
  const bodies = typeof row.definitions === 'string' ? (JSON.parse(row.definitions) as unknown[]) : row.definitions;
  const all = bodies.map((body) => SalDefinitionSchema.parse(body));
  if (row.revision == null) return { revision: 0, managed: false, activeDefinition: DEFAULT_DEFINITION, definitions: all, updatedAt: null, updatedBy: null };
  const active = all.find((d) => d.version === toNumber(row.active_version));
  if (!active) throw new Error(`team ${teamId}: active definition ${String(row.active_version)} is missing`);
  return {
    revision: toNumber(row.revision),
    managed: true,
    activeDefinition: active,
    definitions: all,
    updatedAt: toIso(row.updated_at),
    updatedBy: row.updated_by,
  };
}

const contentOf = (d: SalDefinition) => canonicalJson({ ...d, version: 0 });

/**
 * The highest definition version the team has used anywhere: the built-in default's, its stored
 * definitions' and any an event was recorded under (a server from before this rule, or events
 * recorded against the default while the team had no settings).
 */
async function highestVersionInUse(tx: Queryable, teamId: string, definitions: readonly SalDefinition[]): Promise<number> {
  const { rows } = await tx.query<{ v: unknown }>("SELECT max((body->>'definitionVersion')::bigint) AS v FROM events WHERE team_id = $1", [teamId]);
  const inEvents = rows[0]?.v == null ? 0 : toNumber(rows[0].v);
  return Math.max(DEFAULT_DEFINITION.version, inEvents, ...definitions.map((d) => d.version));
}

/**
 * Makes `request.activeDefinition` the team's active definition. Stored versions never change
 * and numbers are never reused: a definition equal (apart from `version`) to a stored one
 * re-activates it; the built-in default's content is stored under its own number; anything else
 * is stored as a new version above every version the team has used (`highestVersionInUse`), so a
 * team's first saved definition never takes the number the default carries on earlier events.
 * Saving what is already active changes nothing.
 * @throws SettingsConflictError when `baseRevision` is not the stored revision.
 */
export async function putSettings(db: Database, principal: Principal, request: PutSettingsRequest, now: Date): Promise<SettingsResponse> {
  return db.transaction(async (tx) => {
    const saved = await putSettingsIn(tx, principal, request, now);
    if (saved.changed) {
      await recordAudit(tx, {
        teamId: principal.teamId,
        at: now,
        actor: { id: principal.userId, name: principal.userName },
        action: 'settings.saved',
        detail: { revision: saved.settings.revision, version: saved.settings.activeDefinition.version },
      });
    }
    return saved.settings;
  });
}

/** `putSettings` in a transaction; `changed` is false when what is asked is already active. */
async function putSettingsIn(tx: Queryable, principal: Principal, request: PutSettingsRequest, now: Date): Promise<{ settings: SettingsResponse; changed: boolean }> {
  // the team row lock serializes concurrent saves, including a team's very first one
  await tx.query('SELECT id FROM teams WHERE id = $1 FOR UPDATE', [principal.teamId]);
  const current = await getSettings(tx, principal.teamId);
  if (request.baseRevision !== undefined && request.baseRevision !== current.revision) {
    throw new SettingsConflictError(`settings are at revision ${current.revision}, not ${request.baseRevision}`);
  }
  const wanted = contentOf(request.activeDefinition);
  let version = current.definitions.find((d) => contentOf(d) === wanted)?.version;
  if (version !== undefined && current.managed && version === current.activeDefinition.version) return { settings: current, changed: false };
  const stored = new Set(current.definitions.map((d) => d.version));
  // the built-in default's content keeps its number (events made under it already say so)
  if (version === undefined && wanted === contentOf(DEFAULT_DEFINITION) && !stored.has(DEFAULT_DEFINITION.version)) version = DEFAULT_DEFINITION.version;
  if (version === undefined || !stored.has(version)) {
    version ??= (await highestVersionInUse(tx, principal.teamId, current.definitions)) + 1;
    const body: SalDefinition = { ...request.activeDefinition, version };
    await tx.query('INSERT INTO definitions (team_id, version, body, created_at, created_by) VALUES ($1, $2, $3::jsonb, $4, $5)', [
      principal.teamId,
      version,
      JSON.stringify(body),
      now.toISOString(),
      principal.userId,
    ]);
  }
  await tx.query(
    `INSERT INTO settings (team_id, revision, active_version, updated_at, updated_by) VALUES ($1, 1, $2, $3, $4)
       ON CONFLICT (team_id) DO UPDATE SET revision = settings.revision + 1, active_version = $2, updated_at = $3, updated_by = $4`,
    [principal.teamId, version, now.toISOString(), principal.userId],
  );
  return { settings: await getSettings(tx, principal.teamId), changed: true };
}

/** The definition version new server-made events are recorded under (1 until settings are saved). */
export async function activeDefinitionVersion(db: Queryable, teamId: string): Promise<number> {
  const { rows } = await db.query<{ active_version: unknown }>('SELECT active_version FROM settings WHERE team_id = $1', [teamId]);
  return rows[0] ? toNumber(rows[0].active_version) : DEFAULT_DEFINITION.version;
}
