import type { SalDatabase, StoredReadHealthDay } from '../db/schema';
import { addRead, leadReadHealth, listReadHealth, readDay, READ_HEALTH_WINDOW_DAYS, shiftDay, type ReadContext, type ReadHealthDay, type ReadHealthRecord } from '../domain/read-health';
import type { CrmAdapter } from '../crm/types';
import { API } from '../protocol/routes';
import type { HttpBackendClient } from '../sync/http-client';
import type { Handlers } from './router';
import type { TabLeadStore } from './tab-leads';

/**
 * Read health in the service worker (issue 16): each lead read and list read a content script
 * sends becomes an anonymous record (`leadReadHealth`, `listReadHealth` in
 * lib/domain/read-health.ts), summed per CRM, page kind and UTC day in the `readHealth` table, and
 * the changed days are posted to the team server after a sync round. Nothing here reads the
 * lead's values: only the read's status and field names.
 */

/**
 * Adds one read to its day, and takes back the read it replaces (an earlier read of the same
 * page visit), in one transaction. The day is the UTC day of `at`.
 * @param at when the read arrived, ms since the epoch
 */
export async function recordRead(db: SalDatabase, record: ReadHealthRecord, at: number, replaces?: { record: ReadHealthRecord; at: number }): Promise<void> {
  await db.transaction('rw', db.readHealth, async () => {
    const apply = async (r: ReadHealthRecord, when: number, sign: 1 | -1) => {
      const key: [string, string, string] = [r.crm, r.page, readDay(when)];
      const row = await db.readHealth.get(key);
      if (!row && sign === -1) return;
      const day = addRead(row ? dayOf(row) : undefined, r, when, sign);
      await db.readHealth.put({ ...day, revision: (row?.revision ?? 0) + 1, pushedRevision: row?.pushedRevision ?? 0 });
    };
    if (replaces) await apply(replaces.record, replaces.at, -1);
    await apply(record, at, 1);
  });
}

/** A stored day without its bookkeeping: what the server gets. */
function dayOf(row: StoredReadHealthDay): ReadHealthDay {
  const { revision: _revision, pushedRevision: _pushedRevision, ...day } = row;
  return day;
}

export interface ReadHealthDeps {
  db: SalDatabase;
  now: () => number;
  /** The extension's version (the adapter version of a read that names none). */
  extensionVersion: string;
  /** The lead each tab shows (lib/background/tab-leads.ts): a read of the same visit replaces the one before. */
  tabLeads: TabLeadStore;
  /** The adapter serving a CRM page's URL (built-in or configured). */
  adapterForUrl: (url: URL) => Promise<CrmAdapter | null>;
}

type PageHandlers = Pick<Handlers, 'page.lead' | 'page.listStatuses'>;

/**
 * How long after a read another read of the same lead in the same tab is taken for the same visit
 * when the browser does not say which document sent it (`documentId`, Chrome 106+): the content
 * script's wait for the record's header and its re-reads while fields render (8 s + 6 s).
 */
export const VISIT_WITHOUT_DOCUMENT_MS = 20_000;

/** Whether a read comes from the document that sent the tab's previous read (see `VISIT_WITHOUT_DOCUMENT_MS`). */
function sameDocument(previous: { documentId?: string | undefined; at: number }, documentId: string | undefined, now: number): boolean {
  if (previous.documentId !== undefined || documentId !== undefined) return previous.documentId === documentId;
  return now - previous.at < VISIT_WITHOUT_DOCUMENT_MS;
}

/**
 * The page handlers, counting each read they accept. A lead page is read several times while its
 * fields render (none → partial → complete); those reads are one visit (same tab, same document,
 * same lead), and only its latest read counts: each replaces the one before. A list read counts
 * once per message. The reads of one tab are handled one after another, so a visit's reads cannot
 * overtake each other. Counting never fails a handler: a failure is logged and the read goes on.
 */
export function withReadHealth(handlers: PageHandlers, deps: ReadHealthDeps): PageHandlers {
  const queues = new Map<number, Promise<unknown>>();
  const inTurn = <T>(tabId: number, work: () => Promise<T>): Promise<T> => {
    const run = (queues.get(tabId) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    queues.set(tabId, tail);
    void tail.then(() => {
      if (queues.get(tabId) === tail) queues.delete(tabId);
    });
    return run;
  };
  const count = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      console.warn('[sal-bridge] read health not recorded', error);
    }
  };
  const contextFor = async (url: URL, crm: string): Promise<ReadContext | null> => {
    const adapter = await deps.adapterForUrl(url);
    // only the sender's own CRM, as the lead service checks it
    return adapter && adapter.id === crm ? { ui: adapter.ui, extensionVersion: deps.extensionVersion } : null;
  };

  return {
    'page.lead'(request, sender) {
      if (sender.kind !== 'page') return handlers['page.lead'](request, sender);
      return inTurn(sender.tabId, async () => {
        const previous = await deps.tabLeads.get(sender.tabId);
        const answer = await handlers['page.lead'](request, sender);
        if (!answer.ok) return answer;
        await count(async () => {
          const context = await contextFor(sender.url, request.read.crm);
          if (!context) return;
          const sameVisit = previous !== null && previous.leadKey === answer.leadKey && sameDocument(previous, sender.documentId, deps.now());
          const replaces = sameVisit ? { record: leadReadHealth(previous.read, context), at: previous.at } : undefined;
          await recordRead(deps.db, leadReadHealth(request.read, context), deps.now(), replaces);
        });
        return answer;
      });
    },
    async 'page.listStatuses'(request, sender) {
      const answer = await handlers['page.listStatuses'](request, sender);
      if (sender.kind === 'page') {
        await count(async () => {
          const context = await contextFor(sender.url, request.crm);
          if (context) await recordRead(deps.db, listReadHealth(request, context), deps.now());
        });
      }
      return answer;
    },
  };
}

/**
 * Days per post: well under the protocol's 100, so even days with full count maps (30 names of
 * 100 characters in each of four maps) stay far below the server's body limit.
 */
export const READ_HEALTH_POST_BATCH = 30;

/** At most one automatic post per this interval; a round the user asked for posts at once. */
export const READ_HEALTH_PUSH_INTERVAL_MS = 10 * 60_000;

/**
 * Posts the days that changed since they were last posted (`POST /v1/health/reads`), oldest
 * first in batches, and marks each posted unless it changed meanwhile. Days older than
 * `READ_HEALTH_WINDOW_DAYS` are dropped first. Returns how many days were posted.
 * @throws what `client.request` throws (SyncError, ApiError); the days stay to be posted
 */
export async function pushReadHealth(db: SalDatabase, client: Pick<HttpBackendClient, 'request'>, now: () => number): Promise<number> {
  const oldest = shiftDay(readDay(now()), -(READ_HEALTH_WINDOW_DAYS - 1));
  await db.readHealth.where('day').below(oldest).delete();
  const changed = (await db.readHealth.toArray()).filter((r) => r.revision !== r.pushedRevision).sort((a, b) => a.day.localeCompare(b.day));
  let posted = 0;
  for (let i = 0; i < changed.length; i += READ_HEALTH_POST_BATCH) {
    const batch = changed.slice(i, i + READ_HEALTH_POST_BATCH);
    await client.request(API.postReadHealth, { body: { days: batch.map(dayOf) } });
    await db.transaction('rw', db.readHealth, async () => {
      for (const sent of batch) {
        const row = await db.readHealth.get([sent.crm, sent.page, sent.day]);
        // a read that arrived while the post was on its way leaves the day to post again
        if (row && row.revision === sent.revision) await db.readHealth.update([sent.crm, sent.page, sent.day], { pushedRevision: sent.revision });
      }
    });
    posted += batch.length;
  }
  return posted;
}

/**
 * What the sync service calls after each round with the server (`afterRound`): posts the changed
 * days at most every `READ_HEALTH_PUSH_INTERVAL_MS`, at once for a round the user asked for. A
 * failed post (an older server without the route, the network) is logged and tried again later;
 * it never fails the round.
 */
export function createReadHealthSync(db: SalDatabase, now: () => number, intervalMs = READ_HEALTH_PUSH_INTERVAL_MS): (client: Pick<HttpBackendClient, 'request'>, reason: string) => Promise<void> {
  let lastAttempt = -Infinity;
  return async (client, reason) => {
    if (reason !== 'user' && now() - lastAttempt < intervalMs) return;
    lastAttempt = now();
    try {
      await pushReadHealth(db, client, now);
    } catch (error) {
      console.warn('[sal-bridge] read health not posted', error);
    }
  };
}
