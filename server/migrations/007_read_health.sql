-- Read health (issue 16, item 1): each member's browser posts, per CRM, page kind and UTC day,
-- how many lead and list reads were OK, partial or failing, which fields were missed how often,
-- and which adapter versions, anchor strategies and CRM release markers the reads named. Counts
-- and names only, never lead data. One row per (team, member, crm, page, day): a browser posts its
-- whole day again as it grows, and the row is replaced.
CREATE TABLE read_health (
  team_id text NOT NULL REFERENCES teams (id),
  user_id text NOT NULL REFERENCES users (id),
  crm text NOT NULL,
  page text NOT NULL CHECK (page IN ('lead', 'list')),
  day date NOT NULL,
  reads integer NOT NULL CHECK (reads >= 0),
  ok integer NOT NULL CHECK (ok >= 0),
  partial integer NOT NULL CHECK (partial >= 0),
  failing integer NOT NULL CHECK (failing >= 0),
  missing jsonb NOT NULL,
  first_failing_at timestamptz,
  adapter_versions jsonb NOT NULL,
  strategies jsonb NOT NULL,
  releases jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (team_id, user_id, crm, page, day)
);
CREATE INDEX read_health_team_day_idx ON read_health (team_id, day);

-- The alerts outbox carries a second kind of alert: a jump in a CRM's failing reads
-- (alert_key read-health|<crm>|<day>: once per team, CRM and day). Such rows have no lead: their
-- lead_key is '' and their clock 'read_health'. Existing rows are SLA alerts.
ALTER TABLE alert_outbox ADD COLUMN kind text NOT NULL DEFAULT 'sla' CHECK (kind IN ('sla', 'read_health'));
