import { describe, expect, it } from 'vitest';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { CRM_MATCHES, LEAD_PAGE_MATCHES } from '../../../lib/crm/matches';
import { isLeadPage } from '../../../lib/content/lead-pages';

// The manifest injects crm-main.js on LEAD_PAGE_MATCHES and crm-watch.js on the other CRM pages
// (wxt.config.ts): which script a page gets is decided by these patterns, before any of our code runs.
const matched = (patterns: readonly string[], url: string) => patterns.some((p) => new MatchPattern(p).includes(url));

const LEAD_PAGES = [
  'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view',
  'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEAAZ/view?sandboxLarge=1',
  'https://acme.lightning.force.com/lightning/r/00Q5g00000AbCdE/view',
  'https://acme.lightning.force.com/lightning/o/Lead/list?filterName=Recent',
  'https://acme.lightning.force.com/lightning/o/Lead/home',
];
// CRM pages SAL Bridge does not act on: they must keep the small first stage only
const OTHER_PAGES = [
  'https://acme.lightning.force.com/lightning/page/home',
  'https://acme.lightning.force.com/lightning/r/Account/0015g00000AbCdE/view',
  'https://acme.lightning.force.com/lightning/r/0015g00000AbCdE/view',
  'https://acme.lightning.force.com/lightning/o/Account/list',
  'https://acme.my.salesforce.com/001/o',
];

describe('which content script the manifest injects (LEAD_PAGE_MATCHES)', () => {
  it('gives a Lightning lead record or lead list loaded by URL the second stage directly', () => {
    for (const url of LEAD_PAGES) {
      expect(isLeadPage(new URL(url)), url).toBe(true);
      expect(matched(LEAD_PAGE_MATCHES, url), url).toBe(true);
    }
  });

  it('leaves every other CRM page to the first stage', () => {
    for (const url of OTHER_PAGES) {
      expect(matched(CRM_MATCHES, url), url).toBe(true);
      expect(matched(LEAD_PAGE_MATCHES, url), url).toBe(false);
    }
  });

  it('injects the second stage only on hosts the first stage covers (granted CRM hosts)', () => {
    for (const url of LEAD_PAGES) expect(matched(CRM_MATCHES, url), url).toBe(true);
    // a lead page on another host is not ours
    expect(matched(LEAD_PAGE_MATCHES, 'https://evil.example/lightning/r/Lead/00Q5g00000AbCdE/view')).toBe(false);
  });
});
