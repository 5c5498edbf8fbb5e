-- SLA alerts that reach people when no browser is open (issue 11, item 5).
-- alert_settings: per team, where alerts go and which clocks and states alert. The channels
-- hold webhook URLs and the generic webhook's shared secret in plain text: the server must use
-- them, so they cannot be hashed like tokens; only admins read them back, masked.
CREATE TABLE alert_settings (
  team_id text PRIMARY KEY REFERENCES teams (id),
  enabled boolean NOT NULL,
  channels jsonb NOT NULL,
  rules jsonb NOT NULL,
  -- transitions before this instant are never announced (turning alerts on is no backlog flood)
  enabled_at timestamptz,
  updated_at timestamptz NOT NULL,
  updated_by text REFERENCES users (id)
);

-- The durable outbox: one row per alert and channel. alert_key is
-- <leadKey>|<clock>|<clock start ms>|<level>: one clock run (a new cycle or a restarted status
-- clock starts another) reaching one state. The unique key makes the watcher's enqueue
-- exactly-once however many passes (or server instances) find the same transition.
-- status: pending → sending (claimed until next_attempt_at) → sent | failed; a sending row whose
-- claim expired (its instance died mid-send) is due again.
CREATE TABLE alert_outbox (
  id text PRIMARY KEY,
  team_id text NOT NULL REFERENCES teams (id),
  alert_key text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('slack', 'teams', 'webhook')),
  lead_key text NOT NULL,
  clock text NOT NULL,
  level text NOT NULL CHECK (level IN ('warning', 'breached')),
  alert jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  last_status integer,
  last_error text,
  UNIQUE (team_id, alert_key, channel)
);
CREATE INDEX alert_outbox_due_idx ON alert_outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX alert_outbox_recent_idx ON alert_outbox (team_id, created_at DESC);
