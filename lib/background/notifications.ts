import { browser } from 'wxt/browser';
import { z } from 'zod';
import type { SalDatabase } from '../db/schema';
import { defineKvItem, eventsForLead, readKv, writeKv } from '../db';
import { foldLead } from '../domain/lifecycle';
import type { SalDefinition } from '../domain/definition';
import { seenLeadUrls, type QueueItem } from '../domain/sla-queue';
import { openableLeadUrl } from '../crm/lead-page-url';
import type { CrmAdapter } from '../crm/types';
import { dueAlerts, leadKeyOfNotification, recordAlerts, type ClockAlert } from '../domain/sla-notifications';
import type { Lang, Translate } from '../i18n';
import { formatDateTime } from '../format/time';

/** The clock alerts already shown, per lead and clock, so each is notified once. */
export const notifiedKv = defineKvItem('notifiedClocks', z.record(z.string(), z.enum(['warning', 'breached'])), {});
/** A 48 px SAL Bridge mark for notifications (Chrome requires an icon; a data URL needs no file). */
const NOTIFICATION_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAYAAABXAvmHAAAAU0lEQVR42u3Y0Q0AEAxAQZa2qIHYQaLauJd0gPugojVJSlkfc2UaAAAAAIAcgNsBAAAAnAHKX6MAAMFPiWeHGADAIgMAACgN8CsBAAAA8AdAkkLarpzNRPX0DsYAAAAASUVORK5CYII=';

let chain: Promise<unknown> = Promise.resolve();

/**
 * Shows the alerts due at `now` and remembers them in Dexie kv before showing, so a service
 * worker restarted mid-way never repeats one (a lost notification is better than a duplicate
 * every time the worker wakes). Calls are serialised: two refreshes racing would both see the
 * old record.
 */
export function notifyDueAlerts(db: SalDatabase, items: readonly QueueItem[], definition: SalDefinition, now: Date, t: Translate, lang: Lang): Promise<ClockAlert[]> {
  const run = chain.then(async () => {
    const notified = await readKv(db, notifiedKv);
    const alerts = dueAlerts(items, notified, definition, now);
    await writeKv(db, notifiedKv, recordAlerts(notified, alerts, items));
    for (const a of alerts) {
      const lead = [a.lead.name, a.lead.company].filter(Boolean).join(' · ') || a.leadKey;
      await browser.notifications.create(a.id, {
        type: 'basic',
        iconUrl: NOTIFICATION_ICON,
        title: t(a.level === 'breached' ? 'notify.breached.title' : 'notify.warning.title', { clock: t(`clock.${a.kind}`) }),
        message: t('notify.body', { lead, at: formatDateTime(a.deadline, lang) }),
        priority: a.level === 'breached' ? 2 : 1,
      });
    }
    return alerts;
  });
  chain = run.catch(() => undefined);
  return run;
}

/** Clicking an SLA notification opens the lead's CRM page (from the latest snapshot, else built from its key) and clears it. */
export function setupNotificationClicks(db: SalDatabase, customAdapters: () => Promise<readonly CrmAdapter[]> = () => Promise.resolve([])): void {
  browser.notifications.onClicked.addListener((notificationId) => {
    const leadKey = leadKeyOfNotification(notificationId);
    if (!leadKey) return;
    void (async () => {
      // a hand-over from a list or CSV has no page URL: build one on a CRM page seen here
      // only the lead's page on a CRM SAL Bridge knows (see openableLeadUrl)
      const snapshotUrl = foldLead(await eventsForLead(db, leadKey)).lead.url;
      const url = openableLeadUrl(leadKey, snapshotUrl, seenLeadUrls((await db.events.toArray()).map((r) => r.event)), await customAdapters());
      if (url) await browser.tabs.create({ url });
      await browser.notifications.clear(notificationId);
    })();
  });
}
