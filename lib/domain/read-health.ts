import { z } from 'zod';
import { CrmIdSchema, makeLeadKey, type CrmId } from './lead-key';
import { pgSafeString } from './pg-safe';

/**
 * Read health: whether SAL Bridge can still read each CRM's pages (issue 16). Every lead read and
 * list read yields one anonymous record (which CRM, which page kind, which adapter, which fields
 * were found or missing, which strategy found the anchor and the CRM's release marker when the
 * read says so) and never lead data: no record id, no name, no value. The service worker sums the
 * records per CRM, page kind and day (`addRead`); the team server sums the members' days and
 * judges each CRM (`crmHealth`) and a jump in its failures (`failureJump`). Pure: no clock, no
 * storage; instants are passed in (ms since the epoch) and days are UTC calendar days.
 */

/** The pages a read comes from: a lead record page or a lead list view. */
export const ReadPageSchema = z.enum(['lead', 'list']);
export type ReadPage = z.infer<typeof ReadPageSchema>;

/**
 * How one read went. `ok`: everything the adapter expects was found; `partial`: some of it;
 * `failing`: nothing (a lead page where no field was found, a list view without one readable row).
 */
export const ReadOutcomeSchema = z.enum(['ok', 'partial', 'failing']);
export type ReadOutcome = z.infer<typeof ReadOutcomeSchema>;

/** A short name (an adapter, a field, a strategy, a release marker): never page content. */
const NameSchema = pgSafeString().trim().min(1).max(100);
/** At most this many distinct names per count map, so a page that makes up names cannot grow a day without bound. */
export const MAX_NAMES = 30;
const CountsSchema = z.record(NameSchema, z.number().int().min(0)).refine((m) => Object.keys(m).length <= MAX_NAMES, { message: `at most ${MAX_NAMES} names` });

/**
 * What the content script may add to a read about how it read (issue 16 items 2 and 3): the
 * strategy that found the panel's anchor (or the list's rows), the CRM's release marker when the
 * page exposes one, and the version of the adapter description that read the page. All optional
 * (`ReadHealth` in lib/crm/types.ts, carried by `page.lead` and `page.listStatuses`); a read
 * without them is judged on its fields alone.
 */
export const ReadHintsSchema = z.object({
  strategy: NameSchema.optional(),
  release: NameSchema.optional(),
  adapterVersion: z.union([z.number().int().min(0), NameSchema]).optional(),
});
export type ReadHints = z.infer<typeof ReadHintsSchema>;

/** One read's health record: what a read says about the adapter, nothing about the lead. */
export const ReadHealthRecordSchema = z.object({
  crm: CrmIdSchema,
  page: ReadPageSchema,
  /** The adapter's UI (`CrmAdapter.ui`, e.g. `salesforce-lightning`). */
  ui: NameSchema,
  /**
   * The adapter's version: the extension's, then `/` and the adapter description's when the read
   * names one (`1.4.0/3`: description 3 read by extension 1.4.0).
   */
  adapterVersion: NameSchema,
  outcome: ReadOutcomeSchema,
  found: z.array(NameSchema).max(50),
  missing: z.array(NameSchema).max(50),
  strategy: NameSchema.optional(),
  release: NameSchema.optional(),
});
export type ReadHealthRecord = z.infer<typeof ReadHealthRecordSchema>;

/** A lead read as the content script sends it (`page.lead`): its status and which fields were not found. */
export interface LeadReadForHealth extends ReadHints {
  crm: CrmId;
  status: 'complete' | 'partial' | 'none';
  /** The fields read (only their names are looked at, never their values). */
  lead: object;
  missing: readonly string[];
}

/** Where a read happened: the adapter that read it and the extension's version. */
export interface ReadContext {
  ui: string;
  extensionVersion: string;
}

const OUTCOME_OF_STATUS: Record<LeadReadForHealth['status'], ReadOutcome> = { complete: 'ok', partial: 'partial', none: 'failing' };

/** The optional hints of a read, the ones that hold (a malformed hint is dropped, not the read). */
function hintsOf(read: object): ReadHints {
  const out: Record<string, unknown> = {};
  for (const key of ['strategy', 'release', 'adapterVersion'] as const) {
    const parsed = ReadHintsSchema.shape[key].safeParse((read as Record<string, unknown>)[key]);
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
  }
  return out as ReadHints;
}

/**
 * The health record of a lead read: `complete` → ok, `partial` → partial, `none` → failing;
 * `found` are the fields that carry a value, `missing` the ones the adapter expected and did not
 * find. Only field names leave this function.
 */
export function leadReadHealth(read: LeadReadForHealth, context: ReadContext): ReadHealthRecord {
  const missing = [...new Set(read.missing)].sort();
  const found = Object.entries(read.lead)
    .filter(([field, value]) => value !== undefined && field !== 'checkboxes' && !missing.includes(field))
    .map(([field]) => field)
    .sort();
  return recordOf(read.crm, 'lead', OUTCOME_OF_STATUS[read.status], found, missing, hintsOf(read), context);
}

/** A list read as the content script sends it (`page.listStatuses`): the rows' ids and, when asked for, their cells. */
export interface ListReadForHealth extends ReadHints {
  crm: CrmId;
  recordIds: readonly string[];
  cells?: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined;
}

/**
 * The health record of a list read. Its "fields" are the rows' record ids (`recordId`) and, when
 * the cells were sent, the rows' named cells (`cells`):
 * - failing: no row with a valid record id (the content script sends a list read when it found
 *   rows, so this means the rows it found could not be identified);
 * - partial: some ids are not valid record ids, or every row sent came without a named cell;
 * - ok otherwise.
 */
export function listReadHealth(list: ListReadForHealth, context: ReadContext): ReadHealthRecord {
  const valid = list.recordIds.filter((id) => {
    try {
      makeLeadKey(list.crm, id);
      return true;
    } catch {
      return false;
    }
  }).length;
  const found: string[] = [];
  const missing: string[] = [];
  (valid > 0 ? found : missing).push('recordId');
  const rows = list.cells ? Object.values(list.cells) : [];
  if (rows.length > 0) (rows.some((cells) => Object.keys(cells).length > 0) ? found : missing).push('cells');
  const outcome: ReadOutcome = valid === 0 ? 'failing' : valid < list.recordIds.length || missing.length > 0 ? 'partial' : 'ok';
  return recordOf(list.crm, 'list', outcome, found, missing, hintsOf(list), context);
}

function recordOf(crm: CrmId, page: ReadPage, outcome: ReadOutcome, found: string[], missing: string[], hints: ReadHints, context: ReadContext): ReadHealthRecord {
  return {
    crm,
    page,
    ui: context.ui,
    adapterVersion: hints.adapterVersion === undefined ? context.extensionVersion : `${context.extensionVersion}/${hints.adapterVersion}`,
    outcome,
    found,
    missing,
    ...(hints.strategy ? { strategy: hints.strategy } : {}),
    ...(hints.release ? { release: hints.release } : {}),
  };
}

/** The reads of one CRM's page kind on one UTC day, as one browser (or, summed, a team) saw them. */
export const ReadHealthDaySchema = z
  .object({
    crm: CrmIdSchema,
    page: ReadPageSchema,
    /** UTC calendar day, `YYYY-MM-DD`. */
    day: z.iso.date(),
    reads: z.number().int().min(0),
    ok: z.number().int().min(0),
    partial: z.number().int().min(0),
    failing: z.number().int().min(0),
    /** Reads that missed each field, by field name. */
    missing: CountsSchema,
    /** The first failing read of the day (ISO instant), null when none failed. */
    firstFailingAt: z.iso.datetime({ offset: true }).nullable(),
    /** Reads per adapter version, per anchor strategy and per CRM release marker (when the reads named them). */
    adapterVersions: CountsSchema,
    strategies: CountsSchema,
    releases: CountsSchema,
  })
  .refine((d) => d.ok + d.partial + d.failing === d.reads, { message: 'ok + partial + failing must equal reads' });
export type ReadHealthDay = z.infer<typeof ReadHealthDaySchema>;

/** How many days of read health a browser keeps and the team server reads (today included). */
export const READ_HEALTH_WINDOW_DAYS = 30;

/** The UTC calendar day (`YYYY-MM-DD`) of an instant in ms since the epoch. */
export function readDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** The UTC day `days` days after `day` (before it when negative). */
export function shiftDay(day: string, days: number): string {
  return readDay(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000);
}

/** An empty day for one CRM's page kind. */
export function emptyReadDay(crm: CrmId, page: ReadPage, day: string): ReadHealthDay {
  return { crm, page, day, reads: 0, ok: 0, partial: 0, failing: 0, missing: {}, firstFailingAt: null, adapterVersions: {}, strategies: {}, releases: {} };
}

function bump(counts: Record<string, number>, name: string | undefined, by: number): Record<string, number> {
  if (name === undefined) return counts;
  const n = (counts[name] ?? 0) + by;
  const next = { ...counts };
  if (n > 0) {
    // a name never seen before is dropped once the map is full: the counts stay bounded
    if (name in counts || Object.keys(counts).length < MAX_NAMES) next[name] = n;
  } else delete next[name];
  return next;
}

/**
 * `day` with one more read (`sign` 1), or with a read taken back (`sign` -1: a later read of the
 * same page visit replaces it, see lib/background/read-health.ts). `day` must be the record's CRM,
 * page kind and the UTC day of `at`; undefined starts an empty one. A failing read sets
 * `firstFailingAt` when it is the day's first; taking back the last failing read clears it.
 * Counts never go below zero.
 * @param at when the read happened, ms since the epoch
 */
export function addRead(day: ReadHealthDay | undefined, record: ReadHealthRecord, at: number, sign: 1 | -1 = 1): ReadHealthDay {
  const base = day ?? emptyReadDay(record.crm, record.page, readDay(at));
  const clampAdd = (n: number) => Math.max(0, n + sign);
  if (sign === -1 && base[record.outcome] === 0) return base;
  let missing = base.missing;
  for (const field of record.missing) missing = bump(missing, field, sign);
  const failing = record.outcome === 'failing' ? clampAdd(base.failing) : base.failing;
  const iso = new Date(at).toISOString();
  const firstFailingAt = failing === 0 ? null : record.outcome === 'failing' && sign === 1 && (base.firstFailingAt === null || iso < base.firstFailingAt) ? iso : base.firstFailingAt;
  return {
    ...base,
    reads: clampAdd(base.reads),
    ok: record.outcome === 'ok' ? clampAdd(base.ok) : base.ok,
    partial: record.outcome === 'partial' ? clampAdd(base.partial) : base.partial,
    failing,
    missing,
    firstFailingAt,
    adapterVersions: bump(base.adapterVersions, record.adapterVersion, sign),
    strategies: bump(base.strategies, record.strategy, sign),
    releases: bump(base.releases, record.release, sign),
  };
}

// ---------------------------------------------------------------------------------------------
// The team's view (the server sums its members' days, then judges each CRM)

/** A day's reads of one CRM summed over page kinds and members. */
export interface ReadCounts {
  day: string;
  reads: number;
  ok: number;
  partial: number;
  failing: number;
  missing: Record<string, number>;
  firstFailingAt: string | null;
}

/** Sums days (of one CRM) per day, oldest first. */
export function sumByDay(days: ReadonlyArray<Omit<ReadHealthDay, 'crm' | 'page' | 'adapterVersions' | 'strategies' | 'releases'>>): ReadCounts[] {
  const byDay = new Map<string, ReadCounts>();
  for (const d of days) {
    const sum = byDay.get(d.day) ?? { day: d.day, reads: 0, ok: 0, partial: 0, failing: 0, missing: {}, firstFailingAt: null };
    sum.reads += d.reads;
    sum.ok += d.ok;
    sum.partial += d.partial;
    sum.failing += d.failing;
    for (const [field, n] of Object.entries(d.missing)) sum.missing[field] = (sum.missing[field] ?? 0) + n;
    if (d.firstFailingAt !== null && (sum.firstFailingAt === null || d.firstFailingAt < sum.firstFailingAt)) sum.firstFailingAt = d.firstFailingAt;
    byDay.set(d.day, sum);
  }
  return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
}

/**
 * A CRM's status on a day. `failing` when at least `FAILING_PERCENT` % of its reads failed;
 * `partial` when at least `PARTIAL_PERCENT` % of them failed or missed a field; `ok` otherwise
 * (a few reads cut short by a rep navigating away do not turn a CRM amber). Compared in integers,
 * so 30 % is 30 % exactly.
 */
export const FAILING_PERCENT = 30;
export const PARTIAL_PERCENT = 30;
export type ReadStatus = 'ok' | 'partial' | 'failing';

export function dayStatus(c: Pick<ReadCounts, 'reads' | 'partial' | 'failing'>): ReadStatus {
  if (c.reads === 0) return 'ok';
  if (c.failing * 100 >= FAILING_PERCENT * c.reads) return 'failing';
  if ((c.partial + c.failing) * 100 >= PARTIAL_PERCENT * c.reads) return 'partial';
  return 'ok';
}

export interface CrmHealth {
  status: ReadStatus;
  /**
   * Since when the CRM has had this status: the first of the run of days with reads that all had
   * it (days without reads do not break the run). For `failing`, that day's first failing read;
   * otherwise the start of that UTC day. ISO instant.
   */
  since: string;
  /** The last day with reads, whose counts these are. */
  day: string;
  counts: Pick<ReadCounts, 'reads' | 'ok' | 'partial' | 'failing'>;
  /** The fields missed most often that day, most first (at most five). */
  topMissing: Array<{ field: string; count: number }>;
}

/** A CRM's health from its summed days (`sumByDay`); null without any read. */
export function crmHealth(days: readonly ReadCounts[]): CrmHealth | null {
  const withReads = days.filter((d) => d.reads > 0);
  const last = withReads.at(-1);
  if (!last) return null;
  const status = dayStatus(last);
  let first = last;
  for (let i = withReads.length - 2; i >= 0 && dayStatus(withReads[i]!) === status; i--) first = withReads[i]!;
  const since = status === 'failing' && first.firstFailingAt !== null ? first.firstFailingAt : `${first.day}T00:00:00.000Z`;
  const topMissing = Object.entries(last.missing)
    .filter(([, count]) => count > 0)
    .sort(([fa, a], [fb, b]) => b - a || fa.localeCompare(fb))
    .slice(0, 5)
    .map(([field, count]) => ({ field, count }));
  return { status, since, day: last.day, counts: { reads: last.reads, ok: last.ok, partial: last.partial, failing: last.failing }, topMissing };
}

/**
 * When a CRM's failures have jumped, worth telling the team's channel: the day has at least
 * `minReads` reads, at least `minPercent` % of them failed, and that share is at least `factor`
 * times the share of the `baselineDays` days before (any failing share counts as a jump over a
 * baseline without reads or without failures). Compared in integers, so the bounds are exact.
 */
export const READ_JUMP = { minReads: 20, minPercent: 30, factor: 3, baselineDays: 7 } as const;

export interface FailureJump {
  day: string;
  reads: number;
  failing: number;
  /** The day's failing share and the baseline's, 0..1. */
  share: number;
  baselineShare: number;
}

/**
 * Whether `today` (one CRM's reads that day, summed) is a jump over `before` (the same CRM's
 * summed days; only the `READ_JUMP.baselineDays` days right before `today.day` count); null when not.
 */
export function failureJump(today: ReadCounts, before: readonly ReadCounts[]): FailureJump | null {
  if (today.reads < READ_JUMP.minReads) return null;
  if (today.failing * 100 < READ_JUMP.minPercent * today.reads) return null;
  const from = shiftDay(today.day, -READ_JUMP.baselineDays);
  const window = before.filter((d) => d.day >= from && d.day < today.day);
  const reads = window.reduce((n, d) => n + d.reads, 0);
  const failing = window.reduce((n, d) => n + d.failing, 0);
  // today.failing / today.reads < factor × failing / reads, without dividing
  if (reads > 0 && today.failing * reads < READ_JUMP.factor * failing * today.reads) return null;
  const share = today.failing / today.reads;
  const baselineShare = reads === 0 ? 0 : failing / reads;
  return { day: today.day, reads: today.reads, failing: today.failing, share, baselineShare };
}
