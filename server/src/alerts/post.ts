import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, isPrivateAddress, RefusedTargetError, refuseTarget, type TargetPolicy } from './targets';

/** What a webhook answered: its status, `Retry-After` and the start of its body (for the admin's log). */
export interface PostResult {
  status: number;
  retryAfter: string | null;
  body: string;
}

/** Posts one alert body; rejects on network errors, timeouts and refused targets. */
export type PostJson = (url: string, body: string, headers: Record<string, string>) => Promise<PostResult>;

const BODY_KEPT = 300;

/**
 * POST over node:http(s) rather than `fetch`: the connection's `lookup` is ours, so the address
 * judged by the SSRF rule is the one connected to (`targets.ts`), and redirects are not followed.
 * The URL is judged again here (settings could predate a stricter server).
 */
export function createPoster(policy: TargetPolicy, timeoutMs = 10_000): PostJson {
  return (raw, body, headers) =>
    new Promise<PostResult>((resolve, reject) => {
      const refused = refuseTarget(raw, policy);
      if (refused) return reject(new RefusedTargetError(refused));
      const url = new URL(raw);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      // an IP literal never goes through `lookup`
      if (isIP(host) && !policy.allowLocalTargets && isPrivateAddress(host)) return reject(new RefusedTargetError(`${host} is inside a private network`));
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'SAL-Bridge-Alerts/1', ...headers },
          lookup: guardedLookup(policy) as never,
          timeout: timeoutMs,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (text.length < BODY_KEPT) text += chunk;
          });
          res.on('end', () => {
            const retryAfter = res.headers['retry-after'];
            resolve({ status: res.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : null, body: text.slice(0, BODY_KEPT) });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
}
