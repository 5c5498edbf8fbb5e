-- The database's epoch: a random id made once per database. Pull cursors carry it, so a client
-- holding a cursor of another database (reset, replaced) is told to start over (410).
CREATE TABLE server_epoch (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  epoch text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO server_epoch (epoch) VALUES (replace(gen_random_uuid()::text, '-', ''));

-- A local-only actor (`local-…`, decisions made before signing in) belongs to the first member
-- who pushed it; nobody else may record under it.
CREATE TABLE local_actors (
  team_id text NOT NULL REFERENCES teams (id),
  actor_id text NOT NULL,
  user_id text NOT NULL REFERENCES users (id),
  bound_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, actor_id)
);
-- Local actors already in the log belong to whoever pushed them first.
INSERT INTO local_actors (team_id, actor_id, user_id, bound_at)
SELECT DISTINCT ON (team_id, actor_id) team_id, actor_id, submitted_by, received_at
  FROM events WHERE actor_id LIKE 'local-%' ORDER BY team_id, actor_id, seq;

-- The server names who recorded an event: a display name the client made up is replaced by the
-- submitting member's name (ingest does the same from now on).
UPDATE events e SET body = jsonb_set(e.body, '{actor,name}', to_jsonb(u.name))
  FROM users u WHERE u.id = e.submitted_by AND e.body->'actor'->>'name' IS DISTINCT FROM u.name;
