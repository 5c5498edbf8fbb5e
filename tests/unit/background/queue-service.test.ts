import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { SalDatabase } from '../../../lib/db/schema';
import { recordLocalEvent } from '../../../lib/db/events-repo';
import { writeKv } from '../../../lib/db/kv';
import { localActorKv } from '../../../lib/background/identity';
import { createQueueService } from '../../../lib/background/queue-service';
import { setupNotificationClicks } from '../../../lib/background/notifications';
import { CLOCK_ALARM, onQueueInputsChanged } from '../../../lib/background/queue-service';
import { definitionKv } from '../../../lib/db/reads';
import { withLeadPages } from '../../../lib/crm/lead-page-url';
import { seenLeadUrls } from '../../../lib/domain/sla-queue';
import { queueOf, queueTestKey as key } from '../domain/queue-builders';
import { accepted, handedOver, jst, REP_A } from '../domain/builders';

const URL_ = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view';
let db: SalDatabase;
/** The fake browser keeps each notification's create options (the real API only says it exists). */
const shownNotifications = () => (fakeBrowser.notifications as unknown as { getAllCreateOptions(): Record<string, { title: string; message: string }> }).getAllCreateOptions();

async function seed(name: string) {
  db = new SalDatabase(name);
  await writeKv(db, localActorKv, { id: REP_A.id, name: '' });
  const lead = { name: '山田 太郎', company: '株式会社サクラテック', url: URL_ };
  await recordLocalEvent(db, handedOver({ at: jst('2026-11-24T09:00'), lead }), jst('2026-11-24T09:00').getTime());
  return db;
}

afterEach(async () => {
  await db?.delete();
});

describe('queue service (background)', () => {
  it('is told of committed writes to events and to the records the queue is made of, not of other records', async () => {
    await seed('queue-inputs');
    let changes = 0;
    const stop = onQueueInputsChanged(db, () => changes++);
    try {
      // a decision
      await recordLocalEvent(db, accepted({ at: jst('2026-11-24T10:00'), actor: REP_A }), jst('2026-11-24T10:00').getTime());
      expect(changes).toBe(1);
      // the sync state a round writes is not what the queue is made of
      await db.kv.put({ key: 'syncState', value: { lastRoundAt: 1 } });
      expect(changes).toBe(1);
      // a definition pulled or saved
      await db.kv.put({ key: definitionKv.key, value: { version: 2 } });
      expect(changes).toBe(2);
    } finally {
      stop();
    }
    await db.kv.delete(definitionKv.key);
    expect(changes).toBe(2);
  });

  it('sets the badge, notifies a breach once across worker restarts, and schedules the next transition', async () => {
    await seed('queue-1');
    const at = jst('2026-11-24T17:05').getTime();
    const service = createQueueService({ db, now: () => at, languages: () => ['ja'] });
    const items = await service.refresh();
    expect(items).toHaveLength(1);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');
    const shown = Object.values(shownNotifications());
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ title: '期限超過: 受領期限', message: expect.stringContaining('山田 太郎 · 株式会社サクラテック') });

    // a restarted worker (new service, same database) does not repeat the alert
    await fakeBrowser.notifications.clear(Object.keys(await fakeBrowser.notifications.getAll())[0]!);
    await createQueueService({ db, now: () => at + 60_000, languages: () => ['ja'] }).refresh();
    expect(Object.keys(await fakeBrowser.notifications.getAll())).toHaveLength(0);
  });

  it('an accepted lead: warning counts on the badge and the alarm is set for the deadline', async () => {
    await seed('queue-2');
    await recordLocalEvent(db, accepted({ at: jst('2026-11-24T10:00'), actor: REP_A }), jst('2026-11-24T10:00').getTime());
    // first contact: 18 business hours from Tue 10:00 → Thu 10:00, warning from Wed 15:00
    const at = jst('2026-11-25T16:00').getTime();
    await createQueueService({ db, now: () => at, languages: () => ['en'] }).refresh();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');
    expect(Object.values(shownNotifications())[0]).toMatchObject({ title: 'Due soon: First contact due' });
    const alarm = await fakeBrowser.alarms.get(CLOCK_ALARM);
    expect(alarm?.scheduledTime).toBe(jst('2026-11-26T10:00').getTime());
  });

  it('clicking a notification opens the lead page', async () => {
    await seed('queue-3');
    setupNotificationClicks(db);
    const at = jst('2026-11-24T17:05').getTime();
    await createQueueService({ db, now: () => at, languages: () => ['ja'] }).refresh();
    const id = Object.keys(await fakeBrowser.notifications.getAll())[0]!;
    await fakeBrowser.notifications.onClicked.trigger(id);
    await expect.poll(async () => (await fakeBrowser.tabs.query({})).map((t) => t.url)).toContain(URL_);
  });
});

describe('queue items without a CRM page (hand-overs from a list or CSV)', () => {
  it('open on the CRM org seen most recently in the events', () => {
    const csvHandOver = [handedOver({ at: jst('2026-11-25T10:00'), leadKey: key(9), lead: { name: 'CSV lead' } })];
    const older = [
      accepted({
        at: jst('2026-11-20T10:00'),
        actor: REP_A,
        leadKey: key(10),
        lead: { name: 'x', url: `https://old.lightning.force.com/lightning/r/Lead/${key(10).slice('salesforce:'.length)}/view` },
      }),
    ];
    const newerLead = { leadKey: key(11), lead: { name: 'y', url: `https://acme.lightning.force.com/lightning/r/Lead/${key(11).slice('salesforce:'.length)}/view` } };
    const newer = [handedOver({ at: jst('2026-11-24T09:00'), ...newerLead }), accepted({ at: jst('2026-11-24T10:00'), actor: REP_A, ...newerLead })];
    const all = [csvHandOver, older, newer];
    const seen = seenLeadUrls(all.flat());
    expect(seen).toEqual([newerLead.lead.url, older[0]!.lead!.url]);
    const items = withLeadPages(queueOf(all, jst('2026-11-25T11:00')), seen);
    expect(items.find((i) => i.leadKey === key(9))?.lead.url).toBe(`https://acme.lightning.force.com/lightning/r/Lead/${key(9).slice('salesforce:'.length)}/view`);
    // a lead that has its own page keeps it
    expect(items.find((i) => i.leadKey === key(11))?.lead.url).toBe(newerLead.lead.url);
  });

  it('never link to a page that is not the lead’s own on a known CRM (a crafted event’s URL)', () => {
    const crafted = [handedOver({ at: jst('2026-11-25T10:00'), leadKey: key(12), lead: { name: 'bait', url: 'https://evil.example.com/lightning/r/Lead/x/view' } })];
    const items = withLeadPages(queueOf([crafted], jst('2026-11-25T11:00')), seenLeadUrls(crafted));
    expect(items[0]?.lead.url).toBeUndefined();
    expect(items[0]?.lead.name).toBe('bait');
  });

  it('stay without a link when no page of their CRM was ever seen', () => {
    const items = withLeadPages(queueOf([[handedOver({ at: jst('2026-11-25T10:00'), leadKey: key(9), lead: { name: 'CSV lead' } })]], jst('2026-11-25T11:00')), []);
    expect(items[0]?.lead.url).toBeUndefined();
  });
});
