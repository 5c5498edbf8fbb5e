-- Teams, their users and bearer tokens, and the team's event log.
-- teams.last_seq is the team's sequence counter: ingest bumps it with
-- UPDATE … RETURNING inside the insert transaction, which serializes a team's commits so a
-- reader paging by seq never skips a sequence number that commits later.
CREATE TABLE teams (
  id text PRIMARY KEY,
  name text NOT NULL,
  last_seq bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id text PRIMARY KEY,
  team_id text NOT NULL REFERENCES teams (id),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('rep', 'marketer', 'manager', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_team_idx ON users (team_id);

-- Only the SHA-256 of a token is stored; the token itself is shown once when created.
CREATE TABLE tokens (
  hash text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX tokens_user_idx ON tokens (user_id);

CREATE TABLE events (
  team_id text NOT NULL REFERENCES teams (id),
  seq bigint NOT NULL,
  id text NOT NULL,
  lead_key text NOT NULL,
  type text NOT NULL,
  actor_id text NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  body jsonb NOT NULL,
  PRIMARY KEY (team_id, seq),
  UNIQUE (team_id, id)
);
CREATE INDEX events_lead_idx ON events (team_id, lead_key);
