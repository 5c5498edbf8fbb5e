import { createHash, randomBytes } from 'node:crypto';
import type { Role, TokenScope } from '../../lib/protocol/http';
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
  /**
   * What the token is limited to: null for a member's token or session (everything the role
   * allows), else an integration token's scopes (only routes declaring one of them).
   */
  scopes: TokenScope[] | null;
  /** The session the access token belongs to (sign-in), or null for a token made by an admin or the CLI. */
  sessionId: string | null;
}

/** SHA-256 hex of a bearer token: what the `tokens` table stores. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new random bearer token (256 bits, URL-safe), prefixed so it is recognisable in a config. */
export function generateToken(prefix = 'salb'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/**
 * Why a bearer token is not let in: `unauthorized` (never issued here), `token_expired` (a
 * session's access token past its time: refresh), `signed_out` (revoked, or its member removed:
 * sign in again).
 */
export type AuthRefusal = { code: 'unauthorized' | 'token_expired' | 'signed_out'; message: string };

type Row = { user_id: string; user_name: string; team_id: string; team_name: string; role: Role; user_revoked: unknown };

/**
 * The principal of a bearer token: a token of the `tokens` table (pasted member tokens and
 * integration tokens) or a session's access token. A token that was issued but has ended is told
 * apart from one never issued, so the client can say "signed out" rather than "wrong token".
 */
export async function resolveToken(db: Queryable, token: string, now: Date): Promise<{ principal: Principal } | { refused: AuthRefusal }> {
  const tokenHash = hashToken(token);
  const member = `u.id AS user_id, u.name AS user_name, t.id AS team_id, t.name AS team_name, u.role, u.revoked_at AS user_revoked`;
  const tokens = await db.query<Row & { revoked_at: unknown; scopes: string[] | null }>(
    `SELECT ${member}, k.revoked_at, k.scopes
       FROM tokens k JOIN users u ON u.id = k.user_id JOIN teams t ON t.id = u.team_id
      WHERE k.hash = $1`,
    [tokenHash],
  );
  const byToken = tokens.rows[0];
  if (byToken) {
    if (byToken.revoked_at !== null || byToken.user_revoked !== null) return { refused: { code: 'signed_out', message: 'this token was revoked' } };
    return { principal: principalOf(byToken, tokenHash, (byToken.scopes as TokenScope[] | null) ?? null, null) };
  }
  const sessions = await db.query<Row & { session_id: string; revoked_at: unknown; access_expires_at: unknown }>(
    `SELECT ${member}, s.id AS session_id, s.revoked_at, s.access_expires_at
       FROM sessions s JOIN users u ON u.id = s.user_id JOIN teams t ON t.id = u.team_id
      WHERE s.access_hash = $1`,
    [tokenHash],
  );
  const bySession = sessions.rows[0];
  if (!bySession) return { refused: { code: 'unauthorized', message: 'unknown token' } };
  if (bySession.revoked_at !== null || bySession.user_revoked !== null) return { refused: { code: 'signed_out', message: 'this session was ended; sign in again' } };
  if (new Date(bySession.access_expires_at as string).getTime() <= now.getTime()) return { refused: { code: 'token_expired', message: 'the access token expired; refresh the session' } };
  return { principal: principalOf(bySession, tokenHash, null, bySession.session_id) };
}

function principalOf(row: Row, tokenHash: string, scopes: TokenScope[] | null, sessionId: string | null): Principal {
  return { userId: row.user_id, userName: row.user_name, teamId: row.team_id, teamName: row.team_name, role: row.role, tokenHash, scopes, sessionId };
}

/** The principal of a token that exists and is not revoked (nor expired), else null. */
export async function findPrincipal(db: Queryable, token: string, now: Date = new Date()): Promise<Principal | null> {
  const resolved = await resolveToken(db, token, now);
  return 'principal' in resolved ? resolved.principal : null;
}
