import { useLiveQuery } from 'dexie-react-hooks';
import { getDb, readKv } from '../../lib/db';
import { INITIAL_SYNC_STATE, SYNC_STATE_KEY, SyncStateSchema, type SyncState } from '../../lib/sync/engine';
import { BACKEND_KV_KEY, BackendConfigSchema } from '../../lib/settings/backend';

export interface SyncStatus {
  mode: 'local' | 'server';
  state: SyncState;
  pending: number;
  deadLetters: number;
}

/** Sync state for the popup and options, live from the extension's database. */
export function useSyncStatus(): SyncStatus | undefined {
  return useLiveQuery(async () => {
    const db = getDb();
    const [backend, state, all, dead] = await Promise.all([
      readKv(db, BACKEND_KV_KEY, BackendConfigSchema, { mode: 'local' }),
      readKv(db, SYNC_STATE_KEY, SyncStateSchema, INITIAL_SYNC_STATE),
      db.outbox.count(),
      db.outbox.filter((e) => e.deadLetter !== null).count(),
    ]);
    return { mode: backend.mode, state, pending: all - dead, deadLetters: dead };
  }, []);
}
