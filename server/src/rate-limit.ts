import type { Queryable } from './db/types';

/** Token-bucket settings: a burst of `capacity` requests, then `refillPerSecond` on average. */
export interface RateLimitConfig {
  capacity: number;
  refillPerSecond: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Takes one request from `key`'s bucket; when empty, how many seconds until one is back. */
  take(key: string, nowMs: number): Promise<TakeResult>;
  /** Seconds until `key` may make a request (0 = now), without taking anything. */
  wait(key: string, nowMs: number): Promise<number>;
}

/** Past this many buckets, full (idle) ones are dropped: client addresses as keys are unbounded. */
const MAX_BUCKETS = 10_000;

/** Tokens in a bucket that held `tokens` at `atMs`, refilled until `nowMs` (a clock going back refills nothing). */
function refilled(config: RateLimitConfig, tokens: number, atMs: number, nowMs: number): number {
  return Math.min(config.capacity, tokens + (Math.max(0, nowMs - atMs) / 1000) * config.refillPerSecond);
}

const secondsUntilOne = (config: RateLimitConfig, tokens: number) => Math.max(1, Math.ceil((1 - tokens) / config.refillPerSecond));

/**
 * In-memory token buckets, one per key (a token's hash, or a client address). Correct for one
 * process only: the embedded database (PGlite) is opened by one process, so a server on it is
 * always a single instance. Several instances on PostgreSQL use `createDatabaseRateLimiter`.
 */
export function createRateLimiter(config: RateLimitConfig): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    async wait(key, nowMs) {
      const bucket = buckets.get(key);
      if (!bucket) return 0;
      const tokens = refilled(config, bucket.tokens, bucket.at, nowMs);
      return tokens >= 1 ? 0 : secondsUntilOne(config, tokens);
    },
    async take(key, nowMs) {
      if (buckets.size >= MAX_BUCKETS && !buckets.has(key)) {
        for (const [k, b] of buckets) if (refilled(config, b.tokens, b.at, nowMs) >= config.capacity) buckets.delete(k);
      }
      const bucket = buckets.get(key) ?? { tokens: config.capacity, at: nowMs };
      bucket.tokens = refilled(config, bucket.tokens, bucket.at, nowMs);
      bucket.at = nowMs;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: secondsUntilOne(config, bucket.tokens) };
    },
  };
}

/** Every this many takes, an instance deletes its limiter's buckets that have been idle long enough to be full. */
const SWEEP_EVERY = 1000;

/**
 * The same token buckets in the `rate_buckets` table (migration 004), so every server instance on
 * one PostgreSQL shares them: a token spread over two instances behind a load balancer gets one
 * budget, not two. A take is one upsert: the row lock serializes concurrent takes of one key
 * across instances, and the refill is computed from the caller's clock (`nowMs`), never moved
 * backwards (`GREATEST`), so instances whose clocks differ a little cannot refill a bucket twice.
 * `prefix` keeps two limiters (per token, per address) apart in the one table.
 */
export function createDatabaseRateLimiter(db: Queryable, config: RateLimitConfig, prefix: string): RateLimiter {
  let takes = 0;
  const fullAfterMs = Math.ceil((config.capacity / config.refillPerSecond) * 1000);
  const sweep = (nowMs: number) => db.query('DELETE FROM rate_buckets WHERE key LIKE $1 AND at_ms < $2', [`${prefix.replace(/[\\%_]/g, '\\$&')}%`, nowMs - fullAfterMs]).catch(() => undefined);
  return {
    async wait(key, nowMs) {
      const { rows } = await db.query<{ tokens: number; at_ms: unknown }>('SELECT tokens, at_ms FROM rate_buckets WHERE key = $1', [prefix + key]);
      const row = rows[0];
      if (!row) return 0;
      const tokens = refilled(config, Number(row.tokens), Number(row.at_ms), nowMs);
      return tokens >= 1 ? 0 : secondsUntilOne(config, tokens);
    },
    async take(key, nowMs) {
      // refilled = LEAST(capacity, tokens + elapsed seconds × rate), as in `refilled` above
      const refill = 'LEAST($2::float8, b.tokens + GREATEST(0, $3::bigint - b.at_ms)::float8 / 1000 * $4::float8)';
      const { rows } = await db.query<{ ok: boolean; tokens: number }>(
        `INSERT INTO rate_buckets AS b (key, tokens, at_ms, ok) VALUES ($1, $2::float8 - 1, $3::bigint, true)
         ON CONFLICT (key) DO UPDATE SET
           ok = ${refill} >= 1,
           tokens = ${refill} - CASE WHEN ${refill} >= 1 THEN 1 ELSE 0 END,
           at_ms = GREATEST(b.at_ms, $3::bigint)
         RETURNING ok, tokens`,
        [prefix + key, config.capacity, nowMs, config.refillPerSecond],
      );
      if (++takes % SWEEP_EVERY === 0) void sweep(nowMs);
      const row = rows[0];
      if (!row || row.ok) return { ok: true };
      return { ok: false, retryAfterSeconds: secondsUntilOne(config, Number(row.tokens)) };
    },
  };
}
