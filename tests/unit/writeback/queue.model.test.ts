import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SalDatabase, type WritebackJob } from '../../../lib/db/schema';
import { drainWritebacks, isSettled, type DrainDeps } from '../../../lib/writeback/queue';
import { holdsAll, type CrmWriter, type WriteOutcome, type WriteRequest } from '../../../lib/writeback/writer';

/**
 * Model-based test of the write-back queue, in the style of tests/unit/sync/model.test.ts: one
 * browser's queue (a real Dexie database) drained against a fake CRM of two Salesforce orgs that
 * fails as CRMs do: a session that expires (401) until the rep signs in again, 5xx, an answer lost
 * after the CRM applied the write, a validation rule refusing a value, someone else editing the
 * record after the rep read it (412), the org's API limit, and the service worker stopped in the
 * middle of a request (before or after the CRM applied it). After a random run, faults stop, the
 * rep is signed in everywhere, and the queue is drained until quiet. Invariants:
 * - a decision is never lost: every job recorded is still there, settled;
 * - a write is never applied twice (each job carries a marker field; the CRM logs applications);
 * - a failed write never blocks others: every job the CRM would take, and nobody's edit came
 *   between its read and its write, is reflected; a refused job fails with the CRM's message and
 *   a conflict happens only where someone else edited the record after the read;
 * - one lead's writes reach the CRM in decision order.
 */

const ORGS = ['https://a.my.salesforce.com', 'https://b.my.salesforce.com'] as const;
const LEADS = [
  { key: 'salesforce:00Q5g00000AbCdEEAV', id: '00Q5g00000AbCdEEAV', org: 0 },
  { key: 'salesforce:00Q5g00000FgHiJEAV', id: '00Q5g00000FgHiJEAV', org: 0 },
  { key: 'salesforce:00Q5g00000KlMnOEAV', id: '00Q5g00000KlMnOEAV', org: 1 },
] as const;
const REFUSED_STATUS = 'Closed - Not Converted';
const START = Date.parse('2026-11-30T00:00:00Z');

type Command =
  | { kind: 'record'; lead: number; valid: boolean }
  | { kind: 'drain' }
  | { kind: 'stop_worker'; applied: boolean }
  | { kind: 'fault'; fault: 'http_500' | 'lost_answer' }
  | { kind: 'expire'; org: number }
  | { kind: 'sign_in'; org: number }
  | { kind: 'limit'; org: number; on: boolean }
  | { kind: 'edit_by_other'; lead: number }
  | { kind: 'wait'; ms: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('record' as const), lead: fc.nat(LEADS.length - 1), valid: fc.boolean() }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'drain' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stop_worker' as const), applied: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fault' as const), fault: fc.constantFrom('http_500' as const, 'lost_answer' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const), org: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sign_in' as const), org: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('limit' as const), org: fc.nat(1), on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('edit_by_other' as const), lead: fc.nat(LEADS.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 20 * 60_000 }) }) },
);

/** The fake CRM: records, sessions, limits, and the log of every write it applied. */
class FakeCrm implements CrmWriter {
  records = new Map<string, { fields: Record<string, unknown>; modifiedAt: number }>(LEADS.map((l) => [l.id, { fields: { Status: 'Open - Not Contacted' }, modifiedAt: START - 1 }]));
  sessionValid = [true, true];
  limited = [false, false];
  edits = new Map<string, number[]>();
  applied: Array<{ marker: string; recordId: string; at: number }> = [];
  nextFault: 'http_500' | 'lost_answer' | null = null;
  nextStop: { applied: boolean; stopped: () => void } | null = null;
  constructor(private readonly clock: () => number) {}

  target(pageUrl: string): string {
    return new URL(pageUrl).origin;
  }

  async write(req: WriteRequest): Promise<WriteOutcome> {
    const org = ORGS.indexOf(new URL(req.pageUrl).origin as (typeof ORGS)[number]);
    if (this.nextStop) {
      // the service worker stops while the request is out: no answer ever comes back to it
      const { applied, stopped } = this.nextStop;
      this.nextStop = null;
      if (applied && this.sessionValid[org] && !this.limited[org]) this.apply(req, true);
      stopped();
      return new Promise<never>(() => undefined);
    }
    const fault = this.nextFault;
    this.nextFault = null;
    if (fault === 'http_500') return { kind: 'transient', message: 'HTTP 500', retryAfterMs: null };
    if (!this.sessionValid[org]) return { kind: 'sign_in', message: 'Session expired or invalid' };
    if (this.limited[org]) return { kind: 'limit', message: 'TotalRequests Limit exceeded.', retryAfterMs: null };
    const rec = this.records.get(req.recordId)!;
    if (req.verifyFirst && holdsAll(rec.fields, req.fields)) return { kind: 'applied' };
    if (rec.modifiedAt > req.unmodifiedSince) return { kind: 'conflict', message: 'modified since' };
    if (req.fields.Status === REFUSED_STATUS && !req.fields.Reason) return { kind: 'refused', code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'a reason is required' };
    this.apply(req, false);
    if (fault === 'lost_answer') throw new TypeError('Failed to fetch');
    return { kind: 'applied' };
  }

  private apply(req: WriteRequest, conditional: boolean): void {
    const rec = this.records.get(req.recordId)!;
    if (conditional && (rec.modifiedAt > req.unmodifiedSince || (req.fields.Status === REFUSED_STATUS && !req.fields.Reason))) return;
    rec.fields = { ...rec.fields, ...req.fields };
    rec.modifiedAt = this.clock();
    this.applied.push({ marker: String(req.fields.Marker), recordId: req.recordId, at: rec.modifiedAt });
  }

  editByOther(recordId: string): void {
    const rec = this.records.get(recordId)!;
    rec.fields = { ...rec.fields, Status: 'MQL' };
    rec.modifiedAt = this.clock();
    this.edits.set(recordId, [...(this.edits.get(recordId) ?? []), rec.modifiedAt]);
  }
}

let dbCounter = 0;

async function run(commands: Command[]): Promise<void> {
  let clock = START;
  const now = () => clock;
  const crm = new FakeCrm(now);
  const db = new SalDatabase(`writeback-model-${++dbCounter}`);
  const deps: DrainDeps = { db, now, random: () => 0.5, writers: { salesforce: crm, hubspot: crm, dynamics: crm } };
  const recorded: WritebackJob[] = [];
  let seq = 0;
  try {
    for (const c of commands) {
      clock += 1; // every step takes time: no two facts share an instant
      switch (c.kind) {
        case 'record': {
          const lead = LEADS[c.lead]!;
          const id = `job-${String(++seq).padStart(4, '0')}`;
          // the rep read the page a moment ago, and decided now
          const job: WritebackJob = {
            id,
            leadKey: lead.key,
            crm: 'salesforce',
            recordId: lead.id,
            pageUrl: `${ORGS[lead.org]}/${lead.id}`,
            trigger: c.valid ? 'accepted' : 'rejected',
            fields: { Status: c.valid ? 'Working - Contacted' : REFUSED_STATUS, Marker: id },
            readAt: clock - 1,
            createdAt: clock,
            state: { kind: 'waiting' },
            attempts: 0,
            nextAttemptAt: clock,
            inFlightSince: null,
          };
          await db.writebacks.add(job);
          recorded.push(job);
          break;
        }
        case 'drain':
          await drainWritebacks(deps);
          break;
        case 'stop_worker': {
          // the drain that meets the stop never finishes: the worker is gone, its memory with it
          // (a drain with nothing to send finishes, and the worker then stops idle)
          const stopped = new Promise<void>((resolve) => (crm.nextStop = { applied: c.applied, stopped: resolve }));
          await Promise.race([drainWritebacks(deps), stopped]);
          crm.nextStop = null;
          break;
        }
        case 'fault':
          crm.nextFault = c.fault;
          break;
        case 'expire':
          crm.sessionValid[c.org] = false;
          break;
        case 'sign_in':
          crm.sessionValid[c.org] = true;
          await drainWritebacks(deps, { signedIn: ['salesforce'] });
          break;
        case 'limit':
          crm.limited[c.org] = c.on;
          break;
        case 'edit_by_other':
          crm.editByOther(LEADS[c.lead]!.id);
          break;
        case 'wait':
          clock += c.ms;
          break;
      }
    }
    // faults end; the rep is signed in everywhere; the limits reset; the queue drains until quiet
    crm.nextFault = null;
    crm.nextStop = null;
    crm.sessionValid = [true, true];
    crm.limited = [false, false];
    for (let i = 0; i < 40; i++) {
      clock += 2 * 3600_000;
      await drainWritebacks(deps, { signedIn: ['salesforce'] });
      if ((await db.writebacks.toArray()).every((j) => isSettled(j.state))) break;
    }

    const jobs = new Map((await db.writebacks.toArray()).map((j) => [j.id, j]));
    // never lost: every recorded job is there, and settled
    expect([...jobs.keys()].sort()).toEqual(recorded.map((j) => j.id));
    for (const j of jobs.values()) expect(isSettled(j.state), `${j.id} ${JSON.stringify(j.state)}`).toBe(true);
    // never applied twice
    const markers = crm.applied.map((a) => a.marker);
    expect(markers.length).toBe(new Set(markers).size);
    for (const job of recorded) {
      const final = jobs.get(job.id)!;
      const applied = markers.includes(job.id);
      const editedAfterRead = (crm.edits.get(job.recordId) ?? []).some((at) => at > job.readAt);
      if (final.state.kind === 'conflict') {
        // The CRM checks the precondition first: a refused value may meet a conflict before its
        // refusal. A write whose answer was lost and that someone then edited over is a conflict
        // too: the record no longer holds it, and nothing tells the two cases apart.
        expect(editedAfterRead, `${job.id} conflict without anyone's edit`).toBe(true);
      } else if (job.fields.Status === REFUSED_STATUS) {
        // refused with the CRM's message, never applied
        expect(final.state).toEqual({ kind: 'failed', code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'a reason is required' });
        expect(applied).toBe(false);
      } else {
        // a failure elsewhere (another lead, another org, a refused job) did not hold it back
        expect(final.state.kind).toBe('reflected');
        expect(applied).toBe(true);
      }
      if (final.state.kind === 'reflected') expect(applied).toBe(true);
    }
    // one lead's writes reach the CRM in decision order
    for (const lead of LEADS) {
      const order = crm.applied.filter((a) => a.recordId === lead.id).map((a) => a.marker);
      expect(order).toEqual([...order].sort());
    }
  } finally {
    db.close();
  }
}

describe('write-back queue model', () => {
  it('never loses a decision’s write, never applies one twice, and never lets one failure hold the others', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 40 }), (commands) => run(commands)),
      { numRuns: Number(process.env.WRITEBACK_MODEL_RUNS ?? 60) },
    );
  }, 120_000);

  it('a worker stopped after the CRM applied the write finishes it without writing again', async () => {
    await run([{ kind: 'record', lead: 0, valid: true }, { kind: 'stop_worker', applied: true }, { kind: 'drain' }]);
  });
});
