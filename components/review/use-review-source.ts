import { useLiveQuery } from 'dexie-react-hooks';
import { getDb, orderForFold, readKv, type FoldEvent } from '../../lib/db';
import { activeDefinition, meKv, readMe } from '../../lib/db/reads';
import type { SalDefinition } from '../../lib/domain/definition';
import { seenLeadUrls } from '../../lib/domain/sla-queue';
import { customAdapters } from '../../lib/crm/custom';
import type { CrmAdapter } from '../../lib/crm/types';
import { backendKv } from '../../lib/settings/backend';
import { browserCustomCrmApi } from '../options/custom-crm-api';

export type ReviewSource =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | {
      status: 'ready';
      events: FoldEvent[];
      definition: SalDefinition;
      localOnly: boolean;
      /** The signed-in member's role as the server named it; null in local-only mode (one person, every role). */
      role: string | null;
      /** The viewer's actor id (signed-in user or local actor), when known. */
      meId: string | undefined;
      /** CRM pages seen here, most recent first, and the team's configured CRMs: for the links to each lead's record. */
      seenUrls: string[];
      custom: readonly CrmAdapter[];
    };

/**
 * What the review meeting is computed from, live: every event this browser holds (one team's) in
 * fold order, the definition in force, who is signed in, and what the CRM links are built from.
 * Read from the extension's database directly (an extension page may); re-read whenever it
 * changes, so an outcome recorded here (or synced from a colleague) shows at once. A failed read
 * is returned as an error state instead of throwing into React.
 */
export function useReviewSource(): ReviewSource {
  const source = useLiveQuery(async (): Promise<ReviewSource> => {
    try {
      const db = getDb();
      const [rows, definition, backend, me, actor, custom] = await Promise.all([
        db.events.toArray(),
        activeDefinition(db),
        readKv(db, backendKv),
        readKv(db, meKv),
        readMe(db),
        browserCustomCrmApi.load().catch(() => []),
      ]);
      return {
        status: 'ready',
        events: orderForFold(rows),
        definition,
        localOnly: backend?.mode !== 'server',
        role: me?.role ?? null,
        meId: actor.id,
        seenUrls: seenLeadUrls(rows.map((r) => r.event)),
        custom: customAdapters(custom),
      };
    } catch (error) {
      return { status: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }, []);
  return source ?? { status: 'loading' };
}
