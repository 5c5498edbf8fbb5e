import { z } from 'zod';
import { CrmIdSchema } from '../domain/lead-key';
import { LeadSnapshotSchema, type LeadEvent } from '../domain/events';
import type { SalDefinition } from '../domain/definition';
import type { Lang } from '../i18n';
import type { CustomCrmConfig } from '../crm/custom';

/**
 * The one message contract inside the extension. Every message is parsed with `RequestSchema`
 * in the background before anything is done with it; the sender is checked too (see
 * lib/background/router.ts): page messages only from our content scripts in CRM tabs, app
 * messages only from our own extension pages.
 *
 * Content scripts import only types from here (`import type`), so zod stays out of the page.
 */

/** What a content script read from a lead record page. */
export const LeadReadSchema = z.object({
  crm: CrmIdSchema,
  recordId: z.string().min(1).max(200),
  status: z.enum(['complete', 'partial', 'none']),
  lead: LeadSnapshotSchema.extend({ score: z.number().finite().optional() }),
  missing: z.array(z.string().max(100)).max(50),
});
export type LeadRead = z.infer<typeof LeadReadSchema>;

export const BadgeStatusSchema = z.enum(['untracked', 'pending', 'accepted', 'rejected', 'overdue', 'contested', 'qualified', 'closed']);
export type BadgeStatus = z.infer<typeof BadgeStatusSchema>;

/** A decision as the panel asks for it; the background adds id, actor, time, version and snapshot. */
export const EventDraftSchema = z.object({
  type: z.string().min(1).max(50),
  payload: z.record(z.string(), z.unknown()),
});
export type EventDraft = z.infer<typeof EventDraftSchema>;

/** `location.ancestorOrigins` of the panel frame, nearest first. */
export const AncestorOriginsSchema = z.array(z.string().max(300)).max(20);

export const RequestSchema = z.discriminatedUnion('type', [
  // content script → background
  z.object({ type: z.literal('page.lead'), read: LeadReadSchema }),
  z.object({ type: z.literal('page.leave') }),
  // the content script of a configured CRM asks for its host's description (it cannot read storage)
  z.object({ type: z.literal('page.customCrm') }),
  z.object({
    type: z.literal('page.listStatuses'),
    crm: CrmIdSchema,
    recordIds: z.array(z.string().min(1).max(200)).max(5000),
  }),
  // extension pages (panel, popup, options) → background
  // The panel says who frames it (`location.ancestorOrigins`, set by the browser): the
  // background answers only a panel framed directly by the CRM page of its own tab.
  z.object({ type: z.literal('panel.hello'), ancestorOrigins: AncestorOriginsSchema }),
  z.object({ type: z.literal('panel.record'), leadKey: z.string().max(300), draft: EventDraftSchema, ancestorOrigins: AncestorOriginsSchema }),
  // The panel frame is an extension page inside a CRM tab: a third-party frame, where Chromium
  // may refuse IndexedDB (storage partitioning / third-party storage blocking). So it reads the
  // extension's data through the background, never by opening the database itself.
  z.object({ type: z.literal('panel.leadEvents'), leadKey: z.string().max(300) }),
  z.object({ type: z.literal('panel.context') }),
  z.object({ type: z.literal('app.syncNow') }),
  z.object({ type: z.literal('app.backendChanged') }),
]);
export type Request = z.infer<typeof RequestSchema>;
export type RequestType = Request['type'];
export type RequestOf<T extends RequestType> = Extract<Request, { type: T }>;

/** What the session store holds per tab: the lead the tab shows, for the panel in that tab. */
export const TabLeadSchema = z.object({
  leadKey: z.string(),
  read: LeadReadSchema,
  url: z.string(),
  at: z.number(),
  /** The top-level document our content script read it in (MessageSender.documentId): a reload or navigation makes another. */
  documentId: z.string().max(100).optional(),
});
export type TabLead = z.infer<typeof TabLeadSchema>;

export interface ResponseMap {
  'page.lead': { ok: true; leadKey: string } | { ok: false; error: string };
  'page.leave': { ok: true };
  'page.customCrm': { crms: CustomCrmConfig[] };
  'page.listStatuses': { statuses: Record<string, BadgeStatus>; labels: Record<BadgeStatus, string> };
  /** `not_framed_by_crm`: the panel is not framed directly by a CRM page of its tab; it must not render. */
  'panel.hello': { ok: true; tabId: number } | { ok: false; error: 'not_framed_by_crm' };
  'panel.record': { ok: true; eventId: string } | { ok: false; error: string; issues?: string[] };
  'panel.leadEvents': { events: LeadEvent[] };
  'panel.context': { definition: SalDefinition; actorId: string | null; lang: Lang };
  'app.syncNow': { ok: boolean; error?: string };
  'app.backendChanged': { ok: true };
}

/** Background → content script: list badges may have changed (after a pull or a local decision). */
export interface StatusesChangedMessage {
  type: 'bg.statusesChanged';
}

/**
 * Background → content script, sent to one document (`documentId`): is it still there? The
 * content script answers `true`; a reloaded or navigated tab has no such document any more and
 * the send fails, so the lead it showed is forgotten (see lib/background/tab-leads.ts).
 */
export interface PingMessage {
  type: 'bg.ping';
}

/**
 * `browser.storage.session` key the background bumps (to a timestamp) whenever events, the
 * definition, the user or the language change, so open panels refetch. chrome.storage works in
 * the third-party panel frame where IndexedDB may not.
 */
export const DATA_CHANGED_KEY = 'dataChangedAt';

export function tabLeadKey(tabId: number): string {
  return `tabLead:${tabId}`;
}
