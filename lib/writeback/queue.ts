import type { SalDatabase, WritebackJob, WritebackState } from '../db/schema';
import { writebackContext, type SalDefinition } from '../domain/definition';
import type { LeadEvent } from '../domain/events';
import { parseLeadKey } from '../domain/lead-key';
import { WritebackCrmSchema, WritebackTriggerSchema, writebackFields, type WritebackCrm } from '../domain/writeback';
import { fullJitterDelay } from '../sync/backoff';
import type { CrmWriter, WriteOutcome } from './writer';

/**
 * The write-back queue: jobs are written with their decision (`recordLocalEvent`), and
 * `drainWritebacks` sends the due ones to their CRM, one at a time, keeping every state in
 * IndexedDB so a service worker stopped at any moment resumes where it was.
 *
 * Rules (held by tests/unit/writeback/queue.model.test.ts):
 * - a decision's job is never lost: only the CRM's answer moves it to reflected, failed or conflict;
 * - a write is never applied twice: a job is marked in flight before its request, and a job still
 *   marked (the worker stopped before the answer was stored, the answer was lost, a 5xx) is
 *   checked against the record before it is written again;
 * - a failed write never blocks others: a refusal or conflict ends that job only; an expired
 *   session or a used-up API limit holds the jobs of that same CRM target only;
 * - one lead's writes go in decision order: a lead's later job waits while an earlier one of the
 *   same lead is still to be written.
 */

/** States still to be written (the others are settled: see `isSettled`). */
const OPEN_STATES: ReadonlyArray<WritebackState['kind']> = ['waiting', 'sign_in', 'paused'];

/** States the CRM's answer ended; everything else is still to be written. */
export function isSettled(state: WritebackState): boolean {
  return state.kind === 'reflected' || state.kind === 'failed' || state.kind === 'conflict';
}

/**
 * The write-back job of a decision just recorded, or null when the team maps nothing for it (no
 * mapping for the lead's CRM or this decision, a configured CRM). `readAt`: when the page the rep
 * decided on was read (ms); `now`: ms since the epoch.
 */
export function writebackJobFor(definition: SalDefinition, event: LeadEvent, page: { url: string; readAt: number }, now: number): WritebackJob | null {
  const trigger = WritebackTriggerSchema.safeParse(event.type);
  const { crm, recordId } = parseLeadKey(event.leadKey);
  const target = WritebackCrmSchema.safeParse(crm);
  if (!trigger.success || !target.success) return null;
  const fields = writebackFields(definition.writeback, target.data, event, writebackContext(definition));
  if (!fields) return null;
  return {
    id: event.id,
    leadKey: event.leadKey,
    crm: target.data,
    recordId,
    pageUrl: page.url,
    trigger: trigger.data,
    fields,
    readAt: Math.min(page.readAt, now),
    createdAt: now,
    state: { kind: 'waiting' },
    attempts: 0,
    nextAttemptAt: now,
    inFlightSince: null,
  };
}

export interface DrainDeps {
  db: SalDatabase;
  now: () => number;
  random: () => number;
  writers: Readonly<Record<WritebackCrm, CrmWriter>>;
}

export interface DrainOptions {
  /** CRMs whose session just changed (the rep signed in again): their `sign_in` jobs are due now. */
  signedIn?: readonly WritebackCrm[];
}

export interface DrainResult {
  /** Jobs whose state changed, by id. */
  changed: Set<string>;
  /** Leads whose job was written to the CRM (their record page shows something new after a reload). */
  reflected: Set<string>;
}

/** Retry delays: transient failures from 2 s up to 15 min; a used-up API limit from 5 min up to 1 h. */
const LIMIT_BASE_MS = 5 * 60_000;
const LIMIT_CAP_MS = 60 * 60_000;

/**
 * Sends every due job to its CRM and stores what the CRM answered. Jobs are taken in decision
 * order; run one drain at a time (the service holds a lock). Resolves when every due job has an
 * answer stored; never throws for a CRM's answer (a writer that throws counts as transient).
 */
export async function drainWritebacks(deps: DrainDeps, options: DrainOptions = {}): Promise<DrainResult> {
  const { db, now } = deps;
  const result: DrainResult = { changed: new Set(), reflected: new Set() };
  const open = (await db.writebacks.where('state.kind').anyOf(OPEN_STATES).toArray()).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  const leadsAhead = new Set<string>();
  /** Targets held by an answer in this drain: an expired session or a used-up limit, with the state their jobs take. */
  const held = new Map<string, WritebackState>();
  for (const job of open) {
    // a lead's later job waits for its earlier one
    if (leadsAhead.has(job.leadKey)) continue;
    leadsAhead.add(job.leadKey);
    const writer = deps.writers[job.crm];
    const target = `${job.crm}|${writer.target(job.pageUrl) ?? job.pageUrl}`;
    const signedIn = job.state.kind === 'sign_in' && options.signedIn?.includes(job.crm);
    if (job.nextAttemptAt > now() && !signedIn) continue;
    const hold = held.get(target);
    if (hold) {
      // the same session or allocation just failed: this job takes its state without a request
      await settle(db, job, hold, now, deps.random, false);
      result.changed.add(job.id);
      continue;
    }
    const outcome = await send(deps, job);
    const state = stateOf(outcome, now());
    if (state.kind === 'sign_in' || state.kind === 'paused') held.set(target, state);
    await settle(db, job, state, now, deps.random, outcome.kind === 'limit' || outcome.kind === 'transient' ? outcome.retryAfterMs : false);
    result.changed.add(job.id);
    if (state.kind === 'reflected') result.reflected.add(job.leadKey);
  }
  return result;
}

/** Marks the job in flight, asks its CRM, and returns the CRM's answer. */
async function send(deps: DrainDeps, job: WritebackJob): Promise<WriteOutcome> {
  const { db, now } = deps;
  const verifyFirst = job.inFlightSince !== null;
  if (!verifyFirst) await db.writebacks.update(job.id, { inFlightSince: now() });
  // The rep's own earlier write-back of this lead changed the record after the read: that change
  // is no conflict, so the condition starts after it.
  const ownWrites = await db.writebacks.where('leadKey').equals(job.leadKey).toArray();
  const lastOwn = Math.max(0, ...ownWrites.filter((j) => j.id !== job.id && j.state.kind === 'reflected').map((j) => (j.state.kind === 'reflected' ? j.state.at : 0)));
  try {
    return await deps.writers[job.crm].write({ recordId: job.recordId, pageUrl: job.pageUrl, fields: job.fields, unmodifiedSince: Math.max(job.readAt, lastOwn), verifyFirst });
  } catch (error) {
    return { kind: 'transient', message: error instanceof Error ? error.message : String(error), retryAfterMs: null };
  }
}

function stateOf(outcome: WriteOutcome, at: number): WritebackState {
  switch (outcome.kind) {
    case 'applied':
      return { kind: 'reflected', at };
    case 'sign_in':
      return { kind: 'sign_in', message: outcome.message };
    case 'refused':
      return { kind: 'failed', code: outcome.code, message: outcome.message };
    case 'conflict':
      return { kind: 'conflict', message: outcome.message };
    case 'limit':
      return { kind: 'paused', message: outcome.message };
    case 'transient':
      return { kind: 'waiting', message: outcome.message };
  }
}

/**
 * Stores a job's new state and when it is due again. `retryAfterMs`: the CRM's Retry-After (null:
 * none), or false when the state needs no delay of its own beyond the backoff. The in-flight mark
 * is cleared only when the CRM's answer settled the job: after a lost answer, a 5xx, or a later
 * 401 or limit, whether an earlier try reached the record is still unknown, so the next try checks.
 */
async function settle(db: SalDatabase, job: WritebackJob, state: WritebackState, now: () => number, random: () => number, retryAfterMs: number | null | false): Promise<void> {
  const at = now();
  if (isSettled(state)) {
    await db.writebacks.update(job.id, { state, inFlightSince: null });
    return;
  }
  const backoff = state.kind === 'paused' ? LIMIT_BASE_MS + fullJitterDelay(job.attempts, random, LIMIT_BASE_MS, LIMIT_CAP_MS) : fullJitterDelay(job.attempts, random);
  await db.writebacks.update(job.id, { state, attempts: job.attempts + 1, nextAttemptAt: at + Math.max(backoff, retryAfterMs || 0) });
}

/**
 * 再試行 from the panel: the job is due at once with a fresh backoff. After a conflict the rep has
 * seen that the record changed and asks to write anyway: the condition starts now. A job already
 * reflected is left alone. Returns whether the job was queued again.
 */
export async function retryWriteback(db: SalDatabase, id: string, now: number): Promise<boolean> {
  return db.transaction('rw', db.writebacks, async () => {
    const job = await db.writebacks.get(id);
    if (!job || job.state.kind === 'reflected') return false;
    await db.writebacks.update(id, { state: { kind: 'waiting' }, attempts: 0, nextAttemptAt: now, ...(job.state.kind === 'conflict' ? { readAt: now } : {}) });
    return true;
  });
}

/** A lead's write-back jobs, oldest first (the panel's status lines). */
export async function writebacksForLead(db: SalDatabase, leadKey: string): Promise<WritebackJob[]> {
  return (await db.writebacks.where('leadKey').equals(leadKey).toArray()).sort((a, b) => a.createdAt - b.createdAt);
}
