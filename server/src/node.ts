import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';

/**
 * Serves a Hono app (see `createApp`) on Node's HTTP server. Resolves once it listens, with the
 * port it got (`port: 0` picks a free one, as tests do).
 */
export function startNodeServer(options: { fetch: Hono['fetch']; port: number; hostname: string }): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: options.fetch, port: options.port, hostname: options.hostname }, (info) => resolve({ server, port: info.port }));
  });
}
