import { browser } from 'wxt/browser';
import { liveQuery } from 'dexie';
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

/**
 * Wires the queue into the service worker: refresh on any change to events or to the settings
 * that shape the queue (Dexie's liveQuery sees the background's own writes: decisions and pulls),
 * on the transition alarm and on the periodic tick. Listeners register synchronously (MV3).
 */
export function setupQueueService(db: SalDatabase, customAdapters?: () => Promise<readonly CrmAdapter[]>): void {
  const service = createQueueService({ db, now: () => Date.now(), languages: () => navigator.languages });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === CLOCK_ALARM || alarm.name === QUEUE_TICK_ALARM) void service.refresh().catch(logError);
  });
  void browser.alarms.create(QUEUE_TICK_ALARM, { periodInMinutes: 5 });
  setupNotificationClicks(db, customAdapters);
  let timer: ReturnType<typeof setTimeout> | undefined;
  liveQuery(() => Promise.all([db.events.count(), db.kv.bulkGet([definitionKv, meKv, localActorKv, prefsKv].map((item) => item.key))])).subscribe({
    next: () => {
      // a pull stores events in batches: one refresh after the burst
      clearTimeout(timer);
      timer = setTimeout(() => void service.refresh().catch(logError), 200);
    },
    error: logError,
  });
}

function logError(error: unknown) {
  console.error('[sal-bridge] queue refresh failed', error);
}
