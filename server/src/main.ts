import { EXTENSION_ORIGIN } from '../../lib/protocol/extension-id';
import { socketAddress } from './app';
import { clientAddressFromEnv, corsOriginsFromEnv, oidcFromEnv } from './config';
import { migratesOnStart, openDatabaseFromEnv, prepareSchema, SchemaBehindError } from './db/index';
import { runServer } from './node';
import { alertsConfigFromEnv, startAlerts } from './alerts/service';

const logLine = (entry: Record<string, unknown>) => process.stderr.write(`${JSON.stringify(entry)}\n`);

/**
 * Runs the reference sync server. Environment: PORT (8787), HOST (127.0.0.1), DATABASE_URL
 * (PostgreSQL; else the embedded database in SAL_DATA_DIR, default ./.data/pglite),
 * SAL_MIGRATE_ON_START=1 (on PostgreSQL, apply pending migrations at start instead of refusing to
 * start), SAL_EXTENSION_IDS (comma-separated extension ids CORS admits; default the extension's
 * fixed id), SAL_CORS_ORIGINS (comma-separated exact origins admitted as well), SAL_TRUST_PROXY=1 (behind
 * one reverse proxy: the client's address for rate limits is X-Forwarded-For's last entry),
 * SAL_LOG=quiet (no request log), SAL_DB_PREPARE=0 (PostgreSQL statements unprepared: behind a
 * pooler in transaction mode), SAL_ALERTS_ALLOW_LOCAL_TARGETS=1 (alert webhooks may target
 * http://127.0.0.1 and private networks: development only). SIGTERM and SIGINT shut it down
 * gracefully (see `runServer`).
 */
async function main(): Promise<number | null> {
  const env = process.env;
  const port = Number(env.PORT ?? 8787);
  const hostname = env.HOST || '127.0.0.1';
  const db = await openDatabaseFromEnv(env);
  try {
    await prepareSchema(db, { migrateOnStart: migratesOnStart(env, db.kind) });
  } catch (error) {
    await db.close();
    if (error instanceof SchemaBehindError) {
      process.stderr.write(`sync server not started: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  // PGlite has no autovacuum: start with planner statistics that match the data (see events-store.ts)
  if (db.kind === 'pglite') await db.query('ANALYZE');
  const corsOrigins = corsOriginsFromEnv(env, [EXTENSION_ORIGIN]);
  const quiet = env.SAL_LOG === 'quiet';
  const fromProxy = clientAddressFromEnv(env);
  const alertsConfig = alertsConfigFromEnv(env);
  const running = await runServer({
    db,
    port,
    hostname,
    config: {
      alerts: alertsConfig,
      ...(corsOrigins ? { corsOrigins } : {}),
      ...(fromProxy ? { clientAddress: (c) => fromProxy(c.req.header('x-forwarded-for'), socketAddress(c)) } : {}),
      ...(env.SAL_OIDC_ISSUER || env.SAL_OIDC_CLIENT_ID ? { oidc: oidcFromEnv(env)! } : {}),
      ...(quiet ? {} : { log: logLine }),
    },
  });
  const alerts = startAlerts({ db, config: alertsConfig, ...(quiet ? {} : { log: logLine }) });
  process.stdout.write(`SAL Bridge sync server listening on http://${hostname}:${running.port} (${db.kind})\n`);

  const shutdown = (signal: string) => {
    logLine({ time: new Date().toISOString(), level: 'info', message: `${signal}: shutting down (finishing requests in flight)` });
    // the alert passes stop first: runServer closes the database once requests have finished
    alerts
      .stop()
      .then(() => running.close())
      .then(
        (outcome) => {
          if (outcome === 'forced') logLine({ time: new Date().toISOString(), level: 'error', message: 'requests still running at the shutdown timeout were cut' });
          process.exit(outcome === 'clean' ? 0 : 1);
        },
        (error: unknown) => {
          logLine({ time: new Date().toISOString(), level: 'error', message: `shutdown failed: ${error instanceof Error ? error.message : String(error)}` });
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  return null;
}

main().then(
  (code) => {
    if (code !== null) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`sync server failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
