import { z } from 'zod';
import { ulid } from 'ulid';
import type { SalDatabase } from '../db/schema';
import { readKv, writeKv } from '../db/kv';
import type { Actor } from '../domain/events';

/** The signed-in user as the backend reported it (`GET /v1/me`). */
export const MeSchema = z.object({
  user: z.object({ id: z.string(), name: z.string() }),
  team: z.object({ id: z.string(), name: z.string() }),
  role: z.string(),
});
export type Me = z.infer<typeof MeSchema>;
export const ME_KV_KEY = 'me';
const LOCAL_ACTOR_KEY = 'localActor';

/**
 * Who is deciding: the backend's user when signed in, otherwise a local actor created once per
 * browser profile (local-only mode), so events always carry a stable actor id.
 */
export async function currentActor(db: SalDatabase): Promise<Actor> {
  const me = await readKv(db, ME_KV_KEY, MeSchema.nullable(), null);
  if (me) return { id: me.user.id, name: me.user.name };
  const local = await readKv(db, LOCAL_ACTOR_KEY, z.object({ id: z.string(), name: z.string() }).nullable(), null);
  if (local) return local;
  const created = { id: `local-${ulid()}`, name: '' };
  await writeKv(db, LOCAL_ACTOR_KEY, created);
  return created;
}
