-- Adapter fixes as data (issue 16): a team admin's description of how to read one built-in CRM
-- UI (selectors, labels, patterns; never code), served to the team's extensions, which use it
-- instead of their bundled one when its version is higher. One row per team and UI: the newest.
-- Only an addition: a server of the previous version never reads it.
CREATE TABLE adapter_descriptions (
  team_id text NOT NULL REFERENCES teams (id),
  ui text NOT NULL,
  version integer NOT NULL,
  body jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by text REFERENCES users (id),
  PRIMARY KEY (team_id, ui)
);
