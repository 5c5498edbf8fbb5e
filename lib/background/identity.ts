import { z } from 'zod';
import { ulid } from 'ulid';
import type { SalDatabase } from '../db/schema';
import { defineKvItem, readKvs, writeKv } from '../db/kv';
import { LOCAL_ACTOR_PREFIX, type Actor } from '../domain/events';
import { RoleSchema, type Role } from '../domain/roles';
import { localActorKv, meKv } from '../db/reads';

// the stored `me` and local actor are read by extension pages too: declared in lib/db/reads.ts
export { StoredMeSchema, meKv, localActorKv, readMe } from '../db/reads';
/**
 * Which backend and token the stored `me` was answered for (a SHA-256 of both, so the token is
 * not stored twice). Sync asks `GET /v1/me` again whenever the saved backend no longer matches:
 * a new token may belong to another team, and until asked we must not push with it.
 */
export const meSourceKv = defineKvItem('meSource', z.string().nullable(), null);

/** The fingerprint stored in meSourceKv for a backend URL and token (hex SHA-256). */
export async function meSource(url: string, token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${url}\n${token}`));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Who is deciding: the backend's user when signed in, otherwise a local actor created once per
 * browser profile (local-only mode), so events always carry a stable actor id.
 * Both records are read in one request, and the schemas are built once (issue 4: this runs on
 * every decision, and building a zod schema costs more than parsing these two small records).
 */
export async function currentActor(db: SalDatabase): Promise<Actor> {
  return (await currentMember(db)).actor;
}

/**
 * `currentActor` and the role the backend gave the signed-in user, or null in local-only mode
 * (one person, every role) or when the backend names a role this version does not know (the
 * server still decides what it takes).
 */
export async function currentMember(db: SalDatabase): Promise<{ actor: Actor; role: Role | null }> {
  // a missing or corrupt record counts as absent
  const [me, local] = await readKvs(db, [meKv, localActorKv]);
  if (me) {
    const role = RoleSchema.safeParse(me.role);
    return { actor: { id: me.user.id, name: me.user.name }, role: role.success ? role.data : null };
  }
  if (local) return { actor: local, role: null };
  const created = { id: `${LOCAL_ACTOR_PREFIX}${ulid()}`, name: '' };
  await writeKv(db, localActorKv, created);
  return { actor: created, role: null };
}
