import { parse } from 'tldts';

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
 * Why a configured CRM's host may not be used, or null when it may. The host is a pattern of
 * lib/crm/custom (`crm.example.co.jp`, or `*.` + a domain). Refused: a host that is itself a
 * public suffix (`co.jp`, `github.io`, per the Public Suffix List with its private section, via
 * tldts), a wildcard over a public suffix (`*.co.jp`) or over a multi-tenant SaaS domain
 * (`*.cybozu.com`), and IP addresses. Intranet names (`crm.corp.internal`) are accepted.
 */
export function customCrmHostProblem(host: string): string | null {
  const wildcard = host.startsWith('*.');
  const name = wildcard ? host.slice(2) : host;
  const info = parse(name, { allowPrivateDomains: true });
  if (info.isIp) return 'host: an IP address is not a CRM host name';
  // names under a top-level domain the list does not know (an intranet's `crm.corp.internal`)
  // count their last label as the suffix, so `*.internal` is refused and `crm.corp.internal` is not
  if (info.domain === null || info.publicSuffix === name) return `host: ${name} is a public suffix shared by many owners (e.g. co.jp); name your CRM's own host`;
  if (wildcard && info.domain === name && MULTI_TENANT_DOMAINS.includes(name)) {
    return `host: *.${name} would cover every customer of ${name}; name your tenant's host (e.g. yourcompany.${name})`;
  }
  return null;
}
