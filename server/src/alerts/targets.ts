import { lookup as dnsLookup, type LookupAddress, type LookupOneOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Where the server may post alerts (SSRF defence). A webhook URL is typed by a team admin, and
 * the server posts to it from inside the operator's network, so an unchecked URL would let an
 * admin make the server call its own database port, a cloud metadata endpoint (169.254.169.254)
 * or an intranet service. What we do:
 * - the scheme must be https (no credentials in the URL, no other port-less tricks);
 * - a host that is an IP literal or `localhost` is judged when the settings are saved;
 * - a host name is resolved at send time by the connection's own `lookup` (`guardedLookup`), and
 *   every resolved address is judged there, so the address checked is the address connected to
 *   (a name that re-resolves to 10.0.0.1 later — DNS rebinding — is refused at that moment);
 * - redirects are never followed (`post.ts` uses node:https, which does not follow them).
 * Refused: loopback, private (RFC 1918, ULA), link-local, CGNAT, unspecified, multicast,
 * reserved and documentation ranges, and IPv4 mapped into IPv6 in those ranges.
 * `allowLocalTargets` (a server flag for tests and development only) lifts the address check and
 * admits plain http to 127.0.0.1.
 */
export interface TargetPolicy {
  allowLocalTargets: boolean;
}

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address is outside the public internet (see the list above). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return blocked.check(mapped[1], 'ipv4');
  // ::ffff:0:0/96 written in hex, and the rest of IPv4-compatible space
  if (/^::ffff:/i.test(address) || blocked.check(address, 'ipv6')) return true;
  return false;
}

/** Why a webhook URL is refused, or null when it may be saved. */
export function refuseTarget(raw: string, policy: TargetPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.username || url.password) return 'a webhook URL must not carry credentials before the host';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol === 'http:' && policy.allowLocalTargets && host === '127.0.0.1') return null;
  if (url.protocol !== 'https:') return 'a webhook URL must be https';
  if (policy.allowLocalTargets) return null;
  if (host === 'localhost' || host.endsWith('.localhost')) return 'a webhook URL must not point at this machine';
  if (isIP(host) && isPrivateAddress(host)) return 'a webhook URL must not point into a private network';
  return null;
}

/** The error a refused address raises inside the connection (the sender records it as a failure). */
export class RefusedTargetError extends Error {
  readonly code = 'ERR_SAL_REFUSED_TARGET';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for `https.request` that refuses private addresses (every address of the name: a
 * connection may try any of them). With `allowLocalTargets` it is the plain resolver.
 */
export function guardedLookup(policy: TargetPolicy) {
  return (hostname: string, options: LookupOneOptions & { all?: boolean }, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '');
      const refused = policy.allowLocalTargets ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (refused) return callback(new RefusedTargetError(`${hostname} resolves to ${refused.address}, inside a private network`), '');
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new RefusedTargetError(`${hostname} has no address`), '');
      callback(null, first.address, first.family);
    });
  };
}
