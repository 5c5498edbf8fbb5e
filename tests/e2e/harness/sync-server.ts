import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';

/** The demo tokens `server:cli seed-demo` creates (fixed, for the local demo and the tests only). */
export const DEMO_TOKENS = {
  rep1: 'demo-rep1-token',
  rep2: 'demo-rep2-token',
  marketer: 'demo-marketer-token',
  admin: 'demo-admin-token',
} as const;

const ROOT = resolve(import.meta.dirname, '../../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? res(address.port) : rej(new Error('no port'))));
    });
  });
}

export interface RunningSyncServer {
  url: string;
  port: number;
  /** Stops the process (SIGTERM, graceful); the data directory stays for `start()`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data (after `stop`). */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  dispose(): Promise<void>;
}

/**
 * Runs the reference sync server as users do (`server/src/main.ts` in its own process, on the
 * embedded database in a fresh data directory), seeded with the demo team via its CLI. `env`
 * adds to its environment (e.g. `SAL_OIDC_ISSUER` for single sign-on).
 */
export async function startSyncServer(options: { env?: Record<string, string>; startTimeoutMs?: number } = {}): Promise<RunningSyncServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sal-server-'));
  const port = await freePort();
  const env = { ...process.env, SAL_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: '', SAL_LOG: 'quiet', ...options.env };
  const seeded = spawnSync(TSX, ['server/src/cli.ts', 'seed-demo'], { cwd: ROOT, env, encoding: 'utf8' });
  if (seeded.status !== 0) throw new Error(`seed-demo failed: ${seeded.stderr}`);
  let child: ChildProcess | null = null;
  const url = `http://127.0.0.1:${port}`;

  const start = async () => {
    child = spawn(TSX, ['server/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    // on a loaded machine the embedded database and the migrations can take a minute
    const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`sync server exited: ${stderr}`);
      const ok = await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`sync server did not start: ${stderr}`);
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (c.exitCode === null) c.kill('SIGKILL');
  };
  await start();
  return {
    url,
    port,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
