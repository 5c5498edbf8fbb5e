/**
 * Morning digest benchmark (embedded PGlite, in memory, one process):
 * - digest_100k_events_ms: the day's first digest pass (`digestTeam`) over a team holding 100,000
 *   events (20,000 leads over a year, handed over to 20 reps: mostly accepted, contacted,
 *   progressing and closed; some still open or pending), right after a watcher pass (as the
 *   service runs them): fold the open leads in full, compose the digest, enqueue it.
 * Also on stderr: the same pass on a restarted server (nothing folded yet: it reads the whole
 * history once) and the passes after the day's digest was enqueued (one lookup).
 * Figures on stdout as `name: value unit`; progress on stderr.
 */
import { PGlite } from '@electric-sql/pglite';
import type { LeadEvent } from '../../lib/domain/events';
import { seedDemo } from '../../server/src/admin';
import { migrate, pgliteInSchema } from '../../server/src/db/index';
import { digestTeam } from '../../server/src/alerts/digest';
import { watchTeam } from '../../server/src/alerts/outbox';
import { getAlertSettings } from '../../server/src/alerts/settings-store';
import { leadCycle, rng, storeEvents } from './alerts-data';

const LEADS = 20_000;
const EVENTS = 100_000;
const HOUR = 3_600_000;
const START = Date.parse('2025-12-01T00:00:00Z');
const NOW = new Date('2026-11-25T03:00:00Z'); // Wednesday 12:00 JST, a working day; the digest is at 09:00

function makeEvents(): LeadEvent[] {
  const rand = rng(7);
  const out: LeadEvent[] = [];
  const marketer = { id: 'user_demo_marketer', name: '田中 美咲' };
  const span = NOW.getTime() - START - 2 * HOUR;
  for (let i = 0; out.length < EVENTS; i++) {
    const n = i % 20;
    const rep = { id: `user_rep_${n}`, name: `営業 ${n}` };
    const cycle = { leadKey: `hubspot:${100_000 + (i % LEADS)}`, from: START, span, until: NOW.getTime(), marketer, rep, handOver: { by: marketer.name, owner: rep.name } };
    for (const event of leadCycle(rand, cycle)) {
      if (out.length >= EVENTS) break;
      out.push(event);
    }
  }
  return out.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}

async function main(): Promise<void> {
  const pg = await PGlite.create('memory://');
  const db = await pgliteInSchema(pg, 'bench_digest');
  await migrate(db);
  await seedDemo(db);
  await storeEvents(
    db,
    makeEvents().map((event) => ({ event, receivedAt: event.occurredAt })),
  );
  await db.query(`INSERT INTO alert_settings (team_id, enabled, channels, rules, enabled_at, updated_at) VALUES ('team_demo', true, $1::jsonb, $2::jsonb, $3, $3)`, [
    JSON.stringify({ slack: { url: 'https://hooks.slack.com/services/T0/B0/x' }, webhook: { url: 'https://alerts.example.com/sal', secret: 'bench-secret-0123456789' } }),
    JSON.stringify({
      clocks: ['acceptance', 'first_contact', 'status_update'],
      levels: ['warning', 'breached'],
      outsideBusinessHours: false,
      language: 'ja',
      digest: { enabled: true, time: '09:00' },
    }),
    new Date(NOW.getTime() - 30 * 24 * HOUR).toISOString(),
  ]);
  const settings = await getAlertSettings(db, 'team_demo');
  process.stderr.write(`# ${EVENTS} events stored\n`);
  await watchTeam(db, settings, NOW);

  const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const t = performance.now();
    const value = await work();
    return [value, performance.now() - t];
  };
  const cpu = process.cpuUsage();
  const [added, first] = await timed(() => digestTeam(db, settings, NOW));
  const cpuMs = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(cpu));
  if (added !== 2) throw new Error(`the digest pass enqueued ${added} rows, not one per channel`);
  const { rows } = await db.query<{ alert: { reps: unknown[] } }>("SELECT alert FROM alert_outbox WHERE kind = 'digest' LIMIT 1");
  const [, repeated] = await timed(() => digestTeam(db, settings, NOW));
  await db.query("DELETE FROM alert_outbox WHERE kind = 'digest'");
  // a restarted server: a new handle, nothing folded yet
  const [, cold] = await timed(() => digestTeam({ ...db }, settings, NOW));
  process.stderr.write(
    `# digest of ${rows[0]?.alert.reps.length ?? 0} reps enqueued in ${first.toFixed(0)} ms after a watcher pass (CPU ${cpuMs.toFixed(0)} ms); ${cold.toFixed(0)} ms on a restarted server; ${repeated.toFixed(1)} ms once enqueued\n`,
  );
  process.stdout.write(`digest_100k_events_ms: ${first.toFixed(0)} ms\n`);
  await pg.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
