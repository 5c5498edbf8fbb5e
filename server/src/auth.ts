import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../../lib/protocol/http';
import type { Queryable } from './db/types';

/** Who is calling: resolved from the bearer token; every query is scoped to `teamId`. */
export interface Principal {
  userId: string;
  userName: string;
  teamId: string;
  teamName: string;
  role: Role;
  /** SHA-256 of the token (the rate limiter's key; never the token itself). */
  tokenHash: string;
}

/** SHA-256 hex of a bearer token: what the `tokens` table stores. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new random bearer token (256 bits, URL-safe), prefixed so it is recognisable in a config. */
export function generateToken(): string {
  return `salb_${randomBytes(32).toString('base64url')}`;
}

/** The principal of a token that exists and is not revoked, else null. */
export async function findPrincipal(db: Queryable, token: string): Promise<Principal | null> {
  const tokenHash = hashToken(token);
  const { rows } = await db.query<{ user_id: string; user_name: string; team_id: string; team_name: string; role: Role }>(
    `SELECT u.id AS user_id, u.name AS user_name, t.id AS team_id, t.name AS team_name, u.role
       FROM tokens k JOIN users u ON u.id = k.user_id JOIN teams t ON t.id = u.team_id
      WHERE k.hash = $1 AND k.revoked_at IS NULL`,
    [tokenHash],
  );
  const row = rows[0];
  if (!row) return null;
  return { userId: row.user_id, userName: row.user_name, teamId: row.team_id, teamName: row.team_name, role: row.role, tokenHash };
}
