/**
 * The load bench's server on the embedded database: one process opens PGlite, so the load team
 * is seeded here, by the server's own process, before it serves (`main.ts` would do the same
 * start: migrate, ANALYZE, default configuration). Environment: SAL_DATA_DIR, LOAD_REPS.
 * Prints `listening <url>`; SIGTERM shuts it down gracefully.
 */
import { migrate, openDatabaseFromEnv } from '../../../server/src/db/index';
import { runServer } from '../../../server/src/node';
import { loadReps, seedLoadTeam } from './harness';

const db = await openDatabaseFromEnv({ SAL_DATA_DIR: process.env.SAL_DATA_DIR });
await migrate(db);
await seedLoadTeam(db, loadReps(Number(process.env.LOAD_REPS ?? 500)));
await db.query('ANALYZE');
const running = await runServer({ db, port: 0, hostname: '127.0.0.1' });
process.stdout.write(`listening http://127.0.0.1:${running.port}\n`);
process.on('SIGTERM', () => void running.close().then(() => process.exit(0)));
