/**
 * Domain benchmarks (issue 3): prints `kpi_100k_events_ms` and `fold_10k_leads_ms` (median of
 * several runs after a warm-up) on stdout, nothing else. Data is synthetic but shaped like a
 * real team: mostly accepted and worked leads, some rejections, spread over a year.
 */
import { computeKpis, DEFAULT_DEFINITION, EVENT_SCHEMA_VERSION, foldLead, type LeadEvent } from '../../lib/domain';

const START = Date.parse('2026-01-05T00:00:00Z');
const HOUR = 3_600_000;
const REASONS = ['do_not_call', 'competitor', 'no_budget', 'duplicate', 'already_handled'];

let idCounter = 0;
/** Unique 26-character ids (fixed-width counter in the ULID alphabet; no validation needed here). */
const nextId = () =>
  (idCounter++)
    .toString(32)
    .toUpperCase()
    .replace(/[ILOU]/g, 'Z')
    .padStart(26, '0');

/** Deterministic pseudo-random numbers so every run measures the same data. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function leadEvents(i: number, rand: () => number): LeadEvent[] {
  const leadKey = `hubspot:${100000 + i}`;
  const rep = { id: `rep-${i % 25}`, name: `Rep ${i % 25}` };
  const mk = (type: string, at: number, payload: object, actor = rep): LeadEvent =>
    ({
      schemaVersion: EVENT_SCHEMA_VERSION,
      id: nextId(),
      leadKey,
      actor,
      occurredAt: new Date(at).toISOString(),
      definitionVersion: 1,
      type,
      payload,
    }) as LeadEvent;
  let t = START + Math.floor(rand() * 360 * 24) * HOUR;
  const out = [mk('handed_over', t, { by: 'ma', source: `src-${i % 7}`, score: 60 }, { id: 'ma', name: 'MA' })];
  const step = () => (t += Math.floor(1 + rand() * 30) * HOUR);
  if (rand() < 0.2) {
    out.push(mk('rejected', step(), { reasonCode: REASONS[i % REASONS.length] }));
    out.push(mk('reopened', step(), {}));
  }
  out.push(mk('accepted', step(), { checklist: {}, temperature: 'warm' }));
  out.push(mk('contacted', step(), { channel: 'call' }));
  while (out.length < 8) out.push(mk('progress_updated', step(), { note: 'follow-up' }));
  out.push(mk('qualified', step(), {}));
  out.push(mk(rand() < 0.4 ? 'won' : 'lost', step(), {}));
  return out.slice(0, 10);
}

function makeLeads(n: number, seed: number): LeadEvent[][] {
  const rand = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const evs = leadEvents(i, rand);
    while (evs.length < 10) evs.splice(evs.length - 1, 0, { ...evs[evs.length - 2]!, id: nextId(), type: 'progress_updated', payload: { note: 'x' } } as LeadEvent);
    return evs;
  });
}

function medianMs(runs: number, warmup: number, f: () => void): number {
  for (let i = 0; i < warmup; i++) f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

const leads = makeLeads(10_000, 42);
const all = leads.flat();
if (all.length !== 100_000) throw new Error(`expected 100000 events, got ${all.length}`);

const kpiOptions = {
  from: new Date('2026-01-01T00:00:00Z'),
  to: new Date('2027-01-01T00:00:00Z'),
  definition: DEFAULT_DEFINITION,
};
let sink = 0;
const kpi = medianMs(7, 3, () => {
  sink += computeKpis(all, kpiOptions).overall.salCount;
});
const fold = medianMs(9, 3, () => {
  for (const l of leads) sink += foldLead(l).contactCount;
});
process.stderr.write(`(checksum ${sink})\n`);
console.log(`kpi_100k_events_ms: ${Math.round(kpi)} ms`);
console.log(`fold_10k_leads_ms: ${Math.round(fold)} ms`);
