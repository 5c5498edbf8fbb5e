import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The generic webhook's signature: `X-SAL-Signature: v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`
 * with `X-SAL-Timestamp: <t>` (Unix seconds at sending). Signing the timestamp with the body lets
 * a receiver refuse a captured request replayed later (`verifySignature`'s tolerance); the
 * `v1=` prefix leaves room for another scheme without breaking receivers of this one.
 */
export const SIGNATURE_HEADER = 'x-sal-signature';
export const TIMESTAMP_HEADER = 'x-sal-timestamp';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** The signature header's value for `body` sent at `timestampSeconds`. */
export function signBody(secret: string, timestampSeconds: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex')}`;
}

/**
 * A receiver's check (also the README's recipe): the timestamp is within `toleranceSeconds` of
 * `nowSeconds` and one `v1=` signature of the header matches, compared in constant time.
 */
export function verifySignature(secret: string, header: string | undefined, timestamp: string | undefined, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  if (!header || !timestamp || !/^\d+$/.test(timestamp)) return false;
  const t = Number(timestamp);
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signBody(secret, t, body));
  return header.split(',').some((part) => {
    const given = Buffer.from(part.trim());
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
