import type { Database } from '../db/types';
import { digestAll } from './digest';
import { deliverDue, watchAll, type SenderOptions } from './outbox';
import { createPoster } from './post';
import type { TargetPolicy } from './targets';

/** How the server runs its alerts (see `startAlerts`). */
export interface AlertsConfig extends Partial<TargetPolicy> {
  /** Watcher pass period (ms, default 60 s). */
  watchEveryMs?: number;
  /** Sender period (ms, default 10 s). */
  sendEveryMs?: number;
  /** Sender tuning and the poster (tests pass their own). */
  sender?: Partial<SenderOptions>;
}

/**
 * The alert flags from the environment: `SAL_ALERTS_ALLOW_LOCAL_TARGETS=1` admits http://127.0.0.1
 * and private-network webhook targets (development and tests only; never in production).
 */
export function alertsConfigFromEnv(env: NodeJS.ProcessEnv): AlertsConfig {
  return { allowLocalTargets: env.SAL_ALERTS_ALLOW_LOCAL_TARGETS === '1' };
}

export interface AlertService {
  /** Runs one watcher pass and one sender round now (what the timers do). */
  tick(): Promise<void>;
  /** Stops the timers and waits for the round in flight (call before closing the database). */
  stop(): Promise<void>;
}

/**
 * Runs the SLA watcher and the sender on timers. Every server instance may run it: the outbox's
 * unique key and the sender's claim make the work exactly-once to enqueue and claim-once to send
 * (see `outbox.ts`). Rows left pending or claimed by a stopped instance are sent after a restart.
 * Errors are logged and the next round tries again.
 */
export function startAlerts(deps: { db: Database; config?: AlertsConfig; now?: () => Date; log?: (entry: Record<string, unknown>) => void }): AlertService {
  const { db, config = {}, log } = deps;
  const now = deps.now ?? (() => new Date());
  const policy: TargetPolicy = { allowLocalTargets: config.allowLocalTargets ?? false };
  const sender: SenderOptions = { post: createPoster(policy), ...config.sender };
  let inFlight: Promise<void> = Promise.resolve();
  let stopped = false;

  const guarded = (name: string, work: () => Promise<unknown>) => () => {
    if (stopped) return inFlight;
    inFlight = inFlight.then(work).then(
      () => undefined,
      (error: unknown) => log?.({ time: new Date().toISOString(), level: 'error', message: `alerts ${name}: ${error instanceof Error ? error.message : String(error)}` }),
    );
    return inFlight;
  };
  const watch = guarded('watch', async () => {
    const { errors } = await watchAll(db, now());
    for (const [team, error] of errors) log?.({ time: new Date().toISOString(), level: 'error', team, message: `alerts watch: ${error instanceof Error ? error.message : String(error)}` });
    // the morning digest rides the watcher's pass (reusing its folded leads); a cheap lookup once the day's is enqueued
    const digests = await digestAll(db, now());
    for (const [team, error] of digests.errors) log?.({ time: new Date().toISOString(), level: 'error', team, message: `alerts digest: ${error instanceof Error ? error.message : String(error)}` });
  });
  const send = guarded('send', () => deliverDue(db, now(), sender));
  const timers = [setInterval(() => void watch(), config.watchEveryMs ?? 60_000), setInterval(() => void send(), config.sendEveryMs ?? 10_000)];
  for (const t of timers) t.unref();
  void watch().then(send);

  return {
    async tick() {
      await watch();
      await send();
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await inFlight;
    },
  };
}
