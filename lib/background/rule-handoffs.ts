import type { SalDatabase } from '../db/schema';
import { eventsForLeads, recordLocalEvent } from '../db/events-repo';
import { meKv } from '../db/reads';
import { definitionAndPolicy, onPolicyLearned, sameHandoffRules } from '../settings/policy-definition';
import type { Policy } from '../settings/policy';
import { readKv } from '../db/kv';
import { LeadEventSchema, type LeadSnapshot } from '../domain/events';
import { foldLead } from '../domain/lifecycle';
import { ruleFor, ruleHandoffEvent, type RuleInput } from '../domain/handoff-rules';

/** One lead as a page showed it: its key, what the rule tests, and the snapshot to store. */
export interface RuleRead {
  leadKey: string;
  input: RuleInput;
  lead?: LeadSnapshot;
}

/**
 * The team a rule hand-off's id is made for: the signed-in user's team, else `local` (local-only
 * mode: the id only has to agree with itself in this browser).
 */
async function teamOf(db: SalDatabase): Promise<string> {
  return (await readKv(db, meKv))?.team.id ?? 'local';
}

/**
 * Records the hand-offs the active definition's rule for CRM UI `target` makes of `reads` (a lead
 * page's read, or a list's rows): one `handed_over` event (source `crm-rule`, the definition's
 * version) per lead whose read matches and that is not handed over, accepted or rejected in its
 * current cycle. Returns the lead keys handed over now.
 *
 * Idempotent: the event id is derived from (team, lead, cycle), so a lead read twice, or by a
 * list and its record page at once, is stored once (the second write finds the id held and is
 * dropped), and another rep's browser makes the same id (the server keeps one).
 */
export async function applyHandoffRule(db: SalDatabase, target: string, reads: readonly RuleRead[], now: number, onLate?: (handed: Set<string>) => void): Promise<Set<string>> {
  const done = new Set<string>();
  if (reads.length === 0) return done;
  const { definition, policy, known } = await definitionAndPolicy(db);
  if (!known) applyAgainWhenKnown({ db, target, reads, now, assumed: policy, onLate });
  const rule = ruleFor(definition.handoffRules, target);
  if (!rule) return done;
  const [teamId, byLead] = await Promise.all([teamOf(db), eventsForLeads(db, [...new Set(reads.map((r) => r.leadKey))])]);
  for (const read of reads) {
    if (done.has(read.leadKey)) continue;
    const state = foldLead(byLead.get(read.leadKey) ?? [], { undoWindowMinutes: definition.undoWindowMinutes });
    const candidate = await ruleHandoffEvent({
      teamId,
      leadKey: read.leadKey,
      state,
      rule,
      input: read.input,
      definitionVersion: definition.version,
      at: now,
      ...(read.lead ? { lead: read.lead } : {}),
    });
    if (!candidate) continue;
    // what a page showed is untrusted: an event the contract refuses is not recorded
    const parsed = LeadEventSchema.safeParse(candidate);
    if (!parsed.success) continue;
    try {
      await recordLocalEvent(db, parsed.data, now);
      done.add(read.leadKey);
    } catch (error) {
      // the id is held: this hand-off is already recorded (a concurrent read of the same lead)
      if (!isConstraintError(error)) throw error;
    }
  }
  return done;
}

interface Deferred {
  db: SalDatabase;
  target: string;
  reads: readonly RuleRead[];
  now: number;
  /** The policy the reads were judged under (remembered, or none). */
  assumed: Policy;
  onLate?: (handed: Set<string>) => void;
}

/** Reads judged before Chromium gave the policy (the first seconds after the browser starts). */
let deferred: Deferred[] = [];
let deferredReads = 0;
let listening = false;
/** A bound on what the worker holds meanwhile (a few list pages' rows); reads past it are judged on their next read. */
const MAX_DEFERRED_READS = 5_000;

/**
 * Keeps reads judged under an assumed policy until Chromium gives the real one. If its hand-off
 * rules differ from the assumed policy's, the reads are judged again under it then, at the time
 * they were read: a lead a policy rule hands over is handed over even when its page was read in
 * the browser's first seconds. (A hand-off made under the assumed rule stays, as after any rule
 * change: hand-offs are never undone by a rule.)
 */
function applyAgainWhenKnown(entry: Deferred): void {
  if (deferredReads + entry.reads.length > MAX_DEFERRED_READS) return;
  deferred.push(entry);
  deferredReads += entry.reads.length;
  if (listening) return;
  listening = true;
  onPolicyLearned((learned) => {
    const due = deferred;
    deferred = [];
    deferredReads = 0;
    for (const entry of due) {
      if (sameHandoffRules(learned, entry.assumed)) continue;
      applyHandoffRule(entry.db, entry.target, entry.reads, entry.now).then(
        (handed) => {
          if (handed.size > 0) entry.onLate?.(handed);
        },
        (error: unknown) => console.error('[sal-bridge] hand-off rule', error),
      );
    }
  });
}

/** IndexedDB's "key already exists", as Dexie reports it (possibly wrapped in its transaction's abort). */
function isConstraintError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 3; e = (e as { inner?: unknown }).inner, depth++) {
    if ((e as { name?: unknown }).name === 'ConstraintError') return true;
  }
  return false;
}
