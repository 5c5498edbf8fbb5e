import { publicSuffixOf } from './public-suffix';

/**
 * Registrable domains that host many customers' tenants as subdomains (kintone / cybozu.com,
 * Zoho, the built-in CRMs' own SaaS hosts …) but are not on the Public Suffix List. A wildcard
 * over one of them would run SAL Bridge on every other company's tenant, so only exact hosts
 * (`acme.cybozu.com`) are accepted under them. Extend when a team reports another such host.
 */
export const MULTI_TENANT_DOMAINS: readonly string[] = [
  'cybozu.com',
  'cybozu.cn',
  'kintone.com',
  'zoho.com',
  'zoho.jp',
  'zoho.eu',
  'force.com',
  'salesforce.com',
  'site.com',
  'hubspot.com',
  'dynamics.com',
  'pipedrive.com',
  'freshsales.io',
  'myfreshworks.com',
  'sansan.com',
];

/**
 * The host name as browsers read it (WHATWG URL host parser: lower case, IDN as punycode, an IPv4
 * address in any notation as dotted decimal), 'ip' for an address, null for what is no host name.
 */
function canonicalHost(name: string): string | 'ip' | null {
  if (name.startsWith('[')) return 'ip';
  // only what a host name may hold: nothing that would make the URL below read a path, a user or a port
  if (!/^[a-z0-9._\-\u0080-\uffff]{1,253}$/i.test(name) || name.split('.').some((label) => label.length === 0 || label.length > 63)) return null;
  let host: string;
  try {
    host = new URL(`https://${name}/`).hostname;
  } catch {
    // e.g. a name ending in a number that is no IPv4 address (`crm.1`)
    return null;
  }
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) ? 'ip' : host;
}

/**
 * Why a configured CRM's host may not be used, or null when it may. The host is a pattern of
 * lib/crm/custom (`crm.example.co.jp`, or `*.` + a domain). Refused: a host that is itself a
 * public suffix (`co.jp`, `github.io`, per the Public Suffix List with its private section, see
 * ./public-suffix.ts), a wildcard over a public suffix (`*.co.jp`) or over a multi-tenant SaaS
 * domain (`*.cybozu.com`), IP addresses, and what is no host name. Intranet names
 * (`crm.corp.internal`) are accepted.
 */
export function customCrmHostProblem(host: string): string | null {
  const wildcard = host.startsWith('*.');
  const name = wildcard ? host.slice(2) : host;
  const canonical = canonicalHost(name);
  if (canonical === 'ip') return 'host: an IP address is not a CRM host name';
  // names under a top-level domain the list does not know (an intranet's `crm.corp.internal`)
  // count their last label as the suffix, so `*.internal` is refused and `crm.corp.internal` is not
  const suffix = canonical === null ? null : publicSuffixOf(canonical);
  if (canonical === null || suffix === canonical) return `host: ${name} is a public suffix shared by many owners (e.g. co.jp); name your CRM's own host`;
  // the registrable domain: the suffix and one label more
  const domain = canonical
    .split('.')
    .slice(-(suffix!.split('.').length + 1))
    .join('.');
  if (wildcard && domain === canonical && MULTI_TENANT_DOMAINS.includes(canonical)) {
    return `host: *.${name} would cover every customer of ${name}; name your tenant's host (e.g. yourcompany.${name})`;
  }
  return null;
}
