import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import type { CreateInviteRequestSchema, IntegrationToken, Invite, InvitePreview, Member, Role, SessionResponse, TokenScope } from '../../lib/protocol/http';
import type { z } from 'zod';
import { forgetPrincipals, generateToken, hashToken, type Principal } from './auth';
import { recordAudit } from './audit';
import { toIso, type Database, type Queryable } from './db/types';
import { issueSession, type Refusal, type SessionTtl } from './sessions';

// Team administration behind /v1/admin/*: members, roles, removal, sign-in domains,
// invitations and integration tokens. Every change is written with its audit entry in one
// transaction (recordAudit). The routes check the admin role; these functions check that the
// target belongs to the caller's team.

/** A change refused for a reason the admin should read (the route answers it with `status`). */
export class AdminActionError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'AdminActionError';
  }
}

type MemberRow = { id: string; name: string; email: string | null; role: Role; revoked_at: unknown; created_at: unknown };
const MEMBER_COLUMNS = 'id, name, email, role, revoked_at, created_at';
const memberOf = (r: MemberRow): Member => ({ id: r.id, name: r.name, email: r.email, role: r.role, status: r.revoked_at === null ? 'active' : 'revoked', createdAt: toIso(r.created_at) });
const actorOf = (p: Principal) => ({ id: p.userId, name: p.userName });

/** The team's people (integrations are listed with the tokens), oldest first. */
export async function listMembers(db: Queryable, teamId: string): Promise<Member[]> {
  const { rows } = await db.query<MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM users WHERE team_id = $1 AND kind = 'member' ORDER BY created_at, id`, [teamId]);
  return rows.map(memberOf);
}

async function lockMember(tx: Queryable, teamId: string, userId: string): Promise<MemberRow> {
  const { rows } = await tx.query<MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM users WHERE id = $1 AND team_id = $2 AND kind = 'member' FOR UPDATE`, [userId, teamId]);
  if (!rows[0]) throw new AdminActionError(404, `no member ${userId} in this team`);
  return rows[0];
}

/** @throws AdminActionError 404 (not a member of the team), 409 (the admin's own role: ask another admin) */
export async function setMemberRole(db: Database, admin: Principal, userId: string, role: Role, now: Date): Promise<Member> {
  if (userId === admin.userId) throw new AdminActionError(409, 'an admin cannot change their own role (another admin can)');
  const member = await db.transaction(async (tx) => {
    const before = await lockMember(tx, admin.teamId, userId);
    if (before.revoked_at !== null) throw new AdminActionError(409, 'this member was removed');
    if (before.role === role) return memberOf(before);
    await tx.query('UPDATE users SET role = $2 WHERE id = $1', [userId, role]);
    await recordAudit(tx, { teamId: admin.teamId, at: now, actor: actorOf(admin), action: 'member.role_changed', target: before.name, detail: { userId, from: before.role, to: role } });
    return memberOf({ ...before, role });
  });
  forgetPrincipals(db); // the next request with their tokens is judged anew (auth.ts)
  return member;
}

/**
 * Removes a member: the user row stays (their events name them), every session and token of
 * theirs ends now, and the next request with any of them gets 401 `signed_out`.
 * @throws AdminActionError 404, 409 (themselves)
 */
export async function revokeMember(db: Database, admin: Principal, userId: string, now: Date): Promise<Member> {
  if (userId === admin.userId) throw new AdminActionError(409, 'an admin cannot remove themselves (another admin can)');
  const member = await db.transaction(async (tx) => {
    const before = await lockMember(tx, admin.teamId, userId);
    if (before.revoked_at !== null) return memberOf(before);
    const at = now.toISOString();
    await tx.query('UPDATE users SET revoked_at = $2 WHERE id = $1', [userId, at]);
    await tx.query("UPDATE sessions SET revoked_at = $2, revoked_reason = 'member_removed' WHERE user_id = $1 AND revoked_at IS NULL", [userId, at]);
    await tx.query('UPDATE tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [userId, at]);
    await recordAudit(tx, { teamId: admin.teamId, at: now, actor: actorOf(admin), action: 'member.revoked', target: before.name, detail: { userId, role: before.role } });
    return memberOf({ ...before, revoked_at: now });
  });
  forgetPrincipals(db); // the next request with their tokens is judged anew (auth.ts)
  return member;
}

/** The e-mail domains that sign in to the team by single sign-on. */
export async function listDomains(db: Queryable, teamId: string): Promise<string[]> {
  const { rows } = await db.query<{ domain: string }>('SELECT domain FROM team_domains WHERE team_id = $1 ORDER BY domain', [teamId]);
  return rows.map((r) => r.domain);
}

/** Replaces the team's sign-in domains. @throws AdminActionError 409 when a domain is another team's */
export async function setDomains(db: Database, admin: Principal, domains: readonly string[], now: Date): Promise<string[]> {
  const wanted = [...new Set(domains)].sort();
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ domain: string }>('SELECT domain FROM team_domains WHERE team_id <> $1 AND domain = ANY($2::text[])', [admin.teamId, wanted]);
    if (rows.length > 0) throw new AdminActionError(409, `already the sign-in domain of another team: ${rows.map((r) => r.domain).join(', ')}`);
    const before = await listDomains(tx, admin.teamId);
    if (before.join() === wanted.join()) return before;
    await tx.query('DELETE FROM team_domains WHERE team_id = $1', [admin.teamId]);
    for (const domain of wanted) await tx.query('INSERT INTO team_domains (domain, team_id, added_at) VALUES ($1, $2, $3)', [domain, admin.teamId, now.toISOString()]);
    await recordAudit(tx, { teamId: admin.teamId, at: now, actor: actorOf(admin), action: 'domains.set', target: null, detail: { from: before, to: wanted } });
    return wanted;
  });
}

type InviteRow = { id: string; name: string; email: string | null; role: Role; created_at: unknown; expires_at: unknown; used_at: unknown; revoked_at: unknown };
const INVITE_COLUMNS = 'id, name, email, role, created_at, expires_at, used_at, revoked_at';
function inviteOf(r: InviteRow, now: Date): Invite {
  const status = r.revoked_at !== null ? 'revoked' : r.used_at !== null ? 'used' : new Date(toIso(r.expires_at)).getTime() <= now.getTime() ? 'expired' : 'pending';
  return { id: r.id, name: r.name, email: r.email, role: r.role, createdAt: toIso(r.created_at), expiresAt: toIso(r.expires_at), status };
}

export async function listInvites(db: Queryable, teamId: string, now: Date): Promise<Invite[]> {
  const { rows } = await db.query<InviteRow>(`SELECT ${INVITE_COLUMNS} FROM invites WHERE team_id = $1 ORDER BY created_at DESC, id DESC LIMIT 200`, [teamId]);
  return rows.map((r) => inviteOf(r, now));
}

/** Creates an invitation; its code is returned once (only its hash is kept). */
export async function createInvite(db: Database, admin: Principal, request: z.output<typeof CreateInviteRequestSchema>, now: Date): Promise<{ invite: Invite; code: string }> {
  const code = randomBytes(32).toString('base64url');
  const row: InviteRow = {
    id: `inv_${ulid(now.getTime())}`,
    name: request.name,
    email: request.email?.toLowerCase() ?? null,
    role: request.role,
    created_at: now,
    expires_at: new Date(now.getTime() + request.expiresInHours * 3600_000),
    used_at: null,
    revoked_at: null,
  };
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO invites (id, team_id, code_hash, name, email, role, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
      row.id,
      admin.teamId,
      hashToken(code),
      row.name,
      row.email,
      row.role,
      admin.userId,
      now.toISOString(),
      toIso(row.expires_at),
    ]);
    await recordAudit(tx, {
      teamId: admin.teamId,
      at: now,
      actor: actorOf(admin),
      action: 'invite.created',
      target: row.name,
      detail: { inviteId: row.id, role: row.role, email: row.email, expiresAt: toIso(row.expires_at) },
    });
  });
  return { invite: inviteOf(row, now), code };
}

export type InviteRefusal = Refusal<'invite_invalid' | 'invite_used' | 'invite_expired'>;

/**
 * Withdraws an invitation that is still open, so its link stops working at once. One already
 * taken cannot be withdrawn (the member exists: remove the member instead); withdrawing twice, or
 * an expired one, changes nothing and is not audited again.
 */
export async function revokeInvite(db: Database, admin: Principal, inviteId: string, now: Date): Promise<Invite> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<InviteRow>(`SELECT ${INVITE_COLUMNS} FROM invites WHERE id = $1 AND team_id = $2 FOR UPDATE`, [inviteId, admin.teamId]);
    const row = rows[0];
    if (!row) throw new AdminActionError(404, `no invitation ${inviteId} in this team`);
    const current = inviteOf(row, now);
    if (current.status === 'used') throw new AdminActionError(409, 'this invitation was already used; remove the member instead');
    if (current.status !== 'pending') return current;
    await tx.query('UPDATE invites SET revoked_at = $2 WHERE id = $1', [inviteId, now.toISOString()]);
    await recordAudit(tx, { teamId: admin.teamId, at: now, actor: actorOf(admin), action: 'invite.revoked', target: row.name, detail: { inviteId, role: row.role } });
    return inviteOf({ ...row, revoked_at: now }, now);
  });
}

/**
 * What an invitation would do, without taking it: the team it joins, the name and role it gives.
 * The extension shows this before the rep joins, so that joining another team than the one this
 * browser syncs with is confirmed first (and cancelling leaves the invitation unused).
 */
export async function previewInvite(db: Queryable, code: string, now: Date): Promise<{ preview: InvitePreview } | { refused: InviteRefusal }> {
  const { rows } = await db.query<InviteRow & { team_id: string; team_name: string }>(
    `SELECT ${INVITE_COLUMNS.split(', ')
      .map((c) => `i.${c}`)
      .join(', ')}, i.team_id, t.name AS team_name FROM invites i JOIN teams t ON t.id = i.team_id WHERE i.code_hash = $1`,
    [hashToken(code)],
  );
  const row = rows[0];
  const status = row ? inviteOf(row, now).status : 'revoked';
  if (!row || status === 'revoked') return { refused: { code: 'invite_invalid', message: 'no such invitation' } };
  if (status === 'used') return { refused: { code: 'invite_used', message: 'this invitation was already used; ask your admin for a new one' } };
  if (status === 'expired') return { refused: { code: 'invite_expired', message: 'this invitation has expired; ask your admin for a new one' } };
  return { preview: { team: { id: row.team_id, name: row.team_name }, name: row.name, role: row.role, expiresAt: toIso(row.expires_at) } };
}

/**
 * Takes an invitation (single use: the first taker wins, even between two racing requests) in
 * `tx`. `email`, when the invitation names one, must be it.
 */
export async function takeInvite(
  tx: Queryable,
  code: string,
  now: Date,
  email?: string,
): Promise<{ invite: { id: string; teamId: string; name: string; email: string | null; role: Role; createdBy: string | null } } | { refused: InviteRefusal }> {
  const { rows } = await tx.query<{ id: string; team_id: string; name: string; email: string | null; role: Role; created_by: string | null }>(
    `UPDATE invites SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2
     RETURNING id, team_id, name, email, role, created_by`,
    [hashToken(code), now.toISOString()],
  );
  const taken = rows[0];
  if (!taken) {
    const why = await tx.query<{ used_at: unknown; revoked_at: unknown }>('SELECT used_at, revoked_at FROM invites WHERE code_hash = $1', [hashToken(code)]);
    const row = why.rows[0];
    if (!row || row.revoked_at !== null) return { refused: { code: 'invite_invalid', message: 'no such invitation' } };
    if (row.used_at !== null) return { refused: { code: 'invite_used', message: 'this invitation was already used; ask your admin for a new one' } };
    return { refused: { code: 'invite_expired', message: 'this invitation has expired; ask your admin for a new one' } };
  }
  if (email !== undefined && taken.email !== null && taken.email !== email.toLowerCase()) {
    // not this person's invitation: leave it for them (the surrounding transaction rolls back too)
    await tx.query('UPDATE invites SET used_at = NULL WHERE id = $1', [taken.id]);
    return { refused: { code: 'invite_invalid', message: 'this invitation is for another e-mail address' } };
  }
  return { invite: { id: taken.id, teamId: taken.team_id, name: taken.name, email: taken.email, role: taken.role, createdBy: taken.created_by } };
}

/** Adds the member an invitation or a sign-in brings, with the audit entry of their joining. */
export async function addMember(
  tx: Queryable,
  input: { teamId: string; name: string; email: string | null; role: Role; now: Date; via: 'invite' | 'oidc_domain' | 'oidc_invite'; inviteId?: string },
): Promise<string> {
  const id = `user_${ulid(input.now.getTime())}`;
  await tx.query('INSERT INTO users (id, team_id, name, role, email, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [id, input.teamId, input.name, input.role, input.email, input.now.toISOString()]);
  if (input.inviteId) await tx.query('UPDATE invites SET used_by = $2 WHERE id = $1', [input.inviteId, id]);
  await recordAudit(tx, {
    teamId: input.teamId,
    at: input.now,
    actor: { id, name: input.name },
    action: 'member.joined',
    target: input.name,
    detail: { via: input.via, role: input.role, ...(input.inviteId ? { inviteId: input.inviteId } : {}) },
  });
  return id;
}

/** Signs in with an invitation: the invited member joins (once) and gets a session. */
export async function signInWithInvite(db: Database, code: string, now: Date, ttl: SessionTtl): Promise<{ session: SessionResponse } | { refused: InviteRefusal }> {
  return db.transaction(async (tx) => {
    const taken = await takeInvite(tx, code, now);
    if ('refused' in taken) return taken;
    const { invite } = taken;
    const userId = await addMember(tx, { teamId: invite.teamId, name: invite.name, email: invite.email, role: invite.role, now, via: 'invite', inviteId: invite.id });
    return { session: await issueSession(tx, { userId, method: 'invite', now, ttl }) };
  });
}

type TokenRow = { id: string; name: string | null; scopes: string[] | null; created_at: unknown; revoked_at: unknown };
const tokenOf = (r: TokenRow): IntegrationToken => ({
  id: r.id,
  name: r.name ?? '',
  scopes: (r.scopes ?? []) as TokenScope[],
  createdAt: toIso(r.created_at),
  revokedAt: r.revoked_at === null ? null : toIso(r.revoked_at),
});

/** The team's integration tokens (never a secret: only hashes are stored). */
export async function listIntegrationTokens(db: Queryable, teamId: string): Promise<IntegrationToken[]> {
  const { rows } = await db.query<TokenRow>(
    "SELECT k.id, k.name, k.scopes, k.created_at, k.revoked_at FROM tokens k JOIN users u ON u.id = k.user_id WHERE u.team_id = $1 AND u.kind = 'integration' ORDER BY k.created_at DESC, k.id",
    [teamId],
  );
  return rows.map(tokenOf);
}

/**
 * Creates an integration token limited to `scopes`. It acts as its own member of kind
 * `integration` (role marketer, the role that hands leads over), so what it records is named
 * after the integration, and removing a person never breaks a tool.
 */
export async function createIntegrationToken(db: Database, admin: Principal, input: { name: string; scopes: TokenScope[] }, now: Date): Promise<{ token: IntegrationToken; secret: string }> {
  const secret = generateToken('salb');
  const scopes = [...new Set(input.scopes)].sort();
  const id = `tok_${ulid(now.getTime())}`;
  await db.transaction(async (tx) => {
    const userId = `user_${ulid(now.getTime())}`;
    await tx.query("INSERT INTO users (id, team_id, name, role, kind, created_at) VALUES ($1, $2, $3, 'marketer', 'integration', $4)", [userId, admin.teamId, input.name, now.toISOString()]);
    await tx.query('INSERT INTO tokens (hash, user_id, id, name, scopes, created_at) VALUES ($1, $2, $3, $4, $5::text[], $6)', [hashToken(secret), userId, id, input.name, scopes, now.toISOString()]);
    await recordAudit(tx, { teamId: admin.teamId, at: now, actor: actorOf(admin), action: 'token.created', target: input.name, detail: { tokenId: id, scopes } });
  });
  return { token: { id, name: input.name, scopes, createdAt: now.toISOString(), revokedAt: null }, secret };
}

/** @throws AdminActionError 404 when the team has no such integration token */
export async function revokeIntegrationToken(db: Database, admin: Principal, tokenId: string, now: Date): Promise<IntegrationToken> {
  const token = await db.transaction(async (tx) => {
    const { rows } = await tx.query<TokenRow>(
      "SELECT k.id, k.name, k.scopes, k.created_at, k.revoked_at FROM tokens k JOIN users u ON u.id = k.user_id WHERE k.id = $1 AND u.team_id = $2 AND u.kind = 'integration' FOR UPDATE OF k",
      [tokenId, admin.teamId],
    );
    const row = rows[0];
    if (!row) throw new AdminActionError(404, `no integration token ${tokenId} in this team`);
    if (row.revoked_at !== null) return tokenOf(row);
    await tx.query('UPDATE tokens SET revoked_at = $2 WHERE id = $1', [tokenId, now.toISOString()]);
    await recordAudit(tx, { teamId: admin.teamId, at: now, actor: actorOf(admin), action: 'token.revoked', target: row.name, detail: { tokenId } });
    return tokenOf({ ...row, revoked_at: now });
  });
  forgetPrincipals(db); // the next request with their tokens is judged anew (auth.ts)
  return token;
}
