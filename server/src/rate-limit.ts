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
 * always a single instance. Several instances on PostgreSQL use `createDatabaseRequestLimits`.
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

/** The token refill of the upsert: LEAST(capacity, tokens + elapsed seconds × rate), as in `refilled`. */
const REFILL_SQL = 'LEAST($2::float8, b.tokens + GREATEST(0, $3::bigint - b.at_ms)::float8 / 1000 * $4::float8)';
/** The upsert that takes one from bucket $1 (capacity $2, the caller's clock $3, refill rate $4), from `rows` (one row, or none to take nothing). */
const takeSql = (rows: string) => `INSERT INTO rate_buckets AS b (key, tokens, at_ms, ok) ${rows}
   ON CONFLICT (key) DO UPDATE SET
     ok = ${REFILL_SQL} >= 1,
     tokens = ${REFILL_SQL} - CASE WHEN ${REFILL_SQL} >= 1 THEN 1 ELSE 0 END,
     at_ms = GREATEST(b.at_ms, $3::bigint)
   RETURNING ok, tokens`;

/**
 * The same token buckets in the `rate_buckets` table (migration 004), so every server instance on
 * one PostgreSQL shares them: a token spread over two instances behind a load balancer gets one
 * budget, not two. A take is one upsert: the row lock serializes concurrent takes of one key
 * across instances, and the refill is computed from the caller's clock (`nowMs`), never moved
 * backwards (`GREATEST`), so instances whose clocks differ a little cannot refill a bucket twice.
 * `prefix` keeps two limiters (per token, per address) apart in the one table.
 * Returns the tokens left after a take, and sweeps the prefix's idle buckets every `SWEEP_EVERY`
 * takes. (`createDatabaseRequestLimits` below applies them.)
 */
function databaseBuckets(db: Queryable, config: RateLimitConfig, prefix: string) {
  let takes = 0;
  const fullAfterMs = Math.ceil((config.capacity / config.refillPerSecond) * 1000);
  const sweep = (nowMs: number) => db.query('DELETE FROM rate_buckets WHERE key LIKE $1 AND at_ms < $2', [`${prefix.replace(/[\\%_]/g, '\\$&')}%`, nowMs - fullAfterMs]).catch(() => undefined);
  return {
    /** Counts a take done by another statement (`createDatabaseRequestLimits.admit`) towards the sweep. */
    counted(nowMs: number) {
      if (++takes % SWEEP_EVERY === 0) void sweep(nowMs);
    },
    async take(key: string, nowMs: number): Promise<{ ok: boolean; tokens: number }> {
      const { rows } = await db.query<{ ok: boolean; tokens: number }>(takeSql('VALUES ($1, $2::float8 - 1, $3::bigint, true)'), [prefix + key, config.capacity, nowMs, config.refillPerSecond]);
      this.counted(nowMs);
      const row = rows[0];
      return row ? { ok: row.ok, tokens: Number(row.tokens) } : { ok: true, tokens: config.capacity - 1 };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Both limits of a request, in as few round trips as the store allows

/** Why a request was refused with 429: its address is waiting (failed authentications), or its token's budget is spent. */
export type AdmitResult = { ok: true } | { ok: false; limited: 'address' | 'token'; retryAfterSeconds: number };

/**
 * The two limits `authenticate` applies (server/src/middleware.ts): failed authentications per
 * client address, and requests per token. Either may be off (null config).
 */
export interface RequestLimits {
  /**
   * Seconds `address` must wait (0 = now), checked before its token is looked up, without taking.
   * Answered without the database where it can be (see `createDatabaseRequestLimits`).
   */
  addressWait(address: string, nowMs: number): Promise<number>;
  /** A failed authentication from `address`: takes one from its bucket. */
  refuse(address: string, nowMs: number): Promise<TakeResult>;
  /** A valid token from `address`: refused while the address waits, else one is taken from the token's bucket. */
  admit(address: string, tokenHash: string, nowMs: number): Promise<AdmitResult>;
}

/** In memory, one process (see `createRateLimiter`): the embedded database's single instance. */
export function createMemoryRequestLimits(token: RateLimitConfig | null, address: RateLimitConfig | null): RequestLimits {
  const tokens = token ? createRateLimiter(token) : null;
  const addresses = address ? createRateLimiter(address) : null;
  return {
    addressWait: async (key, nowMs) => (addresses ? addresses.wait(key, nowMs) : 0),
    refuse: async (key, nowMs) => (addresses ? addresses.take(key, nowMs) : { ok: true }),
    async admit(addressKey, tokenHash, nowMs) {
      const waiting = addresses ? await addresses.wait(addressKey, nowMs) : 0;
      if (waiting > 0) return { ok: false, limited: 'address', retryAfterSeconds: waiting };
      const taken = tokens ? await tokens.take(tokenHash, nowMs) : { ok: true as const };
      return taken.ok ? taken : { ok: false, limited: 'token', retryAfterSeconds: taken.retryAfterSeconds };
    },
  };
}

/** Past this many addresses known to wait, the list starts over (a bound on memory, not a policy). */
const MAX_WAITING_ADDRESSES = 10_000;

/**
 * The same limits in the shared `rate_buckets` table (see `databaseBuckets`), so every
 * instance on one PostgreSQL applies one budget per token and per address, with one statement per
 * request that gets this far:
 * - `admit` reads the address's bucket and takes from the token's in one statement (a
 *   data-modifying CTE: the token's bucket is not touched while the address waits);
 * - `addressWait` asks no database: it answers from the addresses this instance saw waiting, each
 *   until the instant its bucket holds a token again. That is exact in one direction: no instance
 *   adds tokens to a bucket but the refill of time, so an address seen empty stays empty until
 *   then. An address emptied by another instance is not known here: its next request is looked
 *   up, and then refused by `refuse` or `admit` just the same (what is spared is only the lookup,
 *   for the addresses this instance already refused).
 */
export function createDatabaseRequestLimits(db: Queryable, token: RateLimitConfig | null, address: RateLimitConfig | null): RequestLimits {
  const tokens = token ? databaseBuckets(db, token, 'token:') : null;
  const addresses = address ? databaseBuckets(db, address, 'address:') : null;
  const waitingUntil = new Map<string, number>();
  /** Notes that `key`'s bucket held `bucketTokens` (< 1) at `nowMs`: it waits until one is back. */
  const sawWaiting = (key: string, config: RateLimitConfig, bucketTokens: number, nowMs: number) => {
    if (waitingUntil.size >= MAX_WAITING_ADDRESSES) waitingUntil.clear();
    waitingUntil.set(key, nowMs + ((1 - bucketTokens) / config.refillPerSecond) * 1000);
    return { ok: false as const, retryAfterSeconds: secondsUntilOne(config, bucketTokens) };
  };
  return {
    async addressWait(key, nowMs) {
      const until = waitingUntil.get(key);
      if (until === undefined) return 0;
      if (until <= nowMs) {
        waitingUntil.delete(key);
        return 0;
      }
      return Math.max(1, Math.ceil((until - nowMs) / 1000));
    },
    async refuse(key, nowMs) {
      if (!addresses || !address) return { ok: true };
      const taken = await addresses.take(key, nowMs);
      return taken.ok ? { ok: true } : sawWaiting(key, address, taken.tokens, nowMs);
    },
    async admit(addressKey, tokenHash, nowMs) {
      // the address's refill as in `refilled` (its bucket is only read here, never taken from)
      const addressTokens = (capacity: string, now: string, rate: string) => `LEAST(${capacity}::float8, a.tokens + GREATEST(0, ${now}::bigint - a.at_ms)::float8 / 1000 * ${rate}::float8)`;
      if (!tokens || !token) {
        if (!address) return { ok: true };
        const refilledSql = addressTokens('$2', '$3', '$4');
        const { rows } = await db.query<{ tokens: number }>(`SELECT ${refilledSql} AS tokens FROM rate_buckets a WHERE a.key = $1 AND ${refilledSql} < 1`, [
          `address:${addressKey}`,
          address.capacity,
          nowMs,
          address.refillPerSecond,
        ]);
        return rows[0] ? { limited: 'address', ...sawWaiting(addressKey, address, Number(rows[0].tokens), nowMs) } : { ok: true };
      }
      // One statement: the address's bucket is read, and only when it holds a token is one taken
      // from the token's (a data-modifying CTE; the upsert's row lock orders concurrent takes of
      // one token across instances, as `databaseBuckets.take` does).
      const params: unknown[] = [`token:${tokenHash}`, token.capacity, nowMs, token.refillPerSecond];
      if (address) params.push(`address:${addressKey}`, address.capacity, address.refillPerSecond);
      const { rows } = await db.query<{ address_tokens: number | null; ok: boolean | null; tokens: number | null }>(
        address
          ? `WITH waiting AS (SELECT ${addressTokens('$6', '$3', '$7')} AS tokens FROM rate_buckets a WHERE a.key = $5 AND ${addressTokens('$6', '$3', '$7')} < 1),
                  taken AS (${takeSql('SELECT $1, $2::float8 - 1, $3::bigint, true WHERE NOT EXISTS (SELECT 1 FROM waiting)')})
             SELECT (SELECT tokens FROM waiting) AS address_tokens, (SELECT ok FROM taken) AS ok, (SELECT tokens FROM taken) AS tokens`
          : `WITH taken AS (${takeSql('VALUES ($1, $2::float8 - 1, $3::bigint, true)')}) SELECT NULL::float8 AS address_tokens, ok, tokens FROM taken`,
        params,
      );
      const row = rows[0];
      if (address && row?.address_tokens != null) return { limited: 'address', ...sawWaiting(addressKey, address, Number(row.address_tokens), nowMs) };
      tokens.counted(nowMs);
      if (!row || row.ok !== false) return { ok: true };
      return { ok: false, limited: 'token', retryAfterSeconds: secondsUntilOne(token, Number(row.tokens)) };
    },
  };
}
