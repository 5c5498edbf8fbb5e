-- The morning digest (issue 11, item 5): once a day per team and channel, a list per rep of the
-- hand-offs waiting for acceptance, due today and overdue, sent through the alerts outbox
-- (alert_key digest:<YYYY-MM-DD>: once per team, day and channel, whichever pass or instance
-- finds it due). Such rows have no lead: lead_key '' and clock 'digest'. Its settings live in
-- alert_settings.rules (rules.digest), which needs no change: rules without it have no digest.
-- Only widens a check: a server of the previous version never enqueues a digest, and none is
-- enqueued before a server of this version runs. (One that is still sending during a rolling
-- upgrade cannot format a digest row it claims: the row waits out its 10-minute lease and is
-- sent by an upgraded instance.)
ALTER TABLE alert_outbox DROP CONSTRAINT alert_outbox_kind_check;
ALTER TABLE alert_outbox ADD CONSTRAINT alert_outbox_kind_check CHECK (kind IN ('sla', 'read_health', 'digest'));
