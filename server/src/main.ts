import { EXTENSION_ORIGIN } from '../../lib/protocol/extension-id';
import { createApp } from './app';
import { corsOriginsFromEnv, oidcFromEnv } from './config';
import { migrate, openDatabaseFromEnv } from './db/index';
import { startNodeServer } from './node';

/**
 * Runs the reference sync server. Environment: PORT (8787), HOST (127.0.0.1), DATABASE_URL
 * (PostgreSQL; else the embedded database in SAL_DATA_DIR, default ./.data/pglite),
 * SAL_EXTENSION_IDS (comma-separated extension ids CORS admits; default the extension's fixed
 * id), SAL_CORS_ORIGINS (comma-separated exact origins admitted as well), SAL_LOG=quiet (no
 * request log).
 */
async function main(): Promise<void> {
  const env = process.env;
  const port = Number(env.PORT ?? 8787);
  const hostname = env.HOST || '127.0.0.1';
  const db = await openDatabaseFromEnv(env);
  await migrate(db);
  // PGlite has no autovacuum: start with planner statistics that match the data (see events-store.ts)
  if (db.kind === 'pglite') await db.query('ANALYZE');
  const corsOrigins = corsOriginsFromEnv(env, [EXTENSION_ORIGIN]);
  const quiet = env.SAL_LOG === 'quiet';
  const app = createApp({
    db,
    config: {
      ...(corsOrigins ? { corsOrigins } : {}),
      ...(env.SAL_OIDC_ISSUER || env.SAL_OIDC_CLIENT_ID ? { oidc: oidcFromEnv(env)! } : {}),
      ...(quiet ? {} : { log: (entry: Record<string, unknown>) => process.stderr.write(`${JSON.stringify(entry)}\n`) }),
    },
  });
  const { server, port: listening } = await startNodeServer({ fetch: app.fetch, port, hostname });
  process.stdout.write(`SAL Bridge sync server listening on http://${hostname}:${listening} (${db.kind})\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', message: `${signal}: shutting down` })}\n`);
    // Stop accepting, let requests in flight finish, then close the database so PGlite flushes.
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(() => {
      void db.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    if ('closeIdleConnections' in server && typeof server.closeIdleConnections === 'function') server.closeIdleConnections();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`sync server failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
