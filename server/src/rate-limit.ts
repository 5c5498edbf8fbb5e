/** Token-bucket settings: a burst of `capacity` requests, then `refillPerSecond` on average. */
export interface RateLimitConfig {
  capacity: number;
  refillPerSecond: number;
}

export interface RateLimiter {
  /** Takes one request from `key`'s bucket; when empty, how many seconds until one is back. */
  take(key: string, nowMs: number): { ok: true } | { ok: false; retryAfterSeconds: number };
}

/**
 * In-memory token buckets, one per key (the token's hash). Per process: a server run as several
 * processes would need a shared store, which the reference server does not.
 */
export function createRateLimiter(config: RateLimitConfig): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key, nowMs) {
      const bucket = buckets.get(key) ?? { tokens: config.capacity, at: nowMs };
      const elapsed = Math.max(0, nowMs - bucket.at) / 1000;
      bucket.tokens = Math.min(config.capacity, bucket.tokens + elapsed * config.refillPerSecond);
      bucket.at = nowMs;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / config.refillPerSecond)) };
    },
  };
}
