import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import type { SessionResponse } from '../../lib/protocol/http';
import { hashToken } from './auth';
import type { Database } from './db/types';
import { issueSession, type Refusal, type SessionTtl } from './sessions';
import { addMember, takeInvite, type InviteRefusal } from './team-admin';

/**
 * The team's OpenID provider (Microsoft Entra ID, Google Workspace, Okta, any provider with
 * discovery): the server is configured with its issuer URL and the extension's client id.
 */
export interface OidcConfig {
  /** Exactly as the provider names itself in ID tokens (`iss`), e.g. `https://login.microsoftonline.com/<tenant>/v2.0`. */
  issuer: string;
  clientId: string;
  /** Only for providers that insist on a secret for the code exchange; PKCE needs none. */
  clientSecret?: string;
  /** Scopes asked for (default `openid email profile`). */
  scopes?: string[];
  /** How the server reaches the provider (tests may pass their own). */
  fetch?: typeof fetch;
}

export const DEFAULT_OIDC_SCOPES = ['openid', 'email', 'profile'];
/** Leeway for the clocks of the provider and this server (seconds). */
const CLOCK_TOLERANCE_SECONDS = 30;

export type OidcRefusal =
  | Refusal<
      'oidc_not_configured' | 'wrong_issuer' | 'wrong_audience' | 'id_token_expired' | 'bad_signature' | 'nonce_replayed' | 'email_unverified' | 'unknown_domain' | 'invalid_grant' | 'signed_out'
    >
  | InviteRefusal;

const DiscoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.string().url(),
  token_endpoint: z.string().url(),
  jwks_uri: z.string().url(),
});
export type Discovery = z.infer<typeof DiscoverySchema>;

/** What the verified ID token says about the person. */
export interface VerifiedIdentity {
  subject: string;
  email: string;
  name: string;
}

export interface OidcVerifier {
  readonly config: OidcConfig;
  /** The provider's discovery document (fetched once, again after a failure). */
  discover(): Promise<Discovery>;
  /** Redeems an authorization code (PKCE) at the provider's token endpoint; its ID token, or `invalid_grant`. */
  exchangeCode(input: { code: string; codeVerifier: string; redirectUri: string }): Promise<{ idToken: string } | { refused: OidcRefusal }>;
  /** Checks an ID token: signature by the provider's JWKS, issuer, audience, expiry, nonce equal to `nonce`, verified e-mail. Does not spend the nonce. */
  verify(idToken: string, nonce: string, now: Date): Promise<{ identity: VerifiedIdentity; expiresAt: Date } | { refused: OidcRefusal }>;
}

export function createOidcVerifier(config: OidcConfig): OidcVerifier {
  const fetchImpl = config.fetch ?? fetch;
  let discovery: Promise<Discovery> | null = null;
  let jwks: ReturnType<typeof createRemoteJWKSet> | null = null;

  async function load(): Promise<Discovery> {
    const url = `${config.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const response = await fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`OIDC discovery: HTTP ${response.status} from ${url}`);
    const document = DiscoverySchema.parse(await response.json());
    // OpenID Connect Discovery §4.3: the document must name the issuer it was fetched for
    if (document.issuer !== config.issuer) throw new Error(`OIDC discovery: ${url} names issuer ${document.issuer}, not ${config.issuer}`);
    return document;
  }

  const verifier: OidcVerifier = {
    config,
    discover() {
      discovery ??= load().catch((error: unknown) => {
        discovery = null;
        throw error;
      });
      return discovery;
    },
    async exchangeCode({ code, codeVerifier, redirectUri }) {
      const { token_endpoint } = await verifier.discover();
      const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier, client_id: config.clientId });
      if (config.clientSecret) form.set('client_secret', config.clientSecret);
      const response = await fetchImpl(token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await response.json().catch(() => null)) as { id_token?: unknown; error?: unknown; error_description?: unknown } | null;
      if (!response.ok || typeof body?.id_token !== 'string') {
        const why = typeof body?.error === 'string' ? `${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}` : `HTTP ${response.status}`;
        return { refused: { code: 'invalid_grant', message: `the identity provider refused the authorization code (${why})` } };
      }
      return { idToken: body.id_token };
    },
    async verify(idToken, nonce, now) {
      const { jwks_uri } = await verifier.discover();
      jwks ??= createRemoteJWKSet(new URL(jwks_uri), { [customFetch]: fetchImpl });
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(idToken, jwks, {
          issuer: config.issuer,
          audience: config.clientId,
          currentDate: now,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp', 'iat', 'sub'],
        }));
      } catch (error) {
        return { refused: refusalOf(error) };
      }
      if (typeof payload.nonce !== 'string' || payload.nonce !== nonce) return { refused: { code: 'nonce_replayed', message: 'the ID token was not issued for this sign-in (nonce differs)' } };
      // some providers send the boolean as a string
      const verified = payload.email_verified === true || payload.email_verified === 'true';
      const email = typeof payload.email === 'string' ? payload.email.trim().toLowerCase() : '';
      if (!email.includes('@') || !verified) return { refused: { code: 'email_unverified', message: 'the identity provider does not vouch for an e-mail address of this account' } };
      const name = typeof payload.name === 'string' && payload.name.trim() ? payload.name.trim().slice(0, 200) : email;
      return { identity: { subject: String(payload.sub), email, name }, expiresAt: new Date((payload.exp ?? 0) * 1000) };
    },
  };
  return verifier;
}

/** jose's verification errors as the protocol's codes. */
function refusalOf(error: unknown): OidcRefusal {
  if (error instanceof errors.JWTExpired) return { code: 'id_token_expired', message: 'the ID token has expired' };
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return { code: 'wrong_issuer', message: 'the ID token is from another issuer than this server trusts' };
    if (error.claim === 'aud') return { code: 'wrong_audience', message: "the ID token was issued for another client than this server's" };
    if (error.claim === 'iat' || error.claim === 'nbf') return { code: 'id_token_expired', message: `the ID token is not valid at this time (${error.claim})` };
    return { code: 'bad_signature', message: `the ID token lacks a required claim (${error.claim})` };
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return { code: 'bad_signature', message: "the ID token's signature does not verify with the identity provider's keys" };
  }
  if (error instanceof errors.JOSEError) return { code: 'bad_signature', message: `the ID token is not a valid signed token (${error.code})` };
  throw error;
}

/**
 * Spends a nonce: true the first time, false when it was accepted before (a replayed ID token).
 * Nonces are kept until their token's expiry (plus a day), after which the token itself is refused.
 */
async function spendNonce(db: Database, nonce: string, expiresAt: Date, now: Date): Promise<boolean> {
  await db.query('DELETE FROM oidc_nonces WHERE expires_at < $1', [new Date(now.getTime() - 24 * 3600_000).toISOString()]);
  const { rows } = await db.query('INSERT INTO oidc_nonces (hash, used_at, expires_at) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING RETURNING hash', [
    hashToken(nonce),
    now.toISOString(),
    expiresAt.toISOString(),
  ]);
  return rows.length > 0;
}

/**
 * Signs a person in with a verified ID token. The member is, in this order: the team member with
 * this e-mail already (removed: `signed_out`); the invitation given (`invite`) or a pending one for
 * this e-mail; a new rep of the team that lists the e-mail's domain. Otherwise `unknown_domain`.
 */
export async function signInWithIdToken(
  db: Database,
  verifier: OidcVerifier,
  input: { idToken: string; nonce: string; invite?: string | undefined },
  now: Date,
  ttl: SessionTtl,
): Promise<{ session: SessionResponse } | { refused: OidcRefusal }> {
  const verified = await verifier.verify(input.idToken, input.nonce, now);
  if ('refused' in verified) return verified;
  if (!(await spendNonce(db, input.nonce, verified.expiresAt, now))) return { refused: { code: 'nonce_replayed', message: 'this ID token (its nonce) was already used to sign in' } };
  const { email, name } = verified.identity;
  return db.transaction(async (tx) => {
    const existing = await tx.query<{ id: string; revoked_at: unknown }>(
      "SELECT id, revoked_at FROM users WHERE kind = 'member' AND lower(email) = $1 ORDER BY revoked_at NULLS FIRST, created_at LIMIT 1",
      [email],
    );
    const member = existing.rows[0];
    if (member) {
      if (member.revoked_at !== null) return { refused: { code: 'signed_out', message: 'you were removed from your team; ask your admin' } };
      return { session: await issueSession(tx, { userId: member.id, method: 'oidc', now, ttl }) };
    }
    if (input.invite === undefined) {
      const pending = await tx.query<{ id: string }>('SELECT id FROM invites WHERE email = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at DESC LIMIT 1', [
        email,
        now.toISOString(),
      ]);
      if (pending.rows[0]) {
        // take that invitation by id (the person holds no code: the verified e-mail is the proof)
        const taken = await tx.query<{ id: string; team_id: string; role: 'rep' | 'marketer' | 'manager' | 'admin' }>(
          'UPDATE invites SET used_at = $2 WHERE id = $1 AND used_at IS NULL RETURNING id, team_id, role',
          [pending.rows[0].id, now.toISOString()],
        );
        const invite = taken.rows[0];
        if (invite) {
          const userId = await addMember(tx, { teamId: invite.team_id, name, email, role: invite.role, now, via: 'oidc_invite', inviteId: invite.id });
          return { session: await issueSession(tx, { userId, method: 'oidc', now, ttl }) };
        }
      }
    }
    if (input.invite !== undefined) {
      const taken = await takeInvite(tx, input.invite, now, email);
      if ('refused' in taken) return taken;
      const userId = await addMember(tx, { teamId: taken.invite.teamId, name, email, role: taken.invite.role, now, via: 'oidc_invite', inviteId: taken.invite.id });
      return { session: await issueSession(tx, { userId, method: 'oidc', now, ttl }) };
    }
    const domain = email.slice(email.lastIndexOf('@') + 1);
    const team = await tx.query<{ team_id: string }>('SELECT team_id FROM team_domains WHERE domain = $1', [domain]);
    const teamId = team.rows[0]?.team_id;
    if (!teamId) return { refused: { code: 'unknown_domain', message: `no team signs in with ${domain} addresses; ask your admin for an invitation` } };
    const userId = await addMember(tx, { teamId, name, email, role: 'rep', now, via: 'oidc_domain' });
    return { session: await issueSession(tx, { userId, method: 'oidc', now, ttl }) };
  });
}
