import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { SalDatabase } from '../../../lib/db/schema';
import { writeKv } from '../../../lib/db/kv';
import { storeServerEvents } from '../../../lib/db/events-repo';
import { handedOver, MARKETER } from '../domain/builders';
import { createLeadHandlers } from '../../../lib/background/lead-service';
import { isQuotaError } from '../../../lib/background/local-events';
import { definitionKv, meKv } from '../../../lib/db/reads';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import type { VerifiedSender } from '../../../lib/background/router';
import type { PageLeadRead } from '../../../lib/crm/types';

let n = 0;
const leadUrl = new URL('https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view');
const pageSender: VerifiedSender = { kind: 'page', tabId: 3, url: leadUrl, frameId: 0 };
const panelSender: VerifiedSender = { kind: 'extension', tabId: 3, url: new URL('chrome-extension://x/panel.html'), frameId: 5, tabUrl: leadUrl };
const CRM_ORIGIN = [leadUrl.origin];
const read: PageLeadRead = { crm: 'salesforce', recordId: '00Q5g00000AbCdE', status: 'complete', lead: { name: '山田 太郎', company: '株式会社サクラテック' }, missing: [] };

function setup() {
  const db = new SalDatabase(`lead-service-${n++}`);
  const onRecorded = vi.fn();
  const handlers = createLeadHandlers({ db, now: () => Date.parse('2026-11-24T01:00:00Z'), languages: () => ['ja'], onRecorded });
  return { db, handlers, onRecorded };
}

describe('lead service', () => {
  it('records a decision on the lead the tab shows, with its outbox entry and the page snapshot', async () => {
    const { db, handlers, onRecorded } = setup();
    expect(await handlers['page.lead']({ type: 'page.lead', read }, pageSender)).toEqual({ ok: true, leadKey: 'salesforce:00Q5g00000AbCdEEAV' });
    const reply = await handlers['panel.record'](
      { type: 'panel.record', leadKey: 'salesforce:00Q5g00000AbCdEEAV', draft: { type: 'accepted', payload: { checklist: {}, temperature: 'hot' } }, ancestorOrigins: CRM_ORIGIN },
      panelSender,
    );
    expect(reply.ok).toBe(true);
    const [stored] = await db.events.toArray();
    expect(stored?.event).toMatchObject({ type: 'accepted', lead: { company: '株式会社サクラテック', url: leadUrl.href }, definitionVersion: 1 });
    expect(await db.outbox.count()).toBe(1);
    expect(onRecorded).toHaveBeenCalledOnce();
  });

  it('refuses a lead id that is not the one in the tab URL', async () => {
    const { handlers } = setup();
    expect(await handlers['page.lead']({ type: 'page.lead', read: { ...read, recordId: '00Q5g00000FgHiJ' } }, pageSender)).toEqual({ ok: false, error: 'record_mismatch' });
  });

  it('refuses a decision on a lead the panel tab is not showing', async () => {
    const { db, handlers } = setup();
    await handlers['page.lead']({ type: 'page.lead', read }, pageSender);
    const reply = await handlers['panel.record'](
      { type: 'panel.record', leadKey: 'salesforce:00Q5g00000FgHiJEAV', draft: { type: 'accepted', payload: { checklist: {} } }, ancestorOrigins: CRM_ORIGIN },
      panelSender,
    );
    expect(reply).toEqual({ ok: false, error: 'lead_not_shown' });
    expect(await db.events.count()).toBe(0);
  });

  it("enforces the team definition's comment rule, beyond the schema's rule for その他", async () => {
    const { db, handlers } = setup();
    await writeKv(db, definitionKv, {
      ...DEFAULT_DEFINITION,
      version: 2,
      rejectReasons: DEFAULT_DEFINITION.rejectReasons.map((r) => (r.code === 'duplicate' ? { ...r, commentRequired: true } : r)),
    });
    await handlers['page.lead']({ type: 'page.lead', read }, pageSender);
    const draft = { type: 'rejected', payload: { reasonCode: 'duplicate' } } as const;
    expect(await handlers['panel.record']({ type: 'panel.record', leadKey: 'salesforce:00Q5g00000AbCdEEAV', draft, ancestorOrigins: CRM_ORIGIN }, panelSender)).toEqual({
      ok: false,
      error: 'comment_required',
    });
    const unknown = { type: 'rejected', payload: { reasonCode: 'not_a_reason' } } as const;
    expect(await handlers['panel.record']({ type: 'panel.record', leadKey: 'salesforce:00Q5g00000AbCdEEAV', draft: unknown, ancestorOrigins: CRM_ORIGIN }, panelSender)).toEqual({
      ok: false,
      error: 'unknown_reason',
    });
    expect(await db.events.count()).toBe(0);
  });

  it('gives list badges per row, untracked for leads without events', async () => {
    const { db, handlers } = setup();
    await storeServerEvents(db, [{ seq: 1, receivedAt: '2026-11-24T00:00:00.000Z', event: handedOver({ at: '2026-11-24T00:00:00Z', actor: MARKETER }) }], 1);
    await handlers['page.lead']({ type: 'page.lead', read }, pageSender);
    await handlers['panel.record'](
      { type: 'panel.record', leadKey: 'salesforce:00Q5g00000AbCdEEAV', draft: { type: 'rejected', payload: { reasonCode: 'duplicate' } }, ancestorOrigins: CRM_ORIGIN },
      panelSender,
    );
    const reply = await handlers['page.listStatuses']({ type: 'page.listStatuses', crm: 'salesforce', recordIds: ['00Q5g00000AbCdEEAV', '00Q5g00000FgHiJEAV', 'garbage!'] }, pageSender);
    expect(reply.statuses).toEqual({ '00Q5g00000AbCdEEAV': 'rejected', '00Q5g00000FgHiJEAV': 'untracked' });
    expect(reply.labels.rejected).toBe('却下');
  });

  it('tells a list page, on its first ask (no rows yet), every lead of its own CRM that has events', async () => {
    const { db, handlers } = setup();
    await storeServerEvents(db, [{ seq: 1, receivedAt: '2026-11-24T00:00:00.000Z', event: handedOver({ at: '2026-11-24T00:00:00Z', actor: MARKETER }) }], 1);
    const listSender: VerifiedSender = { kind: 'page', tabId: 4, url: new URL('https://acme.lightning.force.com/lightning/o/Lead/list?filterName=Recent'), frameId: 0 };
    const first = await handlers['page.listStatuses']({ type: 'page.listStatuses', crm: 'salesforce', recordIds: [] }, listSender);
    expect(first.known).toEqual({ pending: ['00Q5g00000AbCdEEAV'] });
    expect(first.labels.pending).toBe('受領待ち');
    // asking for rows, or for another CRM than the page's own, tells nothing more
    expect((await handlers['page.listStatuses']({ type: 'page.listStatuses', crm: 'salesforce', recordIds: ['00Q5g00000FgHiJEAV'] }, listSender)).known).toBeUndefined();
    expect((await handlers['page.listStatuses']({ type: 'page.listStatuses', crm: 'hubspot', recordIds: [] }, listSender)).known).toBeUndefined();
  });
});

describe('lead service on a full disk', () => {
  it('answers storage_full, stores nothing and does not report a recording', async () => {
    const { db, handlers, onRecorded } = setup();
    await handlers['page.lead']({ type: 'page.lead', read }, pageSender);
    // what Chromium's IndexedDB raises when the profile's quota or the disk is exhausted
    const add = IDBObjectStore.prototype.add;
    const spy = vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
      if (this.name === 'outbox') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return add.apply(this, args);
    });
    onTestFinished(() => spy.mockRestore());
    const reply = await handlers['panel.record'](
      { type: 'panel.record', leadKey: 'salesforce:00Q5g00000AbCdEEAV', draft: { type: 'accepted', payload: { checklist: {} } }, ancestorOrigins: CRM_ORIGIN },
      panelSender,
    );
    expect(reply).toEqual({ ok: false, error: 'storage_full' });
    expect(await db.events.count()).toBe(0); // the event's add was rolled back with the transaction
    expect(onRecorded).not.toHaveBeenCalled();
  });

  it('recognises the quota error however Dexie wraps it', () => {
    const quota = new DOMException('full', 'QuotaExceededError');
    expect(isQuotaError(quota)).toBe(true);
    expect(isQuotaError({ name: 'AbortError', inner: quota })).toBe(true);
    expect(isQuotaError(new Error('other'))).toBe(false);
    expect(isQuotaError(null)).toBe(false);
  });
});

describe('lead service: the panel acts only where its tab shows the lead (clickjacking)', () => {
  const accept = (extra: Partial<{ ancestorOrigins: string[] }> = {}) =>
    ({ type: 'panel.record', leadKey: 'salesforce:00Q5g00000AbCdEEAV', draft: { type: 'accepted', payload: { checklist: {} } }, ancestorOrigins: CRM_ORIGIN, ...extra }) as const;

  it('says hello only to a panel framed directly by the CRM page of its tab', async () => {
    const { handlers } = setup();
    expect(await handlers['panel.hello']({ type: 'panel.hello', ancestorOrigins: CRM_ORIGIN }, panelSender)).toEqual({ ok: true, tabId: 3 });
    // another site frames the panel in a tab that showed the lead before
    const attacker = { ...panelSender, tabUrl: new URL('https://evil.example.com/prize') };
    expect(await handlers['panel.hello']({ type: 'panel.hello', ancestorOrigins: ['https://evil.example.com'] }, attacker)).toEqual({ ok: false, error: 'not_framed_by_crm' });
    // the CRM page frames a third-party page that frames the panel
    expect(await handlers['panel.hello']({ type: 'panel.hello', ancestorOrigins: ['https://evil.example.com', leadUrl.origin] }, panelSender)).toEqual({ ok: false, error: 'not_framed_by_crm' });
    // the panel opened as a top-level tab (frameId 0) is no panel
    expect(await handlers['panel.hello']({ type: 'panel.hello', ancestorOrigins: [] }, { ...panelSender, frameId: 0 })).toEqual({ ok: false, error: 'not_framed_by_crm' });
  });

  it('records nothing once the tab has navigated away from the lead, and records the URL the tab shows', async () => {
    const { db, handlers } = setup();
    await handlers['page.lead']({ type: 'page.lead', read }, pageSender);
    // the attacker's page, in the tab that showed the lead (popup sent back, or navigated on)
    expect(await handlers['panel.record'](accept({ ancestorOrigins: ['https://evil.example.com'] }), { ...panelSender, tabUrl: new URL('https://evil.example.com/') })).toEqual({
      ok: false,
      error: 'lead_not_shown',
    });
    // the tab's URL now shows another record (a page script rewrote it after the read)
    const other = new URL('https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000FgHiJ/view');
    expect(await handlers['panel.record'](accept({ ancestorOrigins: [other.origin] }), { ...panelSender, tabUrl: other })).toEqual({ ok: false, error: 'lead_not_shown' });
    expect(await handlers['panel.leadEvents']({ type: 'panel.leadEvents', leadKey: 'salesforce:00Q5g00000AbCdEEAV' }, { ...panelSender, tabUrl: other })).toEqual({ events: [] });
    expect(await db.events.count()).toBe(0);
    // the same lead page with a query string: allowed, and that URL is what is recorded
    const withQuery = new URL(`${leadUrl.href}?ws=1`);
    expect((await handlers['panel.record'](accept(), { ...panelSender, tabUrl: withQuery })).ok).toBe(true);
    expect((await db.events.toArray())[0]?.event.lead?.url).toBe(withQuery.href);
  });
});

describe('lead service: the role the team gave (issue 9, item 5)', () => {
  const signIn = (db: SalDatabase, role: string) => writeKv(db, meKv, { user: { id: 'u-1', name: '佐藤' }, team: { id: 't-1', name: 'チーム' }, role });
  const accept = { type: 'panel.record', leadKey: 'salesforce:00Q5g00000AbCdEEAV', draft: { type: 'accepted', payload: { checklist: {} } }, ancestorOrigins: CRM_ORIGIN } as const;

  it('refuses a marketer’s 受領 on the spot (the server would refuse it later), records a rep’s', async () => {
    const { db, handlers } = setup();
    await handlers['page.lead']({ type: 'page.lead', read }, pageSender);
    await signIn(db, 'marketer');
    expect(await handlers['panel.record'](accept, panelSender)).toEqual({ ok: false, error: 'forbidden_role', issues: ['marketer'] });
    expect(await db.events.count()).toBe(0);
    await signIn(db, 'rep');
    expect((await handlers['panel.record'](accept, panelSender)).ok).toBe(true);
  });

  it('a team definition that lets managers decide is followed', async () => {
    const { db, handlers } = setup();
    await handlers['page.lead']({ type: 'page.lead', read }, pageSender);
    await signIn(db, 'manager');
    expect((await handlers['panel.record'](accept, panelSender)).ok).toBe(false);
    await writeKv(db, definitionKv, { ...DEFAULT_DEFINITION, version: 2, rolePermissions: { manager: ['accepted'] } });
    expect((await handlers['panel.record'](accept, panelSender)).ok).toBe(true);
  });
});

describe('lead service: who decides and the definition are kept in memory', () => {
  const accept = { type: 'panel.record', leadKey: 'salesforce:00Q5g00000AbCdEEAV', draft: { type: 'accepted', payload: { checklist: {} } }, ancestorOrigins: CRM_ORIGIN } as const;

  /** Writes a kv record the way no Dexie instance reports (the e2e harness's seed, another writer). */
  async function putOutsideDexie(name: string, key: string, value: unknown) {
    const raw = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = raw.transaction('kv', 'readwrite');
      tx.objectStore('kv').put({ key, value });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    raw.close();
  }

  it('a sign-in Dexie reported is used by the next decision', async () => {
    const { db, handlers } = setup();
    await handlers['page.lead']({ type: 'page.lead', read }, pageSender);
    expect((await handlers['panel.record'](accept, panelSender)).ok).toBe(true);
    await writeKv(db, meKv, { user: { id: 'u-7', name: '高橋' }, team: { id: 't-1', name: 'チーム' }, role: 'rep' });
    expect((await handlers['panel.record'](accept, panelSender)).ok).toBe(true);
    expect((await db.events.toArray()).map((row) => row.event.actor.id)).toContain('u-7');
  });

  it('a sign-in written where Dexie does not see it: the decision is made again as the member now stored', async () => {
    const { db, handlers } = setup();
    await handlers['page.lead']({ type: 'page.lead', read }, pageSender);
    expect((await handlers['panel.record'](accept, panelSender)).ok).toBe(true);
    const local = (await db.events.toArray())[0]!.event.actor.id;
    await putOutsideDexie(db.name, meKv.key, { user: { id: 'u-8', name: '伊藤' }, team: { id: 't-1', name: 'チーム' }, role: 'rep' });
    expect((await handlers['panel.record'](accept, panelSender)).ok).toBe(true);
    const actors = (await db.events.toArray()).map((row) => row.event.actor.id);
    expect(actors).toHaveLength(2);
    expect(actors).toEqual(expect.arrayContaining([local, 'u-8']));
    expect(await db.outbox.count()).toBe(2);
  });

  it('a definition written where Dexie does not see it is applied to the decision (its role rule)', async () => {
    const { db, handlers } = setup();
    await handlers['page.lead']({ type: 'page.lead', read }, pageSender);
    await writeKv(db, meKv, { user: { id: 'u-1', name: '佐藤' }, team: { id: 't-1', name: 'チーム' }, role: 'manager' });
    expect((await handlers['panel.record'](accept, panelSender)).ok).toBe(false);
    await putOutsideDexie(db.name, definitionKv.key, { ...DEFAULT_DEFINITION, version: 3, rolePermissions: { manager: ['accepted'] } });
    expect((await handlers['panel.record'](accept, panelSender)).ok).toBe(true);
    expect((await db.events.toArray())[0]?.event.definitionVersion).toBe(3);
  });
});

describe('lead service: a panel on a CRM page that is not a lead record', () => {
  it('gets no hello and no context (the panel is only placed on lead records)', async () => {
    const { handlers } = setup();
    const list = new URL('https://acme.lightning.force.com/lightning/o/Lead/list?filterName=Recent');
    const onList = { ...panelSender, tabUrl: list };
    expect(await handlers['panel.hello']({ type: 'panel.hello', ancestorOrigins: [list.origin] }, onList)).toEqual({ ok: false, error: 'not_framed_by_crm' });
    await expect(handlers['panel.context']({ type: 'panel.context' }, onList)).rejects.toThrow('forbidden');
    expect((await handlers['panel.context']({ type: 'panel.context' }, panelSender)).definition.version).toBeGreaterThan(0);
  });
});
