import type { Server } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import { createApp, type ServerConfig } from './app';
import type { Database } from './db/types';

/**
 * Serves a Hono app (see `createApp`) on Node's HTTP server. Resolves once it listens, with the
 * port it got (`port: 0` picks a free one, as tests do).
 */
export function startNodeServer(options: { fetch: Hono['fetch']; port: number; hostname: string }): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: options.fetch, port: options.port, hostname: options.hostname }, (info) => resolve({ server, port: info.port }));
  });
}

/** How long `close()` lets requests in flight run before cutting their connections. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

export interface RunningServer {
  port: number;
  /**
   * Graceful shutdown: `/readyz` answers 503 and answers carry `Connection: close`; the listening
   * socket closes at once (a new connection is refused); idle keep-alive connections are closed;
   * requests in flight (a push writing its batch) run to their answer; then the database is
   * closed. Past `timeoutMs` the remaining connections are cut (`forced`). Idempotent.
   */
  close(options?: { timeoutMs?: number }): Promise<'clean' | 'forced'>;
}

/** The sync server on `db`, listening on `hostname:port`, with the shutdown above (`main.ts` wires it to SIGTERM and SIGINT). */
export async function runServer(options: { db: Database; config?: ServerConfig; port: number; hostname: string }): Promise<RunningServer> {
  let draining = false;
  const app = createApp({ db: options.db, config: { ...options.config, draining: () => draining } });
  const { server, port } = await startNodeServer({ fetch: app.fetch, port: options.port, hostname: options.hostname });
  const http = server as Server;
  let closing: Promise<'clean' | 'forced'> | null = null;
  return {
    port,
    close({ timeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS } = {}) {
      closing ??= (async () => {
        draining = true;
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        // keep-alive connections fall idle after their answer: close them as they do
        http.closeIdleConnections();
        const idle = setInterval(() => http.closeIdleConnections(), 50);
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          closed.then(() => 'clean' as const),
          new Promise<'forced'>((resolve) => {
            timer = setTimeout(() => resolve('forced'), timeoutMs);
          }),
        ]);
        clearInterval(idle);
        clearTimeout(timer);
        if (outcome === 'forced') {
          http.closeAllConnections();
          await closed;
        }
        await options.db.close();
        return outcome;
      })();
      return closing;
    },
  };
}
