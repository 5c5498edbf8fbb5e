import { useLiveQuery } from 'dexie-react-hooks';
import { getDb, orderForFold, readKv, type FoldEvent } from '../../lib/db';
import type { SalDefinition } from '../../lib/domain/definition';
import { backendKv } from '../../lib/settings/backend';
import { activeDefinition } from '../../lib/db/reads';

export type TrendSource = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; events: FoldEvent[]; definition: SalDefinition; localOnly: boolean };

/**
 * What the trends are computed from, live: every event this browser holds (one team's) in fold
 * order, the definition in force and whether the page runs in local-only mode. Read from the
 * extension's database directly (an extension page may); re-read whenever those tables change.
 * A failed read is returned as an error state instead of throwing into React.
 */
export function useTrendSource(): TrendSource {
  const source = useLiveQuery(async (): Promise<TrendSource> => {
    try {
      const db = getDb();
      const [rows, definition, backend] = await Promise.all([db.events.toArray(), activeDefinition(db), readKv(db, backendKv)]);
      // each lead's events in fold order (server sequence, then this browser's pending ones), as the KPI page folds them
      return { status: 'ready', events: orderForFold(rows), definition, localOnly: backend?.mode !== 'server' };
    } catch (error) {
      return { status: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }, []);
  return source ?? { status: 'loading' };
}
