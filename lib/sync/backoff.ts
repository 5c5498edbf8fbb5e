/**
 * Full-jitter exponential backoff (AWS architecture blog, "Exponential Backoff and Jitter"):
 * a uniformly random delay in [0, min(cap, base * 2^attempt)]. Spreads the retries of many
 * clients after an outage instead of having them return in lock-step.
 * @param attempt 0 for the first retry
 * @param random a source in [0, 1) (injected so tests are deterministic)
 * @returns delay in ms
 */
export function fullJitterDelay(attempt: number, random: () => number, baseMs = 2_000, capMs = 15 * 60_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/**
 * Parses an HTTP Retry-After header (delta-seconds or an HTTP date) into ms from `now`.
 * @returns null when absent or unparseable
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}
