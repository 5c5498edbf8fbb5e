import { crmHealth, READ_HEALTH_WINDOW_DAYS, readDay, shiftDay, sumByDay, type ReadCounts, type ReadHealthDay } from '../../../lib/domain/read-health';
import type { CrmId } from '../../../lib/domain/lead-key';
import type { CrmReadHealth } from '../../../lib/protocol/read-health';
import type { Principal } from '../auth';
import { toIso, toNumber, type Queryable } from '../db/types';

/**
 * The team's read health in the database (`read_health`, migration 007): each member's days as
 * their browser posted them, and the per-CRM view an admin reads. Days are UTC calendar days.
 */

/** The days a post may name at `now`: the kept window up to today, and tomorrow (a browser's clock a little ahead). */
export function acceptedDays(now: Date): { from: string; to: string } {
  const today = readDay(now.getTime());
  return { from: shiftDay(today, -(READ_HEALTH_WINDOW_DAYS - 1)), to: shiftDay(today, 1) };
}

/**
 * Stores the caller's days, each replacing what the caller posted for the same CRM, page kind and
 * day (a browser posts its day again as it grows). Always the caller's own team and user: the
 * body names neither. Days outside `acceptedDays` are ignored. One statement.
 */
export async function storeReadHealth(db: Queryable, principal: Principal, days: readonly ReadHealthDay[], now: Date): Promise<{ stored: number; ignored: number }> {
  const { from, to } = acceptedDays(now);
  const kept = days.filter((d) => d.day >= from && d.day <= to);
  if (kept.length > 0) {
    await db.query(
      `INSERT INTO read_health (team_id, user_id, crm, page, day, reads, ok, partial, failing, missing, first_failing_at, adapter_versions, strategies, releases, updated_at)
       SELECT $1, $2, d->>'crm', d->>'page', (d->>'day')::date, (d->>'reads')::int, (d->>'ok')::int, (d->>'partial')::int, (d->>'failing')::int,
              d->'missing', (d->>'firstFailingAt')::timestamptz, d->'adapterVersions', d->'strategies', d->'releases', $3
         FROM jsonb_array_elements($4::jsonb) AS d
       ON CONFLICT (team_id, user_id, crm, page, day) DO UPDATE SET
         reads = EXCLUDED.reads, ok = EXCLUDED.ok, partial = EXCLUDED.partial, failing = EXCLUDED.failing, missing = EXCLUDED.missing,
         first_failing_at = EXCLUDED.first_failing_at, adapter_versions = EXCLUDED.adapter_versions, strategies = EXCLUDED.strategies,
         releases = EXCLUDED.releases, updated_at = EXCLUDED.updated_at`,
      // one row per key: a body naming a day twice keeps the last (ON CONFLICT cannot touch a row twice)
      [principal.teamId, principal.userId, now.toISOString(), JSON.stringify([...new Map(kept.map((d) => [`${d.crm}|${d.page}|${d.day}`, d])).values()])],
    );
  }
  return { stored: new Set(kept.map((d) => `${d.crm}|${d.page}|${d.day}`)).size, ignored: days.length - kept.length };
}

interface Row {
  crm: CrmId;
  user_id: string;
  day: string;
  reads: unknown;
  ok: unknown;
  partial: unknown;
  failing: unknown;
  missing: Record<string, number>;
  first_failing_at: unknown;
  adapter_versions: Record<string, number>;
}

/** The team's rows from `from` (a UTC day) on, optionally of some CRMs only. */
async function rowsSince(db: Queryable, teamId: string, from: string, crms?: readonly string[]): Promise<Row[]> {
  const { rows } = await db.query<Row>(
    `SELECT crm, user_id, day::text AS day, reads, ok, partial, failing, missing, first_failing_at, adapter_versions
       FROM read_health WHERE team_id = $1 AND day >= $2::date AND ($3::text[] IS NULL OR crm = ANY($3::text[]))`,
    [teamId, from, crms ?? null],
  );
  return rows;
}

/** One CRM's rows summed per day, oldest first. */
function countsOf(rows: readonly Row[]): ReadCounts[] {
  return sumByDay(
    rows.map((r) => ({
      day: r.day,
      reads: toNumber(r.reads),
      ok: toNumber(r.ok),
      partial: toNumber(r.partial),
      failing: toNumber(r.failing),
      missing: r.missing,
      firstFailingAt: r.first_failing_at == null ? null : toIso(r.first_failing_at),
    })),
  );
}

function byCrm(rows: readonly Row[]): Map<CrmId, Row[]> {
  const out = new Map<CrmId, Row[]>();
  for (const r of rows) out.set(r.crm, [...(out.get(r.crm) ?? []), r]);
  return out;
}

/** One CRM's days summed over members and page kinds, oldest first, from `from` on. */
export async function crmDays(db: Queryable, teamId: string, crm: CrmId, from: string): Promise<ReadCounts[]> {
  return countsOf(await rowsSince(db, teamId, from, [crm]));
}

/**
 * Each CRM the team's browsers have read in the kept window, as the admin page shows it (see
 * `crmHealth`), in CRM order.
 */
export async function readHealthSummary(db: Queryable, teamId: string, now: Date): Promise<CrmReadHealth[]> {
  const rows = await rowsSince(db, teamId, acceptedDays(now).from);
  const out: CrmReadHealth[] = [];
  for (const [crm, own] of [...byCrm(rows)].sort(([a], [b]) => a.localeCompare(b))) {
    const health = crmHealth(countsOf(own));
    if (!health) continue;
    const lastDay = own.filter((r) => r.day === health.day && toNumber(r.reads) > 0);
    const versions = new Map<string, number>();
    for (const r of lastDay) for (const [version, n] of Object.entries(r.adapter_versions)) versions.set(version, (versions.get(version) ?? 0) + n);
    out.push({
      crm,
      ...health,
      members: new Set(lastDay.map((r) => r.user_id)).size,
      adapterVersions: [...versions].sort(([va, a], [vb, b]) => b - a || va.localeCompare(vb)).map(([version]) => version),
    });
  }
  return out;
}
