import { z } from 'zod';
import { CrmIdSchema } from '../domain/lead-key';
import { LeadEventSchema, LeadSnapshotSchema, ReviewedEventSchema, type LeadEvent } from '../domain/events';
import type { SalDefinition } from '../domain/definition';
import type { Role } from '../domain/roles';
import type { Lang } from '../i18n';
import type { CustomCrmConfig } from '../crm/custom';
import type { ListCells, PageLeadRead } from '../crm/types';
import { LEAD_FIELDS } from '../crm/lead-fields';
import { DESCRIBED_UIS, type AdapterDescription } from '../crm/description';
import type { WritebackJob } from '../db/schema';

/**
 * The one message contract inside the extension: every message between a content script or an
 * extension page and the service worker, either way, and the one between the panel frame and the
 * content script that hosts it.
 *
 * - Requests to the worker (`RequestSchema`, answers in `ResponseMap`) are parsed with zod in the
 *   worker before anything is done with them; the sender is checked too (see
 *   lib/background/router.ts): page messages only from our content scripts in CRM tabs, app
 *   messages only from our own extension pages.
 * - Worker → content script: `BackgroundMessage` (answers in `BackgroundResponseMap`).
 * - Panel frame → content script (`window.postMessage`): `PanelHeightMessage`.
 * - Worker → extension pages: the `DATA_CHANGED_KEY` bump in `storage.session`.
 *
 * Content scripts import only types from here (`import type`), so zod stays out of the page
 * (eslint.config.js enforces it); where they need a message's name at run time they write the
 * literal with `satisfies` against the type declared here.
 */

/**
 * How a read went, for read-health records (issue 16; optional: older content scripts and
 * configured CRMs send none): which strategy found the anchor or the rows, the CRM release marker
 * the page exposes, and the version of the adapter description that read it. No lead data.
 */
const ReadHealthFields = {
  strategy: z.string().max(60).optional(),
  release: z.string().max(100).optional(),
  adapterVersion: z.number().int().min(0).optional(),
};

/**
 * What a content script read from a lead record page (`PageLeadRead`, lib/crm/types.ts). The
 * lead's fields are the snapshot's, the page's score and owner (the owner is for hand-off rules
 * only: events store the snapshot's fields).
 */
export const LeadReadSchema = z.object({
  crm: CrmIdSchema,
  recordId: z.string().min(1).max(200),
  status: z.enum(['complete', 'partial', 'none']),
  lead: LeadSnapshotSchema.extend({
    score: z.number().finite().optional(),
    owner: z.string().max(200).optional(),
    checkboxes: z
      .record(z.string().max(200), z.boolean())
      .refine((boxes) => Object.keys(boxes).length <= 100, { message: 'at most 100 checkboxes' })
      .optional(),
  }),
  missing: z.array(z.enum(LEAD_FIELDS)).max(50),
  ...ReadHealthFields,
}) satisfies z.ZodType<PageLeadRead>;

/** A list row's cells (`ListCells`, lib/crm/types.ts): at most 100 columns, values cut by the page to 200 characters. */
export const ListCellsSchema = z
  .record(z.string().max(200), z.union([z.string().max(200), z.boolean()]))
  .refine((cells) => Object.keys(cells).length <= 100, { message: 'at most 100 cells' }) satisfies z.ZodType<ListCells>;

export const BadgeStatusSchema = z.enum(['untracked', 'pending', 'accepted', 'rejected', 'overdue', 'contested', 'qualified', 'closed']);
export type BadgeStatus = z.infer<typeof BadgeStatusSchema>;

/** `Pick` applied to each member of a union (a plain `Pick` would merge the members). */
type PickEach<T, K extends keyof T> = T extends unknown ? Pick<T, K> : never;

/**
 * A decision as the panel asks for it: one event's `type` and its `payload`, as the event schema
 * has them (`LeadEventSchema`, lib/domain/events.ts); the background adds id, actor, time,
 * definition version and snapshot.
 */
export type EventDraft = PickEach<LeadEvent, 'type' | 'payload'>;
/** `EventDraft` as a sender writes it, before the schema's defaults (e.g. an empty checklist) fill in. */
export type EventDraftInput = PickEach<z.input<typeof LeadEventSchema>, 'type' | 'payload'>;

/**
 * `EventDraft`'s schema: `LeadEventSchema`'s own members, each cut to its type and payload, so the
 * worker's parse of a request checks the payload against its event type. TypeScript cannot follow
 * `.pick` through the tuple of members, hence the one cast; tests/unit/messaging/protocol.test.ts
 * checks the schema accepts and refuses per type.
 */
export const EventDraftSchema = z.discriminatedUnion(
  'type',
  (LeadEventSchema.options as readonly z.ZodObject<{ type: z.ZodLiteral<LeadEvent['type']>; payload: z.ZodType }>[]).map((event) => event.pick({ type: true, payload: true })) as [
    z.ZodObject<{ type: z.ZodLiteral<LeadEvent['type']>; payload: z.ZodType }>,
  ],
) as unknown as z.ZodType<EventDraft, EventDraftInput>;

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
    /** Each row's cells by record id, for the team's hand-off rule (absent: the page has no rule to serve). */
    cells: z.record(z.string().max(200), ListCellsSchema).optional(),
    ...ReadHealthFields,
  }),
  // the content script of a built-in CRM asks for its UI's adapter description (the bundled one,
  // or the team server's newer one): it carries only the interpreter (lib/crm/interpret.ts)
  z.object({ type: z.literal('page.adapter'), ui: z.enum(DESCRIBED_UIS) }),
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
  // the write-backs of the decisions on the lead the panel shows, and 再試行 of one of them
  z.object({ type: z.literal('panel.writebacks'), leadKey: z.string().max(300) }),
  z.object({ type: z.literal('panel.retryWriteback'), leadKey: z.string().max(300), id: z.string().max(100) }),
  z.object({ type: z.literal('app.syncNow') }),
  // the lead review page (review.html, a tab of its own) → background: the meeting's outcome for a
  // lead it lists, recorded as a `reviewed` event (lib/background/review-service.ts)
  z.object({ type: z.literal('app.recordReview'), leadKey: z.string().max(300), payload: ReviewedEventSchema.shape.payload }),
  z.object({ type: z.literal('app.backendChanged') }),
  // the options page → background: Salesforce OAuth for write-back (lib/writeback/salesforce-oauth.ts);
  // the worker runs the sign-in window and keeps the tokens, the page learns only which orgs are connected
  z.object({ type: z.literal('app.salesforceConnections') }),
  z.object({ type: z.literal('app.salesforceConnect'), org: z.string().max(300) }),
  z.object({ type: z.literal('app.salesforceDisconnect'), org: z.string().max(300) }),
]);
export type Request = z.infer<typeof RequestSchema>;
export type RequestType = Request['type'];
export type RequestOf<T extends RequestType> = Extract<Request, { type: T }>;
/** A request as its sender writes it (before the schema's defaults fill in). */
export type RequestInputOf<T extends RequestType> = Extract<z.input<typeof RequestSchema>, { type: T }>;

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
  /**
   * `rule`: the team has a hand-off rule for this CRM UI (the page keeps sending cells only then).
   * `tips`: each row's tooltip, worded by the worker at the time of its answer, lines separated by
   * `\n`: the status, the most urgent SLA clock's time left or overdue with its deadline, the
   * reason, who decided (lib/background/list-statuses.ts). The badges' stylesheet is the worker's
   * too: it puts it in the asking document before it answers (`listCss`), so the page script sets
   * only attributes.
   * `known`: the answer to a request naming no record (the page's first, before its rows come):
   * every lead of the page's CRM that has events, record ids by status, so rows are badged in the
   * frame they first paint in; a lead of that CRM not in it is `untracked`. Absent when the CRM has
   * too many such leads (`LIST_KNOWN_MAX`, lib/background/list-statuses.ts).
   */
  'page.listStatuses': {
    statuses: Record<string, BadgeStatus>;
    labels: Record<BadgeStatus, string>;
    rule: boolean;
    tips: Record<string, string>;
    known?: Partial<Record<BadgeStatus, string[]>>;
  };
  /** Validated by the worker (lib/background/adapter-descriptions.ts); the page interprets it as is. */
  /** `on`: false when the enterprise policy turned this built-in CRM off (no panel, no badges). */
  'page.adapter': { description: AdapterDescription; on: boolean };
  /** `not_framed_by_crm`: the panel is not framed directly by a CRM page of its tab; it must not render. */
  'panel.hello': { ok: true; tabId: number } | { ok: false; error: 'not_framed_by_crm' };
  'panel.record': { ok: true; eventId: string } | { ok: false; error: string; issues?: string[] };
  'panel.leadEvents': { events: LeadEvent[] };
  /**
   * `role`: the signed-in member's (null in local-only mode, or a role this version does not know).
   * `signedOut`: the server ended this browser's session or token (sync paused until the rep signs in again).
   */
  'panel.context': { definition: SalDefinition; actorId: string | null; role: Role | null; lang: Lang; signedOut: boolean };
  'panel.writebacks': { writebacks: WritebackStatus[] };
  'panel.retryWriteback': { ok: boolean };
  'app.syncNow': { ok: boolean; error?: string };
  'app.recordReview': { ok: true; eventId: string } | { ok: false; error: string; issues?: string[] };
  'app.backendChanged': { ok: true };
  'app.salesforceConnections': SalesforceConnectionsInfo;
  /** `error`: see `ConnectError` in lib/writeback/salesforce-oauth.ts; `forbidden` from a page other than the options page. */
  'app.salesforceConnect': { ok: true; origin: string } | { ok: false; error: string; message: string };
  'app.salesforceDisconnect': { ok: boolean };
}

/**
 * What the options page shows of the Salesforce OAuth fallback: the team's connected app (null:
 * none configured), the redirect URI its admin registers, the connected orgs (no token), and the
 * orgs whose write-backs wait for a connection (`SALESFORCE_CONNECT_REQUIRED`).
 */
export interface SalesforceConnectionsInfo {
  clientId: string | null;
  /** Whether the connected app is set by enterprise policy. */
  byPolicy: boolean;
  redirectUri: string;
  connected: Array<{ origin: string; connectedAt: number }>;
  waiting: string[];
}

/** A decision's write-back as the panel shows it (the fields and credentials stay in the worker). */
export type WritebackStatus = Pick<WritebackJob, 'id' | 'crm' | 'trigger' | 'state' | 'createdAt'>;

/**
 * Background → content scripts (`tabs.sendMessage` to every tab): list badges may have changed
 * (after a pull or a local decision). No answer.
 */
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

/** Every message the background sends to content scripts. */
export type BackgroundMessage = StatusesChangedMessage | PingMessage;

/** What a content script answers each background message with (`undefined`: no answer). */
export interface BackgroundResponseMap {
  'bg.statusesChanged': undefined;
  'bg.ping': true;
}

/**
 * Panel frame → the content script hosting it (`window.parent.postMessage`, to the CRM page's
 * origin; lib/content/panel-frame.ts takes it only from its own frame): the panel's height in
 * CSS px, so the frame fits it without a scrollbar.
 */
export interface PanelHeightMessage {
  type: 'sal-bridge:panel-height';
  height: number;
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
