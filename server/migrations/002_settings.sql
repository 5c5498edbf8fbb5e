-- Team settings: the SAL definition, versioned. Stored versions are immutable (events record
-- the version they were made under); settings points at the active one.
CREATE TABLE definitions (
  team_id text NOT NULL REFERENCES teams (id),
  version integer NOT NULL CHECK (version >= 1),
  body jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text REFERENCES users (id),
  PRIMARY KEY (team_id, version)
);

CREATE TABLE settings (
  team_id text PRIMARY KEY REFERENCES teams (id),
  revision integer NOT NULL,
  active_version integer NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by text REFERENCES users (id),
  FOREIGN KEY (team_id, active_version) REFERENCES definitions (team_id, version)
);

-- Who pushed each event (the token's user), for audit; an event's actor is what the client
-- claims. Events stored before this migration were pushed by their actor.
ALTER TABLE events ADD COLUMN submitted_by text;
UPDATE events SET submitted_by = actor_id;
ALTER TABLE events ALTER COLUMN submitted_by SET NOT NULL;
