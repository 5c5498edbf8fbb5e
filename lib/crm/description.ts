import type { LeadField } from './lead-fields';

// An adapter as data (issue 16): how to find the lead's fields, the panel's anchor and the list
// rows on one CRM UI's pages, as ordered strategies. Bundled with the extension
// (lib/crm/descriptions/) and replaceable by a newer one from the team server; validated with zod
// in the service worker (lib/protocol/adapter-description.ts, whose schema is checked against these
// types) and interpreted in the page by lib/crm/interpret.ts. Data only: selectors, attribute
// names, label texts and a few regular expressions, never code. Which URL is a lead page stays
// code (lib/crm/<crm>/url.ts): it decides which lead a tab shows and which page may be opened, and
// the content script's first stage needs it before it can ask the service worker anything.

/** The built-in CRM UIs a description can be for (the adapters' `ui`). */
export const DESCRIBED_UIS = ['salesforce-lightning', 'salesforce-classic', 'hubspot', 'dynamics-365'] as const;
export type DescribedUi = (typeof DESCRIBED_UIS)[number];

/**
 * One way to find a value. `name` says which way found it (read-health records and tests).
 * - `css`: the first visible match of `css` (inside the first match of `in` when given); with
 *   `deep`, open shadow roots are searched too.
 * - `label`: the element next to a label: a leaf element (matching `at` when given) whose text is
 *   one of `label` (written in lower case; the page's in any case), under `in` (and, with `deep`,
 *   its open shadow roots); its next element sibling, else its previous one.
 * The value in the element found: the first of `value`'s selectors found in it (in the listed
 * order, through its shadow roots; none found: '' unless `self`, then the element itself), read
 * as the attribute `attr` when the element has it non-empty, else as text (inputs by value).
 * `strip`: a regular expression removed from the value (e.g. a save state appended to a title).
 */
export type Strategy = { name: string; in?: string; deep?: boolean; strip?: string; value?: string[]; self?: boolean; attr?: string } & ({ css: string } | { label: string[]; at?: string });

/** How a record id is keyed: Salesforce's 18-character form, a lower-case GUID, HubSpot's `<type>:<id>` (contacts: the id alone), as is. */
export type IdForm = 'salesforce' | 'guid' | 'hubspot' | 'raw';

/** The data rows of a lead list view and the record id of each. */
export interface ListDescription {
  /** Selector of each row, or of a link in each row (then `row` is the row, by `closest`). */
  rows: string;
  row?: string;
  /** Selector of the record link in a row (the id may come from it, the badge's cell is its cell). */
  link?: string;
  /** Search open shadow roots when the light DOM has no rows. */
  deep?: boolean;
  /** The record id: the row's attribute `attr` matching `pattern`, else `pattern` on the link's path and query; group 1 (and 2). */
  id: { attr?: string; pattern: string };
  /** The cell the badge goes in: the link's `closest(linkCell)`, else the row's first match of `cell`, else the link's parent; rows with none are skipped. */
  linkCell?: string;
  cell?: string[];
  /** Rows inside a match are not the list's (a preview panel's links). */
  exclude?: string;
}

/** A strategy that finds an element (the panel's anchor): a `css` strategy without its value parts. */
export interface AnchorStrategy {
  name: string;
  css: string;
  in?: string;
  deep?: boolean;
}

export interface AdapterDescription {
  /** Format of this description (1): a newer format is ignored by an older extension. */
  format: 1;
  ui: DescribedUi;
  /** How record ids are keyed (see `IdForm`): list row ids are keyed, and the record id a read is for compared, in this form. */
  idForm: IdForm;
  /** Increases with every change; a stored description replaces the bundled one only when newer. */
  version: number;
  /** View containers the CRM keeps for visited pages: when the page has any, only the one matching `active` (and not hidden) is read. */
  views?: { css: string; active: string };
  /** Nothing is read unless the document has a match (e.g. the CRM's body class). */
  page?: string;
  /** The record's own column: searched instead of the whole view when present. */
  scope?: string;
  /** Matches of `exclude` and everything inside them are never read (another record's preview). */
  exclude?: string;
  /** Each field's strategies, in the order they are tried: the first non-empty value wins. */
  fields: Partial<Record<LeadField, Strategy[]>>;
  /** Fields whose absence makes a read partial (default: the snapshot's). */
  expected?: LeadField[];
  /**
   * Where the panel goes (after the element). `needs`: only once that field reads non-empty (the
   * record has rendered). `fallback`: when the record never renders, so the panel can still say
   * what it could not read; last resort the view container.
   */
  anchor: { find: AnchorStrategy[]; needs?: LeadField; fallback?: string[] };
  /** Checkbox fields (for hand-off rules): `css` items holding a checkbox, named by `attr` minus `prefix` and by the label in `label`. */
  checkboxes?: { css: string; attr: string; prefix: string; label?: string };
  list?: ListDescription;
  /** Where the page exposes the CRM's release: `attr` (or text) of `css`, group 1 of `pattern` when given. */
  release?: Array<{ css: string; attr?: string; pattern?: string }>;
}
