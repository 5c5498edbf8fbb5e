import { ulid } from 'ulid';
import { RoleSchema, type Role } from '../../lib/protocol/http';
import { forgetPrincipals, generateToken, hashToken } from './auth';
import type { Database } from './db/types';

/** Creates a team; returns its id. */
export async function createTeam(db: Database, name: string, id: string = `team_${ulid()}`): Promise<string> {
  await db.query('INSERT INTO teams (id, name) VALUES ($1, $2)', [id, name]);
  return id;
}

/**
 * Creates a user in a team; returns its id.
 * @throws Error when the team does not exist or the role is unknown.
 */
export async function createUser(db: Database, input: { teamId: string; name: string; role: Role; id?: string }): Promise<string> {
  const role = RoleSchema.parse(input.role);
  const id = input.id ?? `user_${ulid()}`;
  const { rows } = await db.query('SELECT id FROM teams WHERE id = $1', [input.teamId]);
  if (rows.length === 0) throw new Error(`no team ${input.teamId}`);
  await db.query('INSERT INTO users (id, team_id, name, role) VALUES ($1, $2, $3, $4)', [id, input.teamId, input.name, role]);
  return id;
}

/**
 * Creates a bearer token for a user and returns it: only its hash is stored, so this is the one
 * moment it can be read. `token` fixes the value (the demo's well-known tokens).
 */
export async function createToken(db: Database, userId: string, token: string = generateToken()): Promise<string> {
  const { rows } = await db.query('SELECT id FROM users WHERE id = $1', [userId]);
  if (rows.length === 0) throw new Error(`no user ${userId}`);
  await db.query('INSERT INTO tokens (hash, user_id) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING', [hashToken(token), userId]);
  return token;
}

/** Revokes a token (it stops working at once; the row stays for audit). Returns whether it existed. */
export async function revokeToken(db: Database, token: string): Promise<boolean> {
  const { rows } = await db.query('UPDATE tokens SET revoked_at = now() WHERE hash = $1 AND revoked_at IS NULL RETURNING hash', [hashToken(token)]);
  forgetPrincipals(db);
  return rows.length > 0;
}

export const DEMO_TEAM_ID = 'team_demo';

/** The demo users and their well-known tokens (local demo and tests only: anyone knows them). */
export const DEMO_USERS = [
  { key: 'rep1', id: 'user_demo_rep1', name: '佐藤 健', role: 'rep', token: 'demo-rep1-token' },
  { key: 'rep2', id: 'user_demo_rep2', name: '鈴木 花子', role: 'rep', token: 'demo-rep2-token' },
  { key: 'marketer', id: 'user_demo_marketer', name: '田中 美咲', role: 'marketer', token: 'demo-marketer-token' },
  { key: 'admin', id: 'user_demo_admin', name: '管理者', role: 'admin', token: 'demo-admin-token' },
] as const satisfies ReadonlyArray<{ key: string; id: string; name: string; role: Role; token: string }>;

/**
 * Creates the demo team "Demo 株式会社" with two reps, a marketer and an admin and their fixed
 * tokens. Idempotent: running it again changes nothing and returns the same tokens.
 */
export async function seedDemo(db: Database): Promise<{ teamId: string; tokens: Record<(typeof DEMO_USERS)[number]['key'], string> }> {
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO teams (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [DEMO_TEAM_ID, 'Demo 株式会社']);
    for (const u of DEMO_USERS) {
      await tx.query('INSERT INTO users (id, team_id, name, role) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING', [u.id, DEMO_TEAM_ID, u.name, u.role]);
      await tx.query('INSERT INTO tokens (hash, user_id) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING', [hashToken(u.token), u.id]);
    }
  });
  const tokens = Object.fromEntries(DEMO_USERS.map((u) => [u.key, u.token])) as Record<(typeof DEMO_USERS)[number]['key'], string>;
  return { teamId: DEMO_TEAM_ID, tokens };
}

/**
 * Where `npm start` puts the demo team, with the sentence it prints. The demo's tokens are known
 * to everyone, so it seeds only its own embedded database; a `DATABASE_URL` in the environment
 * (a real team's database, perhaps) gets the demo team only when `--seed-demo` asks for it.
 */
export function demoSeedPlan(input: { databaseUrl: string | undefined; seedDemoFlag: boolean; dataDir: string }): { seed: boolean; message: string } {
  const url = input.databaseUrl?.trim();
  if (!url) return { seed: true, message: `Seeding the demo team (well-known demo tokens) into the embedded database in ${input.dataDir}.` };
  if (input.seedDemoFlag) return { seed: true, message: 'Seeding the demo team (well-known demo tokens) into DATABASE_URL, as --seed-demo asked.' };
  return {
    seed: false,
    message: 'DATABASE_URL is set: the server uses it, and the demo team with its well-known tokens is NOT created there (pass --seed-demo to create it). Sign in with a token of that database.',
  };
}
