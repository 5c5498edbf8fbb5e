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

type Row = {
  source: 'token' | 'session';
  user_id: string;
  user_name: string;
  team_id: string;
  team_name: string;
  role: Role;
  user_revoked: unknown;
  revoked_at: unknown;
  scopes: string[] | null;
  session_id: string | null;
  access_expires_at: unknown;
};

/**
 * The principal of a bearer token: a token of the `tokens` table (pasted member tokens and
 * integration tokens) or a session's access token, read in one statement (a token hash is in at
 * most one of the two; the `tokens` row wins if both). A token that was issued but has ended is
 * told apart from one never issued, so the client can say "signed out" rather than "wrong token".
 */
export async function resolveToken(db: Queryable, token: string, now: Date): Promise<{ principal: Principal } | { refused: AuthRefusal }> {
  const tokenHash = hashToken(token);
  const cached = cacheOf(db);
  const hit = cached.entries.get(tokenHash);
  if (hit && hit.until > performance.now()) return judge(hit.row, tokenHash, now);
  const generation = cached.generation;
  const member = `u.id AS user_id, u.name AS user_name, t.id AS team_id, t.name AS team_name, u.role, u.revoked_at AS user_revoked`;
  const { rows } = await db.query<Row>(
    `SELECT 'token' AS source, ${member}, k.revoked_at, k.scopes, NULL AS session_id, NULL::timestamptz AS access_expires_at
       FROM tokens k JOIN users u ON u.id = k.user_id JOIN teams t ON t.id = u.team_id
      WHERE k.hash = $1
     UNION ALL
     SELECT 'session', ${member}, s.revoked_at, NULL, s.id, s.access_expires_at
       FROM sessions s JOIN users u ON u.id = s.user_id JOIN teams t ON t.id = u.team_id
      WHERE s.access_hash = $1`,
    [tokenHash],
  );
  const row = rows.find((r) => r.source === 'token') ?? rows[0];
  if (!row) return { refused: { code: 'unauthorized', message: 'unknown token' } };
  const judged = judge(row, tokenHash, now);
  // Only a live member's token is kept; a refusal is asked again (it is the rare case, and the
  // unauthenticated rate limit already bounds its cost). Not kept if a revocation happened while
  // this lookup ran: its answer may predate it.
  if ('principal' in judged && cached.generation === generation) {
    if (cached.entries.size >= PRINCIPAL_CACHE_MAX) cached.entries.clear();
    cached.entries.set(tokenHash, { row, until: performance.now() + PRINCIPAL_CACHE_MS });
  }
  return judged;
}

/** The verdict on a looked-up token at `now` (a session's access token expires while cached, too). */
function judge(row: Row, tokenHash: string, now: Date): { principal: Principal } | { refused: AuthRefusal } {
  if (row.source === 'token') {
    if (row.revoked_at !== null || row.user_revoked !== null) return { refused: { code: 'signed_out', message: 'this token was revoked' } };
    return { principal: principalOf(row, tokenHash, (row.scopes as TokenScope[] | null) ?? null, null) };
  }
  if (row.revoked_at !== null || row.user_revoked !== null) return { refused: { code: 'signed_out', message: 'this session was ended; sign in again' } };
  if (new Date(row.access_expires_at as string).getTime() <= now.getTime()) return { refused: { code: 'token_expired', message: 'the access token expired; refresh the session' } };
  return { principal: principalOf(row, tokenHash, null, row.session_id) };
}

// ---------------------------------------------------------------------------------------------
// Verified tokens, kept briefly

/**
 * How long (ms) a verified token's member is reused without asking the database again. Every
 * sync round is two requests with the same token, each of which would otherwise start with this
 * lookup. Within this process a revocation takes effect at once: whatever ends or changes a
 * token, session or member through this server (`revokeMember`, `setMemberRole`,
 * `revokeIntegrationToken`, `revokeToken`, a session's refresh or replay) calls
 * `forgetPrincipals`. Another server instance on the same PostgreSQL, or the CLI, cannot reach
 * this process's memory: there the change takes effect within this bound.
 */
export const PRINCIPAL_CACHE_MS = 2_000;
/** Past this many tokens kept, the cache starts over (a bound on memory, not a policy). */
const PRINCIPAL_CACHE_MAX = 10_000;

interface PrincipalCache {
  entries: Map<string, { row: Row; until: number }>;
  /** Bumped by `forgetPrincipals`: a lookup that began before a revocation is not kept. */
  generation: number;
}

/** One cache per database handle: tests open many databases in one process, with the same demo tokens. */
const caches = new WeakMap<object, PrincipalCache>();

function cacheOf(db: object): PrincipalCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = { entries: new Map(), generation: 0 }));
  return cache;
}

/**
 * Forgets every verified token kept for `db` (the handle the server was created with): call it
 * after committing anything that ends or changes a token, a session or a member, so their next
 * request is judged on the database again.
 */
export function forgetPrincipals(db: object): void {
  const cache = cacheOf(db);
  cache.generation++;
  cache.entries.clear();
}

function principalOf(row: Omit<Row, 'source'>, tokenHash: string, scopes: TokenScope[] | null, sessionId: string | null): Principal {
  return { userId: row.user_id, userName: row.user_name, teamId: row.team_id, teamName: row.team_name, role: row.role, tokenHash, scopes, sessionId };
}

/** The principal of a token that exists and is not revoked (nor expired), else null. */
export async function findPrincipal(db: Queryable, token: string, now: Date = new Date()): Promise<Principal | null> {
  const resolved = await resolveToken(db, token, now);
  return 'principal' in resolved ? resolved.principal : null;
}
