-- Sign-in without pasted tokens (OpenID Connect, invitations), server sessions, integration
-- tokens with scopes, and the audit log of admin actions. Only additions: a server of the
-- previous version keeps working on this schema while new instances roll out.

-- A member's e-mail (from a verified ID token or an invitation), whether the row is a person or
-- an integration (a marketing-automation tool's token), and when the member was removed.
ALTER TABLE users ADD COLUMN email text;
ALTER TABLE users ADD COLUMN kind text NOT NULL DEFAULT 'member' CHECK (kind IN ('member', 'integration'));
ALTER TABLE users ADD COLUMN revoked_at timestamptz;
CREATE UNIQUE INDEX users_team_email_idx ON users (team_id, lower(email)) WHERE email IS NOT NULL;

-- Tokens get an id the admin page can name (the hash stays the key), a name, and scopes:
-- NULL = whatever the member's role may do (the pasted tokens of before); a list = only routes
-- declaring one of those scopes.
ALTER TABLE tokens ADD COLUMN id text NOT NULL DEFAULT ('tok_' || replace(gen_random_uuid()::text, '-', ''));
ALTER TABLE tokens ADD COLUMN name text;
ALTER TABLE tokens ADD COLUMN scopes text[];
CREATE UNIQUE INDEX tokens_id_idx ON tokens (id);

-- E-mail domains whose verified addresses join a team by single sign-on (one team per domain).
CREATE TABLE team_domains (
  domain text PRIMARY KEY,
  team_id text NOT NULL REFERENCES teams (id),
  added_at timestamptz NOT NULL DEFAULT now()
);

-- Server sessions: hashes only. The access token is short-lived; the refresh token is rotated
-- at each use, and the hashes it had are kept in session_refresh_used so a replay is recognised
-- (and ends the session: a copy is in someone else's hands).
CREATE TABLE sessions (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id),
  method text NOT NULL CHECK (method IN ('oidc', 'invite')),
  access_hash text NOT NULL UNIQUE,
  access_expires_at timestamptz NOT NULL,
  refresh_hash text NOT NULL UNIQUE,
  refresh_expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  refreshed_at timestamptz,
  revoked_at timestamptz,
  revoked_reason text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE TABLE session_refresh_used (
  hash text PRIMARY KEY,
  session_id text NOT NULL REFERENCES sessions (id),
  used_at timestamptz NOT NULL DEFAULT now()
);

-- ID-token nonces already accepted (hashed): a nonce signs in once.
CREATE TABLE oidc_nonces (
  hash text PRIMARY KEY,
  used_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

-- Invitations: single use, expiring; the code is shown once, its hash is kept.
CREATE TABLE invites (
  id text PRIMARY KEY,
  team_id text NOT NULL REFERENCES teams (id),
  code_hash text NOT NULL UNIQUE,
  name text NOT NULL,
  email text,
  role text NOT NULL CHECK (role IN ('rep', 'marketer', 'manager', 'admin')),
  created_by text REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  used_by text REFERENCES users (id),
  revoked_at timestamptz
);
CREATE INDEX invites_team_idx ON invites (team_id, created_at);

-- Every admin action: who, what, when. Append-only for the server.
CREATE TABLE audit_log (
  id text PRIMARY KEY,
  team_id text NOT NULL REFERENCES teams (id),
  at timestamptz NOT NULL,
  actor_id text REFERENCES users (id),
  actor_name text NOT NULL,
  action text NOT NULL,
  target text,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_team_idx ON audit_log (team_id, at DESC, id DESC);
