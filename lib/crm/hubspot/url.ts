import type { PageKind } from '../types';

// HubSpot URLs (https://app.hubspot.com, regional hosts app-<region>.hubspot.com):
//   record  /contacts/<portalId>/record/<objectTypeId>/<recordId>[/…]
//   index   /contacts/<portalId>/objects/<objectTypeId>/views/<viewId>/list
// Every object lives under /contacts/; the object type id says which (contacts 0-1, leads 0-136).

/** Object types SAL Bridge treats as leads: contacts and HubSpot's leads object. */
export const HUBSPOT_CONTACT = '0-1';
export const HUBSPOT_LEAD = '0-136';

const RECORD_PATH = /^\/contacts\/\d+\/record\/(0-1|0-136)\/(\d{1,20})(?:\/.*)?$/;
const INDEX_PATH = /^\/contacts\/\d+\/objects\/(0-1|0-136)\/views\/[^/]+\/list\/?$/;
const HOST = /^app(?:-[a-z]{2,4}\d{1,2})?\.hubspot\.com$/;

/** True for HubSpot's app hosts: app.hubspot.com and regional ones such as app-eu1.hubspot.com. */
export function isHubSpotUrl(url: URL): boolean {
  return url.protocol === 'https:' && HOST.test(url.hostname);
}

/**
 * The record id SAL Bridge keys a HubSpot record by (`hubspot:<this>`): the contact's id as is;
 * a leads-object record's id prefixed with its object type (`0-136:<id>`), because HubSpot
 * numbers each object type on its own and a contact and a lead may share a number.
 */
export function hubSpotRecordKey(objectTypeId: string, recordId: string): string {
  return objectTypeId === HUBSPOT_CONTACT ? recordId : `${objectTypeId}:${recordId}`;
}

/**
 * The key (see `hubSpotRecordKey`) of the record a HubSpot URL (or a link: anything with a
 * `pathname`) shows, or null when it is not a contact or lead record.
 */
export function hubSpotRecordKeyFromUrl(url: { pathname: string }): string | null {
  const m = RECORD_PATH.exec(url.pathname);
  return m ? hubSpotRecordKey(m[1]!, m[2]!) : null;
}

/** Classifies a HubSpot page: a contact/lead record, a contact/lead index (table view), or other. */
export function detectHubSpotPage(url: URL): PageKind {
  if (!isHubSpotUrl(url)) return { kind: 'other' };
  const key = hubSpotRecordKeyFromUrl(url);
  if (key) return { kind: 'lead-record', recordId: key };
  return INDEX_PATH.test(url.pathname) ? { kind: 'lead-list' } : { kind: 'other' };
}

/**
 * The record page of a lead keyed `hubspot:<key>` (see `hubSpotRecordKey`), in the portal of a
 * HubSpot URL this browser has seen (the key alone does not say which portal it lives in).
 * Null when `seen` is not a HubSpot portal page or the key is not one SAL Bridge makes.
 */
export function hubSpotRecordUrl(seen: URL, key: string): string | null {
  const portalId = /^\/contacts\/(\d+)\//.exec(seen.pathname)?.[1];
  if (!isHubSpotUrl(seen) || !portalId) return null;
  const m = /^(?:(0-136):)?(\d{1,20})$/.exec(key);
  if (!m) return null;
  return `${seen.origin}/contacts/${portalId}/record/${m[1] ?? HUBSPOT_CONTACT}/${m[2]}`;
}
