import type { CrmId, LeadSnapshot } from '../domain';
import type { LeadField } from './lead-fields';

export type { LeadField } from './lead-fields';

// Type-only imports: erased at build time, so the domain's zod schemas never reach the content
// script (whose whole budget is 10 KB gzipped). Keep every file under lib/crm dependency-free.

/** What kind of CRM page a URL shows, as far as SAL Bridge cares. */
export type PageKind = { kind: 'lead-record'; /** 18-character (case-safe) or CRM-native record id */ recordId: string } | { kind: 'lead-list' } | { kind: 'other' };

/** A lead as read from the page: the snapshot SAL Bridge stores plus page-only extras. */
export type LeadOnPage = LeadSnapshot & {
  owner?: string;
  score?: number;
  /** Checkbox fields seen, by API name and label (for hand-off rules; not stored on events). */
  checkboxes?: Record<string, boolean>;
};

/**
 * Result of reading the visible lead record.
 * - `complete`: every field the adapter expects was found on the page (possibly empty);
 * - `partial`: some were found;
 * - `none`: nothing could be read (fields not rendered yet or never, or the record is not visible).
 */
export interface LeadRead {
  status: 'complete' | 'partial' | 'none';
  lead: LeadOnPage;
  /** Expected fields not found on the page at all (layout lacks them, or not rendered). */
  missing: LeadField[];
  /** Fields present on the page but without a value (e.g. a lead with no email). */
  empty: LeadField[];
  /** The CRM's release marker, where the page exposes one (read-health records). */
  release?: string;
}

/**
 * A read as the content script hands it to the background (`page.lead` in
 * lib/messaging/protocol.ts, whose schema is checked against this type): which record of which
 * CRM, and what was read there. `empty` stays in the page.
 */
export type PageLeadRead = { crm: CrmId; recordId: string } & Omit<LeadRead, 'empty'> & ReadHealth;

/**
 * How a read went, sent with it for read-health records (no lead data): the strategy that found
 * the anchor (or the list's rows), the CRM release marker where the page exposes one, and the
 * version of the adapter description that read the page.
 */
export interface ReadHealth {
  strategy?: string;
  release?: string;
  adapterVersion?: number;
}

/** One data row of a lead list view. */
export interface ListRow {
  /** Record id, 18-character form for Salesforce. */
  recordId: string;
  row: Element;
  /** The cell holding the record's name link: where a list badge goes. */
  nameCell: Element;
}

/**
 * A list row's cells by column name (see `listRowCells` in dom.ts): text, or a checkbox's state.
 * The content script sends them with the row's id; the service worker matches hand-off rules on them.
 */
export type ListCells = Record<string, string | boolean>;

/** The adapter contract: one per CRM UI. Pure functions of the URL or a document. */
export interface CrmAdapter {
  /** Which CRM the record ids belong to (lead keys are `<id>:<recordId>`). */
  id: CrmId;
  /** Which UI of that CRM, e.g. `salesforce-lightning` (for logs and settings). */
  ui: string;
  /** True when this adapter handles pages at `url`. */
  matches(url: URL): boolean;
  /** Classifies a page from its URL alone (cheap: runs on every navigation). */
  detectPage(url: URL): PageKind;
  /**
   * Reads the lead from the record the user sees. Never reads hidden cached records; looks into
   * open shadow roots; takes text only. Never throws.
   */
  readLead(doc: Document, recordId: string): LeadRead;
  /**
   * The element the panel is inserted after, in the visible record (e.g. its highlights header),
   * or null while it has not rendered. With `fallback: true` returns the record page's frame
   * when the header never appears, so the panel can still say the lead could not be read.
   */
  findRecordAnchor(doc: Document, recordId: string, options?: { fallback?: boolean }): Element | null;
  /** Data rows of the visible lead list under `root` (hidden cached lists are skipped). */
  listRows(root: Document | Element): ListRow[];
  /** Adapters built from a description (lib/crm/interpret.ts): its version, for read-health records. */
  version?: number;
  /** Adapters built from a description: the name of the strategy that found the last anchor returned. */
  lastAnchor?: string;
}
