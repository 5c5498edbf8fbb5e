import { ulid } from 'ulid';
import type { MeResponse, SessionResponse } from '../../lib/protocol/http';
import { forgetPrincipals, generateToken, hashToken } from './auth';
import type { Database, Queryable } from './db/types';

/** How long a session's tokens live. */
export interface SessionTtl {
  /** The access token: short, so a removed member or a stolen token is out soon even without revocation. */
  accessSeconds: number;
  /** The refresh token: how long a browser may stay away and still come back without signing in. */
  refreshSeconds: number;
}
export const DEFAULT_SESSION_TTL: SessionTtl = { accessSeconds: 15 * 60, refreshSeconds: 30 * 24 * 3600 };

/** A refusal of a sign-in or refresh: the protocol's error code and a sentence. */
export interface Refusal<C extends string = string> {
  code: C;
  message: string;
}

/** `GET /v1/me` of a user (the reply of a sign-in carries it). */
export async function meOf(db: Queryable, userId: string): Promise<MeResponse> {
  const { rows } = await db.query<{ user_id: string; user_name: string; team_id: string; team_name: string; role: MeResponse['role'] }>(
    'SELECT u.id AS user_id, u.name AS user_name, t.id AS team_id, t.name AS team_name, u.role FROM users u JOIN teams t ON t.id = u.team_id WHERE u.id = $1',
    [userId],
  );
  const row = rows[0];
  if (!row) throw new Error(`no user ${userId}`);
  return { user: { id: row.user_id, name: row.user_name }, team: { id: row.team_id, name: row.team_name }, role: row.role };
}

function newPair(now: Date, ttl: SessionTtl) {
  return {
    accessToken: generateToken('sals'),
    accessExpiresAt: new Date(now.getTime() + ttl.accessSeconds * 1000),
    refreshToken: generateToken('salr'),
    refreshExpiresAt: new Date(now.getTime() + ttl.refreshSeconds * 1000),
  };
}

/** Starts a session for a member (after a verified sign-in); only the tokens' hashes are stored. */
export async function issueSession(tx: Queryable, input: { userId: string; method: 'oidc' | 'invite'; now: Date; ttl: SessionTtl }): Promise<SessionResponse> {
  const pair = newPair(input.now, input.ttl);
  await tx.query(
    `INSERT INTO sessions (id, user_id, method, access_hash, access_expires_at, refresh_hash, refresh_expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      `ses_${ulid(input.now.getTime())}`,
      input.userId,
      input.method,
      hashToken(pair.accessToken),
      pair.accessExpiresAt.toISOString(),
      hashToken(pair.refreshToken),
      pair.refreshExpiresAt.toISOString(),
      input.now.toISOString(),
    ],
  );
  return { ...pair, accessExpiresAt: pair.accessExpiresAt.toISOString(), refreshExpiresAt: pair.refreshExpiresAt.toISOString(), me: await meOf(tx, input.userId) };
}

/**
 * Rotates a session: the refresh token buys a new access and refresh token, once. A refresh
 * token that was already exchanged ends its session (whoever presents it second, the rep or a
 * thief, cannot tell us which of them is the rep). Refusals: `invalid_grant` (never issued, or
 * expired), `signed_out` (the session or its member was ended, or a replay just ended it).
 */
export async function refreshSession(db: Database, refreshToken: string, now: Date, ttl: SessionTtl): Promise<{ session: SessionResponse } | { refused: Refusal<'invalid_grant' | 'signed_out'> }> {
  const hash = hashToken(refreshToken);
  const outcome = await db.transaction(async (tx): Promise<{ session: SessionResponse } | { refused: Refusal<'invalid_grant' | 'signed_out'> }> => {
    const { rows } = await tx.query<{ id: string; user_id: string; refresh_expires_at: unknown; revoked_at: unknown; user_revoked: unknown }>(
      `SELECT s.id, s.user_id, s.refresh_expires_at, s.revoked_at, u.revoked_at AS user_revoked
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.refresh_hash = $1 FOR UPDATE OF s`,
      [hash],
    );
    const session = rows[0];
    if (!session) {
      const used = await tx.query<{ session_id: string }>('SELECT session_id FROM session_refresh_used WHERE hash = $1', [hash]);
      const replayed = used.rows[0];
      if (!replayed) return { refused: { code: 'invalid_grant', message: 'unknown refresh token' } };
      await tx.query("UPDATE sessions SET revoked_at = $2, revoked_reason = 'refresh_token_replayed' WHERE id = $1 AND revoked_at IS NULL", [replayed.session_id, now.toISOString()]);
      return { refused: { code: 'signed_out', message: 'this refresh token was already used; the session is ended, sign in again' } };
    }
    if (session.revoked_at !== null || session.user_revoked !== null) return { refused: { code: 'signed_out', message: 'this session was ended; sign in again' } };
    if (new Date(session.refresh_expires_at as string).getTime() <= now.getTime()) return { refused: { code: 'invalid_grant', message: 'the refresh token expired; sign in again' } };
    const pair = newPair(now, ttl);
    await tx.query('INSERT INTO session_refresh_used (hash, session_id, used_at) VALUES ($1, $2, $3)', [hash, session.id, now.toISOString()]);
    await tx.query('UPDATE sessions SET access_hash = $2, access_expires_at = $3, refresh_hash = $4, refresh_expires_at = $5, refreshed_at = $6 WHERE id = $1', [
      session.id,
      hashToken(pair.accessToken),
      pair.accessExpiresAt.toISOString(),
      hashToken(pair.refreshToken),
      pair.refreshExpiresAt.toISOString(),
      now.toISOString(),
    ]);
    return {
      session: { ...pair, accessExpiresAt: pair.accessExpiresAt.toISOString(), refreshExpiresAt: pair.refreshExpiresAt.toISOString(), me: await meOf(tx, session.user_id) },
    };
  });
  // the old access token, or every token of a replayed session, ends at once (see `forgetPrincipals`)
  forgetPrincipals(db);
  return outcome;
}
