import { browser } from 'wxt/browser';
import type { SalDatabase } from '../db/schema';
import { readKv, writeKv } from '../db/kv';
import { BACKEND_KV_KEY, BackendConfigSchema, type BackendConfig } from '../settings/backend';
import { INITIAL_SYNC_STATE, SYNC_STATE_KEY, SyncStateSchema, nextSyncState, requeueLocalEvents, runSyncRound, type SyncState } from '../sync/engine';
import { SyncError } from '../sync/errors';
import { createHttpBackendClient } from '../sync/http-client';
import { ME_KV_KEY, MeSchema } from './identity';
import { DEFINITION_KV_KEY } from './definition-store';

const ALARM = 'sal-sync';
const LOCK = 'sal-bridge-sync';

export interface SyncServiceDeps {
  db: SalDatabase;
  now: () => number;
  random: () => number;
  fetch: typeof fetch;
  /** Called with the lead keys whose events changed (to refresh list badges in open tabs). */
  onLeadsChanged: (leadKeys: Set<string>) => void;
  /** Called after every successful round (the team's settings or the user may have changed). */
  onSynced: () => void;
}

export interface SyncService {
  /** Runs a round now (or right after the running one), unless sync is paused for auth. */
  requestSync(reason: string, options?: { force?: boolean }): Promise<SyncState>;
  /** The backend settings changed: forget the user, reset to the new backend, push everything again. */
  backendChanged(): Promise<void>;
}

export async function readBackend(db: SalDatabase): Promise<BackendConfig> {
  return readKv(db, BACKEND_KV_KEY, BackendConfigSchema, { mode: 'local' });
}

export async function readSyncState(db: SalDatabase): Promise<SyncState> {
  return readKv(db, SYNC_STATE_KEY, SyncStateSchema, INITIAL_SYNC_STATE);
}

/**
 * Sync wiring for the service worker. One round at a time across every context of the
 * extension (Web Locks); state (backoff, errors, cursor) lives in IndexedDB because the worker
 * can be stopped at any moment and its memory is lost.
 */
export function createSyncService(deps: SyncServiceDeps): SyncService {
  const { db, now } = deps;
  let queued: Promise<SyncState> | null = null;

  async function round(force: boolean): Promise<SyncState> {
    const state = await readSyncState(db);
    const backend = await readBackend(db);
    if (backend.mode !== 'server') return state;
    if (!force && (state.authPaused || (state.nextRetryAt !== null && state.nextRetryAt > now()))) return state;
    const client = createHttpBackendClient(backend.url, backend.token, deps.fetch, now);
    let next: SyncState;
    try {
      if (!(await readKv(db, ME_KV_KEY, MeSchema.nullable(), null))) {
        await writeKv(db, ME_KV_KEY, await client.me());
      }
      const settings = await client.settings().catch(() => null);
      if (settings) await writeKv(db, DEFINITION_KV_KEY, settings);
      const result = await runSyncRound(db, client, now);
      next = nextSyncState(state, { ok: true }, now(), deps.random);
      if (result.changedLeads.size > 0 || result.pushed > 0) deps.onLeadsChanged(result.changedLeads);
      deps.onSynced();
    } catch (error) {
      const syncError = error instanceof SyncError ? error : new SyncError('server_error', error instanceof Error ? error.message : String(error));
      next = nextSyncState(state, { ok: false, error: syncError }, now(), deps.random);
    }
    await writeKv(db, SYNC_STATE_KEY, next);
    return next;
  }

  function requestSync(_reason: string, options: { force?: boolean } = {}): Promise<SyncState> {
    // Requests that arrive while a round is queued join it: a burst of clicks makes one round.
    if (queued && !options.force) return queued;
    // the lock resolves with the callback's own result (a promise of the state), awaited here
    const run: Promise<SyncState> = navigator.locks.request(LOCK, () => round(options.force ?? false)).then((s) => s);
    queued = run.finally(() => {
      if (queued === run) queued = null;
    });
    return run;
  }

  return {
    requestSync,
    async backendChanged() {
      await db.kv.bulkDelete([ME_KV_KEY, DEFINITION_KV_KEY]);
      await writeKv(db, SYNC_STATE_KEY, INITIAL_SYNC_STATE);
      await requeueLocalEvents(db, now());
      await requestSync('backend-changed', { force: true });
    },
  };
}

/** Alarms, start-up and connectivity triggers. Listeners are registered synchronously (MV3). */
export function setupSyncTriggers(service: SyncService): void {
  void browser.alarms.create(ALARM, { periodInMinutes: 0.5 });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === ALARM) void service.requestSync('alarm');
  });
  browser.runtime.onStartup.addListener(() => void service.requestSync('startup'));
  browser.runtime.onInstalled.addListener(() => void service.requestSync('installed'));
  self.addEventListener('online', () => void service.requestSync('online', { force: true }));
  void service.requestSync('worker-start');
}
