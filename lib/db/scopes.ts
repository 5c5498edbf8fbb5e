import { z } from 'zod';
import type { SalDatabase } from './schema';
import { defineKvItem, readKv, writeKv } from './kv';

/**
 * Which backend and team the rows in `events` and `outbox` belong to. null: not bound yet
 * (local mode, or signed in but the team not yet known), so they go to the first team this
 * browser signs in to. `teamId` null: the backend was chosen, its team is not yet confirmed
 * by `GET /v1/me`; the rows are the ones recorded since and go to that team.
 */
export const DataScopeSchema = z.object({ url: z.string(), teamId: z.string().nullable(), teamName: z.string().nullable() }).nullable();
export type DataScope = z.infer<typeof DataScopeSchema>;
export const dataScopeKv = defineKvItem('dataScope', DataScopeSchema, null);

/** The name of one team's data on one backend (shelf rows, its cursor). */
export function scopeId(url: string, teamId: string): string {
  return `${url}#${teamId}`;
}

/**
 * Rows recorded for a backend whose team was never confirmed, set aside when the user moved on
 * before it answered: they wait for that backend's team (whichever `GET /v1/me` names).
 */
export function unconfirmedScopeId(url: string): string {
  return `${url}#`;
}

export async function readDataScope(db: SalDatabase): Promise<DataScope> {
  return readKv(db, dataScopeKv);
}

/** Moves every current row aside under `scope`, leaving `events` and `outbox` empty. */
async function shelve(db: SalDatabase, scope: string): Promise<void> {
  const [events, outbox] = await Promise.all([db.events.toArray(), db.outbox.toArray()]);
  await db.shelvedEvents.bulkPut(events.map((e) => ({ ...e, scope })));
  await db.shelvedOutbox.bulkPut(outbox.map((o) => ({ ...o, scope })));
  await db.events.clear();
  await db.outbox.clear();
}

/** Brings a team's shelved rows back; a row already current (same id) wins over its shelved copy. */
async function restore(db: SalDatabase, scope: string): Promise<void> {
  const events = await db.shelvedEvents.where('scope').equals(scope).toArray();
  const outbox = await db.shelvedOutbox.where('scope').equals(scope).toArray();
  const haveEvents = new Set(await db.events.bulkGet(events.map((e) => e.id)).then((rows) => rows.flatMap((r) => (r ? [r.id] : []))));
  await db.events.bulkAdd(events.filter((e) => !haveEvents.has(e.id)).map(({ scope: _scope, ...row }) => row));
  const haveOutbox = new Set(await db.outbox.bulkGet(outbox.map((o) => o.eventId)).then((rows) => rows.flatMap((r) => (r ? [r.eventId] : []))));
  await db.outbox.bulkAdd(outbox.filter((o) => !haveOutbox.has(o.eventId)).map(({ scope: _scope, ...row }) => row));
  await db.shelvedEvents.where('scope').equals(scope).delete();
  await db.shelvedOutbox.where('scope').equals(scope).delete();
}

const ALL = (db: SalDatabase) => [db.events, db.outbox, db.kv, db.shelvedEvents, db.shelvedOutbox];

/**
 * The user saved a backend at `url`: if the current rows belong to a known team elsewhere, they
 * are set aside at once, so nothing of that team is shown or uploaded while the new backend's
 * team is being confirmed. Same URL: nothing moves (a new token may still mean another team;
 * `bindScope` decides once `GET /v1/me` answers).
 */
export async function detachScope(db: SalDatabase, url: string): Promise<void> {
  await db.transaction('rw', ALL(db), async () => {
    const current = await readDataScope(db);
    if (current === null || current.url === url) return;
    await shelve(db, current.teamId !== null ? scopeId(current.url, current.teamId) : unconfirmedScopeId(current.url));
    await writeKv(db, dataScopeKv, { url, teamId: null, teamName: null });
  });
}

/**
 * The backend at `url` says the user is in `team`: makes that team's data current. Rows of
 * another known team are shelved and this team's shelved rows come back (with those recorded for
 * this backend before its team was known); unbound rows (local mode, or recorded since this
 * backend was chosen) stay and go to this team.
 * @returns whether the current rows changed team (views should refresh)
 */
export async function bindScope(db: SalDatabase, url: string, team: { id: string; name: string }): Promise<boolean> {
  return db.transaction('rw', ALL(db), async () => {
    const current = await readDataScope(db);
    const target: DataScope = { url, teamId: team.id, teamName: team.name };
    if (current !== null && current.url === url && current.teamId === team.id) {
      if (current.teamName !== team.name) await writeKv(db, dataScopeKv, target);
      return false;
    }
    if (current !== null && current.teamId !== null) await shelve(db, scopeId(current.url, current.teamId));
    // rows recorded for another backend that never confirmed its team wait for that backend
    else if (current !== null && current.url !== url) await shelve(db, unconfirmedScopeId(current.url));
    await restore(db, scopeId(url, team.id));
    await restore(db, unconfirmedScopeId(url));
    await writeKv(db, dataScopeKv, target);
    return true;
  });
}
