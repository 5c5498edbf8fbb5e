/** Token-bucket settings: a burst of `capacity` requests, then `refillPerSecond` on average. */
export interface RateLimitConfig {
  capacity: number;
  refillPerSecond: number;
}

export interface RateLimiter {
  /** Takes one request from `key`'s bucket; when empty, how many seconds until one is back. */
  take(key: string, nowMs: number): { ok: true } | { ok: false; retryAfterSeconds: number };
  /** Seconds until `key` may make a request (0 = now), without taking anything. */
  wait(key: string, nowMs: number): number;
}

/** Past this many buckets, full (idle) ones are dropped: client addresses as keys are unbounded. */
const MAX_BUCKETS = 10_000;

/**
 * In-memory token buckets, one per key (a token's hash, or a client address). Per process: a server run as several
 * processes would need a shared store, which the reference server does not.
 */
export function createRateLimiter(config: RateLimitConfig): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refill = (bucket: { tokens: number; at: number }, nowMs: number) => Math.min(config.capacity, bucket.tokens + (Math.max(0, nowMs - bucket.at) / 1000) * config.refillPerSecond);
  const secondsUntilOne = (tokens: number) => Math.max(1, Math.ceil((1 - tokens) / config.refillPerSecond));
  return {
    wait(key, nowMs) {
      const bucket = buckets.get(key);
      if (!bucket) return 0;
      const tokens = refill(bucket, nowMs);
      return tokens >= 1 ? 0 : secondsUntilOne(tokens);
    },
    take(key, nowMs) {
      if (buckets.size >= MAX_BUCKETS && !buckets.has(key)) {
        for (const [k, b] of buckets) if (refill(b, nowMs) >= config.capacity) buckets.delete(k);
      }
      const bucket = buckets.get(key) ?? { tokens: config.capacity, at: nowMs };
      bucket.tokens = refill(bucket, nowMs);
      bucket.at = nowMs;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: secondsUntilOne(bucket.tokens) };
    },
  };
}
