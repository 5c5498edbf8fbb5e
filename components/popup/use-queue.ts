import { useLiveQuery } from 'dexie-react-hooks';
import { getDb } from '../../lib/db';
import { buildQueue, seenLeadUrls, type QueueItem } from '../../lib/domain/sla-queue';
import { withLeadPages } from '../../lib/crm/lead-page-url';
import { activeDefinition, groupEvents, readMe } from '../../lib/db/reads';
import type { SalDefinition } from '../../lib/domain/definition';
import { customAdapters } from '../../lib/crm/custom';
import { browserCustomCrmApi } from '../options/custom-crm-api';

/**
 * My queue, live from the extension's database (the popup is an extension page and may read it
 * directly); recomputed at `now` so the countdowns tick.
 */
export function useQueue(now: Date): { items: QueueItem[]; definition: SalDefinition } | undefined {
  const data = useLiveQuery(async () => {
    const db = getDb();
    const [rows, definition, me, custom] = await Promise.all([db.events.toArray(), activeDefinition(db), readMe(db), browserCustomCrmApi.load().catch(() => [])]);
    return { byLead: groupEvents(rows), definition, me, seenUrls: seenLeadUrls(rows.map((r) => r.event)), custom: customAdapters(custom) };
  }, []);
  if (!data) return undefined;
  return { items: withLeadPages(buildQueue(data.byLead, data.definition, data.me, now), data.seenUrls, data.custom), definition: data.definition };
}
