import { browser } from 'wxt/browser';
import type { SalDatabase } from '../db/schema';
import { deleteKv, readKv, readKvs, writeKv } from '../db/kv';
import { backendKv, LOCAL_BACKEND, type BackendConfig } from '../settings/backend';
import { effectiveBackend, readManagedPolicyWithin } from '../settings/policy';
import { INITIAL_SYNC_STATE, isSignedOut, syncStateKv, cursorKv, nextSyncState, runSyncRound, type SyncState } from '../sync/engine';
import { bindScope, detachScope, readDataScope } from '../db/scopes';
import { SyncError } from '../sync/errors';
import { createHttpBackendClient, type HttpBackendClient } from '../sync/http-client';
import { refreshSession } from '../sync/session';
import { teamSettingsKv } from '../sync/team-settings';
import { meKv, meSourceKv, StoredMeSchema, meSource } from './identity';
import { definitionKv } from '../db/reads';

const ALARM = 'sal-sync';

const LOCK = 'sal-bridge-sync';
/** Rounds the user asked for: they run even while paused or told to wait. */
const EXPLICIT_REASONS = new Set(['user', 'backend-changed']);

export interface SyncServiceDeps {
  db: SalDatabase;
  now: () => number;
  random: () => number;
  fetch: typeof fetch;
  /** Called with the lead keys whose events changed (to refresh list badges in open tabs). */
  onLeadsChanged: (leadKeys: Set<string>) => void;
  /** Called after every successful round (the team's settings or the user may have changed). */
  onSynced: () => void;
  /** One round at a time; defaults to the Web Locks API (tests pass an in-memory lock). */
  runExclusive?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** One session refresh at a time across the extension (lib/sync/session.ts); defaults to a Web Lock. */
  runRefreshExclusive?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Called after a round that reached the server, with its client (read health posts its days: lib/background/read-health.ts). Must not throw. */
  afterRound?: (client: HttpBackendClient, reason: string) => Promise<void>;
  /**
   * Optional reads of each round, after the settings (e.g. the team's adapter descriptions,
   * lib/background/adapter-descriptions.ts). Their failures do not stop the round: a team's own
   * backend may not serve them.
   */
  alsoFetch?: (client: HttpBackendClient) => Promise<unknown>;
}

export interface SyncService {
  /** Runs a round now (or right after the running one), unless sync is paused for auth. */
  requestSync(reason: string, options?: { force?: boolean }): Promise<SyncState>;
  /**
   * The backend settings were saved. Same URL (a new token): sync resumes, nothing else changes;
   * the next round asks the server who the token belongs to, and only if that is another team
   * does this browser switch to that team's data. Another URL: the current team's data is set
   * aside at once and the new backend's team gets its own (pulled from the start).
   */
  backendChanged(): Promise<void>;
}

export async function readBackend(db: SalDatabase): Promise<BackendConfig> {
  const [local, policy] = await Promise.all([readKv(db, backendKv), readManagedPolicyWithin(3000)]);
  // policy not known yet (see readManagedPolicyWithin): the rep's own backend, as before policies
  return policy ? effectiveBackend(local ?? LOCAL_BACKEND, policy) : (local ?? LOCAL_BACKEND);
}

export async function readSyncState(db: SalDatabase): Promise<SyncState> {
  return readKv(db, syncStateKv);
}

/**
 * Sync wiring for the service worker. One round at a time across every context of the
 * extension (Web Locks); state (backoff, errors, cursor) lives in IndexedDB because the worker
 * can be stopped at any moment and its memory is lost.
 */
export function createSyncService(deps: SyncServiceDeps): SyncService {
  const { db, now } = deps;
  let queued: Promise<SyncState> | null = null;

  const exclusive = deps.runExclusive ?? (<T>(fn: () => Promise<T>) => navigator.locks.request(LOCK, fn) as Promise<T>);

  /** Whether a round asked for `reason` may talk to the server now (see `requestSync`). */
  function mayRun(state: SyncState, reason: string, force: boolean): boolean {
    if (EXPLICIT_REASONS.has(reason)) return true;
    if (state.authPaused) return false;
    if (state.retryAfterUntil !== null && state.retryAfterUntil > now()) return false;
    return force || state.nextRetryAt === null || state.nextRetryAt <= now();
  }

  async function round(reason: string, force: boolean): Promise<SyncState> {
    const state = await readSyncState(db);
    const backend = await readBackend(db);
    if (backend.mode !== 'server') return state;
    if (!mayRun(state, reason, force)) return state;
    // a signed-in session refreshes its access token when the server says it expired (transparent to the round)
    const client = createHttpBackendClient(
      backend.url,
      backend.token,
      deps.fetch,
      now,
      backend.session ? { refresh: () => refreshSession(db, backend.token, deps.fetch, deps.runRefreshExclusive) } : {},
    );
    let next: SyncState;
    try {
      // a session's access token changes every few minutes; the member it is for does not
      const source = await meSource(backend.url, backend.session ? `session:${backend.session.userId}` : backend.token);
      const [known, knownSource] = await readKvs(db, [meKv, meSourceKv]);
      let me = known;
      if (!me || knownSource !== source) {
        me = StoredMeSchema.parse(await client.me());
        await db.transaction('rw', db.kv, async () => {
          await writeKv(db, meKv, me);
          await writeKv(db, meSourceKv, source);
        });
      }
      // before anything is pushed: the rows this round sends and shows must be this team's
      const switched = await bindScope(db, backend.url, me.team);
      // Settings are optional for a backend (a team's own implementation may not serve them):
      // a 4xx is skipped, but a transport failure stops the round like any other request, so
      // a 429's Retry-After or a 401 is not ignored by carrying on with the push.
      const settings = await client.settings().catch((e: unknown) => {
        if (e instanceof SyncError && e.code === 'server_error' && e.status !== null && e.status < 500) return null;
        throw e;
      });
      if (settings) {
        await writeKv(db, definitionKv, settings.activeDefinition);
        await writeKv(db, teamSettingsKv, { managed: settings.managed, revision: settings.revision, updatedAt: settings.updatedAt, updatedBy: settings.updatedBy });
      } else if (switched) await deleteKv(db, [definitionKv, teamSettingsKv]);
      await deps.alsoFetch?.(client).catch(() => undefined);
      const result = await runSyncRound(db, client, now, { cursor: cursorKv(backend.url, me.team.id) });
      await deps.afterRound?.(client, reason);
      // what was pulled is news for open tabs even when the push failed
      if (switched || result.changedLeads.size > 0 || result.pushed > 0) deps.onLeadsChanged(result.changedLeads);
      deps.onSynced();
      next = nextSyncState(state, result.pushError ? { ok: false, error: result.pushError } : { ok: true }, now(), deps.random);
    } catch (error) {
      const syncError = error instanceof SyncError ? error : new SyncError('server_error', error instanceof Error ? error.message : String(error));
      next = nextSyncState(state, { ok: false, error: syncError }, now(), deps.random);
    }
    await writeKv(db, syncStateKv, next);
    // open panels show "signed out" as soon as the server says so
    if (isSignedOut(next) && !isSignedOut(state)) deps.onSynced();
    return next;
  }

  /**
   * `reason` 'user' (the "sync now" button) and 'backend-changed' always run. Any other round
   * waits out an auth pause and the server's Retry-After; `force` (a write, back online) skips
   * only our own backoff delay.
   */
  function requestSync(reason: string, options: { force?: boolean } = {}): Promise<SyncState> {
    // Requests that arrive while a round is queued join it: a burst of alarms makes one round.
    if (queued && !options.force) return queued;
    const run: Promise<SyncState> = exclusive(() => round(reason, options.force ?? false));
    // compare with the promise stored, not `run`: comparing with `run` never matched, so the
    // first round stayed "queued" forever and every later alarm joined it instead of syncing
    const tracked = run.finally(() => {
      if (queued === tracked) queued = null;
    });
    tracked.catch(() => undefined);
    queued = tracked;
    return run;
  }

  return {
    requestSync,
    async backendChanged() {
      // under the lock: a round still running against the old backend must not write its
      // state, cursor or sequences over the change
      await exclusive(async () => {
        const backend = await readBackend(db);
        const scope = await readDataScope(db);
        if (backend.mode === 'server' && scope !== null && scope.url === backend.url) {
          // A new token for the same server (the remedy after a 401). Sequences, cursor, outbox
          // and the user stay: clearing them made teammates' events lose their sequence for good.
          await writeKv(db, syncStateKv, { ...(await readSyncState(db)), authPaused: false });
          return;
        }
        if (backend.mode === 'server') await detachScope(db, backend.url);
        await deleteKv(db, [meKv, meSourceKv, definitionKv, teamSettingsKv]);
        await writeKv(db, syncStateKv, INITIAL_SYNC_STATE);
      });
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
