import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { SalDatabase } from '../../../lib/db/schema';
import { writeKv } from '../../../lib/db/kv';
import { createLeadHandlers } from '../../../lib/background/lead-service';
import { createReadHealthSync, pushReadHealth, READ_HEALTH_POST_BATCH, recordRead, withReadHealth } from '../../../lib/background/read-health';
import { createSyncService } from '../../../lib/background/sync-service';
import { createTabLeadStore, type TabLeadArea } from '../../../lib/background/tab-leads';
import type { VerifiedSender } from '../../../lib/background/router';
import { adapterFor } from '../../../lib/crm/registry';
import type { PageLeadRead } from '../../../lib/crm/types';
import { backendKv } from '../../../lib/settings/backend';
import { createHttpBackendClient } from '../../../lib/sync/http-client';
import { ReadHealthResponseSchema } from '../../../lib/protocol/read-health';
import { createApp } from '../../../server/src/app';
import { seedDemo } from '../../../server/src/admin';
import { migrate, pgliteInSchema } from '../../../server/src/db/index';

/**
 * Read health in the worker: the page handlers count each read they accept (a visit's reads as
 * one), the days keep no lead data, and the changed days reach the team server after a sync round.
 */

let n = 0;
const RECORD = '00Q5g00000AbCdEEAV';
const leadUrl = new URL(`https://acme.lightning.force.com/lightning/r/Lead/${RECORD}/view`);
const listUrl = new URL('https://acme.lightning.force.com/lightning/o/Lead/list?filterName=Recent');
const T0 = Date.parse('2026-11-30T01:00:00Z');
const lead = { name: '山田 太郎', company: '株式会社サクラテック', email: 'yamada@example.co.jp' };
const read = (status: PageLeadRead['status'], missing: PageLeadRead['missing'] = []): PageLeadRead => ({ crm: 'salesforce', recordId: RECORD, status, lead: status === 'none' ? {} : lead, missing });
const page = (documentId: string, url = leadUrl): VerifiedSender => ({ kind: 'page', tabId: 7, url, frameId: 0, documentId });

/** An in-memory session area (storage.session) for the tab store. */
function memoryArea(): TabLeadArea {
  const items = new Map<string, unknown>();
  return {
    get: async (key) => (items.has(key) ? { [key]: items.get(key) } : {}),
    set: async (values) => void Object.entries(values).forEach(([k, v]) => items.set(k, v)),
    remove: async (key) => void items.delete(key),
  };
}

function setup() {
  const db = new SalDatabase(`read-health-${n++}`);
  const clock = { t: T0 };
  const now = () => clock.t;
  const tabLeads = createTabLeadStore(memoryArea());
  const lead = createLeadHandlers({ db, now, tabLeads, languages: () => ['ja'], onRecorded: () => undefined });
  const handlers = withReadHealth(lead, { db, now, extensionVersion: '1.4.0', tabLeads, adapterForUrl: async (url) => adapterFor(url) });
  const day = () => db.readHealth.get(['salesforce', 'lead', '2026-11-30']);
  return { db, clock, handlers, day };
}

describe('counting reads in the worker', () => {
  it("counts a visit's reads once, as its last read: none, then partial, then complete is one OK read", async () => {
    const { handlers, clock, day } = setup();
    await handlers['page.lead']({ type: 'page.lead', read: read('none', ['name', 'company', 'email', 'status']) }, page('doc-1'));
    clock.t += 500;
    await handlers['page.lead']({ type: 'page.lead', read: read('partial', ['status']) }, page('doc-1'));
    expect(await day()).toMatchObject({ reads: 1, partial: 1, failing: 0, missing: { status: 1 }, firstFailingAt: null });
    clock.t += 500;
    await handlers['page.lead']({ type: 'page.lead', read: read('complete') }, page('doc-1'));
    expect(await day()).toMatchObject({ reads: 1, ok: 1, partial: 0, failing: 0, missing: {}, adapterVersions: { '1.4.0': 1 } });
    // the page reloaded (another document): another visit
    await handlers['page.lead']({ type: 'page.lead', read: read('none', ['name']) }, page('doc-2'));
    expect(await day()).toMatchObject({ reads: 2, ok: 1, failing: 1, missing: { name: 1 }, firstFailingAt: new Date(clock.t).toISOString() });
  });

  it('without document ids (an older browser), takes reads of the same lead in the same tab within 20 s for one visit', async () => {
    const { handlers, clock, day } = setup();
    const noDocument: VerifiedSender = { kind: 'page', tabId: 7, url: leadUrl, frameId: 0 };
    await handlers['page.lead']({ type: 'page.lead', read: read('none', ['name']) }, noDocument);
    clock.t += 5_000;
    await handlers['page.lead']({ type: 'page.lead', read: read('complete') }, noDocument);
    expect(await day()).toMatchObject({ reads: 1, ok: 1, failing: 0 });
    clock.t += 60_000;
    await handlers['page.lead']({ type: 'page.lead', read: read('complete') }, noDocument);
    expect(await day()).toMatchObject({ reads: 2, ok: 2 });
  });

  it('counts reads of one visit that arrive together once', async () => {
    const { handlers, day } = setup();
    await Promise.all([
      handlers['page.lead']({ type: 'page.lead', read: read('none', ['name']) }, page('doc-1')),
      handlers['page.lead']({ type: 'page.lead', read: read('partial', ['status']) }, page('doc-1')),
      handlers['page.lead']({ type: 'page.lead', read: read('complete') }, page('doc-1')),
    ]);
    expect(await day()).toMatchObject({ reads: 1, ok: 1, partial: 0, failing: 0 });
  });

  it('keeps no lead data, and does not count a read the lead service refused', async () => {
    const { db, handlers } = setup();
    await handlers['page.lead']({ type: 'page.lead', read: read('partial', ['status']) }, page('doc-1'));
    // another record than the tab's URL shows: refused, not counted
    const other = { ...read('complete'), recordId: '00Q5g00000FgHiJEAV' };
    expect(await handlers['page.lead']({ type: 'page.lead', read: other }, page('doc-1'))).toEqual({ ok: false, error: 'record_mismatch' });
    const stored = JSON.stringify(await db.readHealth.toArray());
    for (const value of ['山田', 'サクラテック', 'yamada', RECORD, 'acme']) expect(stored).not.toContain(value);
    expect(await db.readHealth.count()).toBe(1);
  });

  it('counts list reads by their rows, under the list page kind', async () => {
    const { db, handlers } = setup();
    await handlers['page.listStatuses']({ type: 'page.listStatuses', crm: 'salesforce', recordIds: [RECORD], cells: { [RECORD]: { リード状況: 'Open' } } }, page('doc-3', listUrl));
    await handlers['page.listStatuses']({ type: 'page.listStatuses', crm: 'salesforce', recordIds: ['broken'] }, page('doc-3', listUrl));
    // a CRM that is not the page's own is not counted
    await handlers['page.listStatuses']({ type: 'page.listStatuses', crm: 'hubspot', recordIds: ['123'] }, page('doc-3', listUrl));
    expect(await db.readHealth.toArray()).toEqual([expect.objectContaining({ crm: 'salesforce', page: 'list', reads: 2, ok: 1, failing: 1, missing: { recordId: 1 } })]);
  });
});

// an in-process PGlite server starts and migrates in seconds on a shared 2-core machine
describe('posting the days to the team server', { timeout: 60_000 }, () => {
  const pg = PGlite.create('memory://');
  afterAll(async () => (await pg).close());

  async function teamServer() {
    const sdb = await pgliteInSchema(await pg, `rh_${n++}`);
    await migrate(sdb);
    await seedDemo(sdb);
    const app = createApp({ db: sdb, config: { rateLimit: false, now: () => new Date(T0) } });
    const posts: string[] = [];
    const fetchApp: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      if (url.pathname === '/v1/health/reads') posts.push(String(init?.body));
      return app.request(`${url.pathname}${url.search}`, init);
    };
    const summary = async () => ReadHealthResponseSchema.parse(await (await app.request('/v1/admin/read-health', { headers: { authorization: 'Bearer demo-admin-token' } })).json());
    return { fetchApp, posts, summary };
  }

  it('posts the changed days after a sync round, then only what changed since, and the admin sees the CRM', async () => {
    const { db, handlers, clock } = setup();
    const server = await teamServer();
    await writeKv(db, backendKv, { mode: 'server', url: 'https://sal.example.test', token: 'demo-rep1-token' });
    const sync = createSyncService({
      db,
      now: () => clock.t,
      random: () => 0.5,
      fetch: server.fetchApp,
      onLeadsChanged: () => undefined,
      onSynced: () => undefined,
      runExclusive: (fn) => fn(),
      afterRound: createReadHealthSync(db, () => clock.t),
    });
    for (const doc of ['a', 'b', 'c']) await handlers['page.lead']({ type: 'page.lead', read: read('none', ['name', 'status']) }, page(doc));
    expect((await sync.requestSync('alarm')).lastError).toBeNull();
    expect(server.posts).toHaveLength(1);
    expect((await server.summary()).crms).toEqual([
      expect.objectContaining({
        crm: 'salesforce',
        status: 'failing',
        counts: { reads: 3, ok: 0, partial: 0, failing: 3 },
        topMissing: [
          { field: 'name', count: 3 },
          { field: 'status', count: 3 },
        ],
      }),
    ]);
    // nothing changed: nothing posted, even when the user asks
    await sync.requestSync('user', { force: true });
    expect(server.posts).toHaveLength(1);
    // a new read: an automatic round waits out the interval, the user's round posts at once
    await handlers['page.lead']({ type: 'page.lead', read: read('complete') }, page('d'));
    await sync.requestSync('alarm', { force: true });
    expect(server.posts).toHaveLength(1);
    await sync.requestSync('user', { force: true });
    expect(server.posts).toHaveLength(2);
    expect((await server.summary()).crms[0]?.counts).toEqual({ reads: 4, ok: 1, partial: 0, failing: 3 });
  });

  it('posts the days oldest first in batches, and a day that changed while its post was on the way is posted again', async () => {
    const { db, clock } = setup();
    const record = { crm: 'salesforce' as const, page: 'lead' as const, ui: 'salesforce-lightning', adapterVersion: '1.4.0', outcome: 'ok' as const, found: [], missing: [] };
    for (let d = 0; d < 29; d++) await recordRead(db, { ...record, page: d % 2 ? 'lead' : 'list' }, T0 - d * 86_400_000);
    await recordRead(db, { ...record, crm: 'hubspot' }, T0);
    await recordRead(db, { ...record, crm: 'dynamics' }, T0);
    const bodies: Array<{ days: Array<{ day: string }> }> = [];
    const client = {
      request: async (_route: unknown, input?: { body?: unknown }) => {
        bodies.push(input?.body as { days: Array<{ day: string }> });
        // a read of today's Dynamics day arrives while the post carrying that day is on its way
        if (bodies.length === 1) await recordRead(db, { ...record, crm: 'dynamics' }, T0);
        return { stored: 0, ignored: 0 };
      },
    } as unknown as Parameters<typeof pushReadHealth>[1];
    expect(await pushReadHealth(db, client, () => clock.t)).toBe(31);
    expect(bodies.map((b) => b.days.length)).toEqual([READ_HEALTH_POST_BATCH, 1]);
    const days = bodies.flatMap((b) => b.days.map((d) => d.day));
    expect(days).toEqual([...days].sort());
    expect(await pushReadHealth(db, client, () => clock.t)).toBe(1);
    expect(bodies.at(-1)?.days).toEqual([expect.objectContaining({ crm: 'dynamics', reads: 2 })]);
  });

  it('keeps the days to post when the server refuses them, and drops days past the kept window', async () => {
    const { db, handlers, clock } = setup();
    await handlers['page.lead']({ type: 'page.lead', read: read('complete') }, page('a'));
    const refusing = createHttpBackendClient(
      'https://old.example.test',
      'tok',
      async () => new Response('{"error":{"code":"not_found","message":"no route"}}', { status: 404, headers: { 'content-type': 'application/json' } }),
      () => clock.t,
    );
    await expect(pushReadHealth(db, refusing, () => clock.t)).rejects.toThrow();
    expect(await db.readHealth.get(['salesforce', 'lead', '2026-11-30'])).toMatchObject({ revision: 1, pushedRevision: 0 });
    clock.t += 30 * 86_400_000;
    const server = await teamServer();
    expect(
      await pushReadHealth(
        db,
        createHttpBackendClient('https://sal.example.test', 'demo-rep1-token', server.fetchApp, () => clock.t),
        () => clock.t,
      ),
    ).toBe(0);
    expect(await db.readHealth.count()).toBe(0);
  });
});
