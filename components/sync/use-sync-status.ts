import { useLiveQuery } from 'dexie-react-hooks';
import { getDb, readKv } from '../../lib/db';
import { syncStateKv, type SyncState } from '../../lib/sync/engine';
import { backendKv, LOCAL_BACKEND } from '../../lib/settings/backend';

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
    const [backend, state, all, dead] = await Promise.all([readKv(db, backendKv), readKv(db, syncStateKv), db.outbox.count(), db.outbox.filter((e) => e.deadLetter !== null).count()]);
    return { mode: (backend ?? LOCAL_BACKEND).mode, state, pending: all - dead, deadLetters: dead };
  }, []);
}
