import { parseLeadKey, LeadKeySchema } from '../domain/lead-key';
import { isLightningUrl, lightningLeadUrl } from './salesforce-lightning/url';
import { classicLeadUrl } from './salesforce-classic';
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
