import { parseLeadKey, LeadKeySchema, makeLeadKey } from '../domain/lead-key';
import { adapterFor } from './registry';
import type { CrmAdapter } from './types';
import type { QueueItem } from '../domain/sla-queue';
import { isLightningUrl, lightningLeadUrl } from './salesforce-lightning/url';
import { classicLeadUrl } from './salesforce-classic/url';
import { hubSpotRecordUrl } from './hubspot/url';
import { dynamicsLeadUrl } from './dynamics/url';

/**
 * The CRM page of a lead known only by its key: a hand-over made from a marketing list or CSV
 * carries no page URL, yet the rep's queue and notifications must open the lead. A lead key
 * names the record but not the tenant (Salesforce org, HubSpot portal, Dynamics org), so the
 * page is built on a CRM page this browser has already shown for that CRM.
 *
 * @param seenUrls URLs of CRM pages seen here, most recent first (the first usable one wins).
 * @returns an https URL, or null when the key is malformed, the CRM is configured per team
 *   (`custom:`), or no seen URL belongs to the lead's CRM.
 */
export function leadPageUrl(leadKey: string, seenUrls: Iterable<string>): string | null {
  if (!LeadKeySchema.safeParse(leadKey).success) return null;
  const { crm, recordId } = parseLeadKey(leadKey);
  for (const raw of seenUrls) {
    let seen: URL;
    try {
      seen = new URL(raw);
    } catch {
      continue;
    }
    let url: string | null = null;
    if (crm === 'salesforce') url = isLightningUrl(seen) ? lightningLeadUrl(seen.origin, recordId) : classicLeadUrl(seen, recordId);
    else if (crm === 'hubspot') url = hubSpotRecordUrl(seen, recordId);
    else if (crm === 'dynamics') url = dynamicsLeadUrl(seen, recordId);
    if (url) return url;
  }
  return null;
}

/**
 * Whether `href` is an https lead record page, on a CRM SAL Bridge knows (built in, or one of
 * `custom`), of the lead `leadKey`. URLs in events come from any teammate's browser (or a
 * hand-off API): only such a URL may be opened from the queue or a notification, never an
 * arbitrary site a crafted event names.
 */
export function isLeadPageOf(href: string, leadKey: string, custom: readonly CrmAdapter[] = []): boolean {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:') return false;
  const adapter = adapterFor(url, custom);
  const page = adapter?.detectPage(url);
  if (!adapter || page?.kind !== 'lead-record') return false;
  try {
    return makeLeadKey(adapter.id, page.recordId) === leadKey;
  } catch {
    return false;
  }
}

/**
 * The page to open for a lead: its snapshot's URL when that is the lead's page on a known CRM
 * (`isLeadPageOf`), else one built from its key on a CRM page seen here (`leadPageUrl`, from
 * seen URLs of known CRMs only), else null.
 */
export function openableLeadUrl(leadKey: string, snapshotUrl: string | undefined, seenUrls: Iterable<string>, custom: readonly CrmAdapter[] = []): string | null {
  if (snapshotUrl && isLeadPageOf(snapshotUrl, leadKey, custom)) return snapshotUrl;
  const known = [...seenUrls].filter((u) => {
    try {
      return adapterFor(new URL(u), custom) !== null;
    } catch {
      return false;
    }
  });
  return leadPageUrl(leadKey, known);
}

/**
 * Each queue item's lead URL becomes one the queue may open (`openableLeadUrl`): the snapshot's
 * when it is the lead's page on a known CRM, else one built from the key (hand-overs from a list
 * or CSV carry none), else none (the item is listed without a link). Here, not in the domain's
 * queue rules: which page may be opened is the CRM adapters' knowledge. Used by the worker's
 * queue service and by the popup.
 */
export function withLeadPages(items: readonly QueueItem[], seenUrls: readonly string[], custom: readonly CrmAdapter[] = []): QueueItem[] {
  return items.map((item) => {
    const url = openableLeadUrl(item.leadKey, item.lead.url, seenUrls, custom);
    if (url === item.lead.url) return item;
    const { url: _dropped, ...lead } = item.lead;
    return { ...item, lead: url ? { ...lead, url } : lead };
  });
}
