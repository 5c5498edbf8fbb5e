import { browser } from 'wxt/browser';
import Dexie, { RangeSet, rangesOverlap, type ObservabilitySet } from 'dexie';
import type { SalDatabase } from '../db/schema';
import { readKv } from '../db';
import { activeDefinition, definitionKv, groupEvents, localActorKv, meKv, readMe } from '../db/reads';
import { buildQueue, badgeText, queueCounts, type QueueItem } from '../domain/sla-queue';
import { nextWakeAt } from '../domain/sla-notifications';
import type { CrmAdapter } from '../crm/types';
import { notifyDueAlerts, setupNotificationClicks, notifiedKv } from './notifications';
import { createTranslator } from '../i18n';
import { prefsKv, resolveLang } from '../settings/prefs';

/** One-shot alarm at the next clock transition (warning or deadline) of the rep's queue. */
export const CLOCK_ALARM = 'sal-bridge:clock-transition';
/** Safety net: a periodic refresh, in case a transition alarm was lost (browser asleep, clock change). */
export const QUEUE_TICK_ALARM = 'sal-bridge:queue-tick';

export interface QueueServiceDeps {
  db: SalDatabase;
  now: () => number;
  languages: () => readonly string[];
}

/**
 * Keeps the toolbar badge (overdue + warning leads in my queue), the SLA notifications and the
 * next transition alarm up to date. `refresh` is cheap enough to run on every change: it folds
 * the local leads (a rep has hundreds, not millions).
 */
export function createQueueService(deps: QueueServiceDeps) {
  const { db } = deps;
  let running: Promise<QueueItem[]> | null = null;
  let again = false;

  async function refreshOnce(): Promise<QueueItem[]> {
    const at = new Date(deps.now());
    const [rows, definition, me, lang] = await Promise.all([db.events.toArray(), activeDefinition(db), readMe(db), resolveLang(db, deps.languages())]);
    const items = buildQueue(groupEvents(rows), definition, me, at);
    const counts = queueCounts(items);
    await browser.action.setBadgeText({ text: badgeText(counts) });
    await browser.action.setBadgeBackgroundColor({ color: counts.overdue > 0 ? '#ba0517' : '#dd7a01' });
    const t = createTranslator(lang);
    await notifyDueAlerts(db, items, definition, at, t, lang);
    const wake = nextWakeAt(items, await readKv(db, notifiedKv), definition, at);
    if (wake) await browser.alarms.create(CLOCK_ALARM, { when: Math.max(wake.getTime(), deps.now() + 1000) });
    else await browser.alarms.clear(CLOCK_ALARM);
    return items;
  }

  /** Recomputes everything; concurrent calls coalesce into one follow-up run. */
  function refresh(): Promise<QueueItem[]> {
    if (running) {
      again = true;
      return running;
    }
    running = refreshOnce().finally(() => {
      running = null;
      if (again) {
        again = false;
        void refresh();
      }
    });
    return running;
  }

  return { refresh };
}

/** The `kv` records the queue is made of (besides the events): the definition, who "me" is, the language. */
const QUEUE_KV_KEYS = [definitionKv, meKv, localActorKv, prefsKv].map((item) => item.key);

/**
 * Calls `onChange` after each committed write to what the queue is made of: any event, or one of
 * `QUEUE_KV_KEYS` (Dexie's `storagemutated`: this worker's writes and, through Dexie's broadcast,
 * other extension pages'). Writes to anything else (the sync state each round, read health, the
 * notified clocks) are not its business. Returns the unsubscribe function.
 *
 * A listener rather than a `liveQuery`: a live query is queried again inside the `complete` event
 * of every write it may see, before that write's promise resolves, so each decision's commit
 * (`decision_durable_p95_ms`) waited for the queue's count query to be issued, and every
 * transaction paid for the live query's cache. The queue is rebuilt later (debounced) anyway.
 */
export function onQueueInputsChanged(db: SalDatabase, onChange: () => void): () => void {
  const events = `idb://${db.name}/events/`;
  const kv = `idb://${db.name}/kv/`;
  const kvKeys = new RangeSet().addKeys(QUEUE_KV_KEYS);
  const listener = (parts: ObservabilitySet) => {
    if ('all' in parts || Object.entries(parts).some(([part, keys]) => part.startsWith(events) || (part.startsWith(kv) && rangesOverlap(keys, kvKeys)))) onChange();
  };
  Dexie.on('storagemutated', listener);
  return () => Dexie.on('storagemutated').unsubscribe(listener);
}

/**
 * Wires the queue into the service worker: refresh once at start, then after any change to events
 * or to the settings that shape the queue (`onQueueInputsChanged`: the background's own writes,
 * decisions and pulls, and other pages'), on the transition alarm and on the periodic tick.
 * Listeners register synchronously (MV3).
 */
export function setupQueueService(db: SalDatabase, customAdapters?: () => Promise<readonly CrmAdapter[]>): void {
  const service = createQueueService({ db, now: () => Date.now(), languages: () => navigator.languages });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === CLOCK_ALARM || alarm.name === QUEUE_TICK_ALARM) void service.refresh().catch(logError);
  });
  void browser.alarms.create(QUEUE_TICK_ALARM, { periodInMinutes: 5 });
  setupNotificationClicks(db, customAdapters);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refreshSoon = () => {
    // a pull stores events in batches: one refresh after the burst
    clearTimeout(timer);
    timer = setTimeout(() => void service.refresh().catch(logError), 200);
  };
  onQueueInputsChanged(db, refreshSoon);
  // as the live query did on subscribing: the badge is set when the worker starts
  refreshSoon();
}

function logError(error: unknown) {
  console.error('[sal-bridge] queue refresh failed', error);
}
