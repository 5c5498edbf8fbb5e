-- Rate-limit token buckets shared by every server instance on this database
-- (server/src/rate-limit.ts): a token spread over several instances behind a load balancer still
-- gets one budget. `key` is the limiter's prefix and the token's hash or the client address;
-- `ok` is whether the last take found a token. UNLOGGED: nothing here is worth a WAL write or
-- survives a crash usefully (buckets simply start full again).
CREATE UNLOGGED TABLE rate_buckets (
  key text PRIMARY KEY,
  tokens double precision NOT NULL,
  at_ms bigint NOT NULL,
  ok boolean NOT NULL DEFAULT true
);
