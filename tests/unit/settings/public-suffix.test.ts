import { describe, expect, it } from 'vitest';
import { parse } from 'tldts';
import { PUBLIC_SUFFIX_RULES } from '../../../lib/settings/public-suffix-list';
import { publicSuffixOf } from '../../../lib/settings/public-suffix';
import { customCrmHostProblem, MULTI_TENANT_DOMAINS } from '../../../lib/settings/custom-crm-host';

/** Every rule of the generated list, written back as `a.b`, `*.b`, `!a.b` (the generator's nesting undone). */
function listedRules(): string[] {
  const rules: string[] = [];
  let at = 0;
  const text = PUBLIC_SUFFIX_RULES;
  const read = (suffix: string): void => {
    for (;;) {
      let end = at;
      while (end < text.length && !',()'.includes(text[end]!)) end++;
      const label = text.slice(at, end);
      at = end;
      if (label === '') rules.push(suffix);
      else if (label === '!') rules.push(`!${suffix}`);
      else if (text[at] === '(') {
        at++;
        read(suffix ? `${label}.${suffix}` : label);
        at++;
      } else rules.push(suffix ? `${label}.${suffix}` : label);
      if (text[at] !== ',') return;
      at++;
    }
  };
  read('');
  return rules;
}

// tldts (a dev dependency now) is what the service worker used before; the generated list must
// give its answers for every rule, so the host check refuses exactly what it refused
const tldtsSuffix = (host: string) => parse(host, { allowPrivateDomains: true }).publicSuffix;

describe('public suffixes (generated from tldts, read without it)', () => {
  const rules = listedRules();

  it('holds the whole list: thousands of ICANN and private rules, wildcards and exceptions', () => {
    expect(rules.length).toBeGreaterThan(10_000);
    for (const rule of ['com', 'co.jp', 'github.io', '*.kawasaki.jp', '!city.kawasaki.jp']) expect(rules).toContain(rule);
  });

  it('answers as tldts for every rule, for a name under it and for a wildcard or exception case', () => {
    const differences: string[] = [];
    for (const rule of rules) {
      const name = rule.replace(/^!/, '').replace(/^\*\./, 'x.');
      for (const host of [name, `acme.${name}`, `crm.acme.${name}`]) {
        const expected = tldtsSuffix(host);
        if (publicSuffixOf(host) !== expected) differences.push(`${host}: ${publicSuffixOf(host)} ≠ ${expected}`);
      }
    }
    expect(differences).toEqual([]);
  });

  it('falls back to the last label for a top-level domain the list does not know', () => {
    expect(publicSuffixOf('crm.corp.internal')).toBe('internal');
    expect(publicSuffixOf('internal')).toBe('internal');
    expect(publicSuffixOf('city.kawasaki.jp')).toBe('kawasaki.jp');
    expect(publicSuffixOf('foo.kawasaki.jp')).toBe('foo.kawasaki.jp');
  });
});

/** The check as it was written with tldts (before public-suffix.ts), as the reference. */
function tldtsVerdict(host: string): boolean {
  const wildcard = host.startsWith('*.');
  const name = wildcard ? host.slice(2) : host;
  const info = parse(name, { allowPrivateDomains: true });
  if (info.isIp) return false;
  if (info.domain === null || info.publicSuffix === name) return false;
  return !(wildcard && info.domain === name && MULTI_TENANT_DOMAINS.includes(name));
}

describe('custom CRM hosts: the same verdicts as with tldts', () => {
  it('refuses and accepts as before for every listed rule, a wildcard over it and a tenant under it', () => {
    const differences: string[] = [];
    for (const rule of listedRules()) {
      // the names a configuration can hold (lib/crm/custom HOST): ASCII, lower case
      if (!/^[!*a-z0-9.-]+$/.test(rule)) continue;
      const name = rule.replace(/^!/, '').replace(/^\*\./, 'x.');
      for (const host of [name, `*.${name}`, `acme.${name}`, `*.acme.${name}`]) {
        if ((customCrmHostProblem(host) === null) !== tldtsVerdict(host)) differences.push(host);
      }
    }
    for (const domain of MULTI_TENANT_DOMAINS) for (const host of [domain, `*.${domain}`, `acme.${domain}`]) if ((customCrmHostProblem(host) === null) !== tldtsVerdict(host)) differences.push(host);
    expect(differences).toEqual([]);
  });

  it('refuses IP addresses in any notation browsers read as one, and what is no host name', () => {
    for (const host of ['192.168.0.1', '0x7f.1', '2130706433', '[::1]']) expect(customCrmHostProblem(host), host).toMatch(/IP address/);
    for (const host of ['crm.1', 'evil.example/x.com', 'user@crm.example.com', 'crm.example.com:8443', 'a..b.com', '', '*.']) expect(customCrmHostProblem(host), host).not.toBeNull();
  });

  it('reads upper case and full-width dots as browsers do', () => {
    expect(customCrmHostProblem('CO.JP')).not.toBeNull();
    expect(customCrmHostProblem('co\u3002jp')).not.toBeNull();
    expect(customCrmHostProblem('*.CYBOZU.COM')).not.toBeNull();
    expect(customCrmHostProblem('Crm.Example.co.jp')).toBeNull();
  });
});
