/**
 * Review meeting benchmark (issue 11): prints `review_view_10k_leads_ms`, the meeting view for a
 * period over 10,000 leads: `computeReview` and `computeMarketingSla` on their events, then the
 * page's view rendered to HTML (React's server renderer, production build: the same components,
 * no browser layout),
 * median of several runs after a warm-up (and `review_view_10k_leads_cpu_ms`, the process's CPU time
 * for it, which a busy shared machine inflates less). The view draws the first `REVIEW_PAGE_SIZE` leads of
 * each group (the rest on "show more"), as the page does. Goal ≤ 500 ms.
 */
import type { LeadEvent } from '../../lib/domain';
import type { ReviewViewProps } from '../../components/review/ReviewView';

// React's production build, as the extension ships it (its development build checks and warns on
// every element, several times slower): set before React is loaded, hence the dynamic imports.
process.env.NODE_ENV = 'production';
const { createElement } = await import('react');
const { renderToString } = await import('react-dom/server');
const { DEFAULT_DEFINITION, EVENT_SCHEMA_VERSION } = await import('../../lib/domain');
const { computeMarketingSlaOf } = await import('../../lib/domain/marketing-sla');
const { computeReviewOf, foldLeads } = await import('../../lib/domain/review');
const { createTranslator } = await import('../../lib/i18n');
const { reviewLabels } = await import('../../components/review/labels');
const { ReviewView } = await import('../../components/review/ReviewView');

const NOW = Date.parse('2026-11-30T03:00:00Z');
const FROM = Date.parse('2026-10-31T15:00:00Z');
const HOUR = 3_600_000;
const REASONS = ['bad_contact_data', 'duplicate', 'competitor', 'no_budget', 'do_not_call'];
let idCounter = 0;
const nextId = () =>
  (idCounter++)
    .toString(32)
    .toUpperCase()
    .replace(/[ILOU]/g, 'Z')
    .padStart(26, '0');

/** One lead of a month's flow: rejected (40 %), contested (10 %), recycled (10 %), overdue pending (20 %), worked (20 %). */
function leadEvents(i: number): LeadEvent[] {
  const leadKey = `hubspot:${100000 + i}`;
  const rep = { id: `rep-${i % 25}`, name: `営業 ${i % 25}` };
  const ma = { id: `ma-${i % 4}`, name: `マーケ ${i % 4}` };
  const mk = (type: string, at: number, payload: object, actor = rep): LeadEvent =>
    ({ schemaVersion: EVENT_SCHEMA_VERSION, id: nextId(), leadKey, actor, occurredAt: new Date(at).toISOString(), definitionVersion: 1, type, payload }) as LeadEvent;
  const t = FROM + (i % 600) * HOUR;
  const lead = { name: `リード ${i}`, company: `株式会社テスト${i % 300}`, email: `lead${i % 9000}@example.jp`, phone: '03-1234-5678', title: '部長' };
  const out = [{ ...mk('handed_over', t, { by: ma.name, source: `src-${i % 7}`, score: 40 + (i % 50), note: '展示会で名刺交換' }, ma), lead } as LeadEvent];
  const kind = i % 10;
  if (kind < 4) {
    out.push(mk('rejected', t + HOUR, { reasonCode: REASONS[i % REASONS.length], temperature: 'cold', comment: '連絡がつかない' }));
    if (i % 3 === 0) out.push(mk('reviewed', t + 30 * HOUR, { outcome: 'fix_data', note: '再確認' }, ma));
  } else if (kind === 4) {
    out.push(mk('accepted', t + HOUR, { checklist: {}, temperature: 'warm' }));
    out.push(mk('rejected', t + 2 * HOUR, { reasonCode: 'competitor' }, { id: `rep-${(i + 1) % 25}`, name: 'other' }));
  } else if (kind === 5) out.push(mk('recycled', t + HOUR, { reason: 'not_ready', comment: '半年後' }));
  else if (kind >= 8) {
    out.push(mk('accepted', t + HOUR, { checklist: {} }));
    out.push(mk('contacted', t + 2 * HOUR, { channel: 'call' }));
  }
  return out;
}

const events = Array.from({ length: 10_000 }, (_, i) => leadEvents(i)).flat();
const t = createTranslator('ja');
const noop = () => undefined;

function once(): number {
  const options = { from: new Date(FROM), to: new Date(NOW), now: new Date(NOW), definition: DEFAULT_DEFINITION };
  // as the page does: one fold, then the list and the SLA figures from it
  const states = foldLeads(events, DEFAULT_DEFINITION);
  const report = computeReviewOf(states, options);
  const props: ReviewViewProps = {
    t,
    lang: 'ja',
    state: { status: 'ready', report, marketingSla: computeMarketingSlaOf(states, options), definition: DEFAULT_DEFINITION, localOnly: false },
    labels: reviewLabels(t, 'ja', DEFAULT_DEFINITION),
    period: 'this_month',
    onPeriod: noop,
    onlyUnreviewed: false,
    onOnlyUnreviewed: noop,
    cannotRecordAs: null,
    onRecord: () => Promise.resolve({ ok: true }),
    onExport: noop,
    exportError: null,
    onPrint: noop,
    printing: false,
    urlOf: () => null,
  };
  return renderToString(createElement(ReviewView, props)).length + report.total;
}

const times: number[] = [];
const cpuTimes: number[] = [];
let sink = 0;
for (let i = 0; i < 2; i++) sink += once();
for (let i = 0; i < 7; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  sink += once();
  const cpu = process.cpuUsage(c0);
  times.push(performance.now() - t0);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
}
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);
process.stderr.write(`(checksum ${sink}, ${events.length} events)\n`);
console.log(`review_view_10k_leads_ms: ${Math.round(times[times.length >> 1]!)} ms`);
// the process's own CPU time for the same runs: on the shared machine the wall time above also counts waiting for a core
console.log(`review_view_10k_leads_cpu_ms: ${Math.round(cpuTimes[cpuTimes.length >> 1]!)} ms`);
