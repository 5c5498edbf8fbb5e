import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { monotonicFactory } from 'ulid';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { DEMO_TOKENS, freePort, startSyncServer, type RunningSyncServer } from './harness/sync-server';

/**
 * Sync in Chromium against the reference server in its own process: the service worker is
 * stopped (DevTools protocol) while it pushes a large outbox, and after it comes back every
 * event is on the server exactly once. An event the server refuses shows in the options page's
 * dead-letter list.
 */
const SHOTS = resolve(process.cwd(), 'tests/artifacts/screenshots');
mkdirSync(SHOTS, { recursive: true });
const TOTAL = 4000;

let server: RunningSyncServer;
let rep: LaunchedBrowser;

/** Every event id the server holds for the team, paging through the pull API. */
async function serverEventIds(): Promise<string[]> {
  const ids: string[] = [];
  let since = '';
  for (;;) {
    const response = await fetch(`${server.url}/v1/events?limit=1000${since ? `&since=${since}` : ''}`, { headers: { authorization: `Bearer ${DEMO_TOKENS.marketer}` } });
    const body = (await response.json()) as { events: Array<{ event: { id: string } }>; nextCursor: string; hasMore: boolean };
    ids.push(...body.events.map((e) => e.event.id));
    if (!body.hasMore) return ids;
    since = body.nextCursor;
  }
}

/**
 * Puts decisions in the extension's database the way `recordLocalEvent` does (event and outbox
 * entry in one transaction), straight through IndexedDB from an extension page: making 4,000
 * decisions through the panel would test the panel, not sync.
 */
async function seedOutbox(page: Page, events: unknown[]): Promise<void> {
  await page.evaluate(async (evs) => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const open = indexedDB.open('sal-bridge');
      open.onsuccess = () => res(open.result);
      open.onerror = () => rej(open.error);
    });
    await new Promise<void>((res, rej) => {
      const tx = db.transaction(['events', 'outbox'], 'readwrite');
      const now = Date.now();
      (evs as Array<{ id: string; leadKey: string }>).forEach((e, i) => {
        tx.objectStore('events').put({ id: e.id, leadKey: e.leadKey, event: e, seq: null, origin: 'local', localOrder: now * 1000 + i });
        tx.objectStore('outbox').put({ eventId: e.id, attempts: 0, nextAttemptAt: now, lastError: null, deadLetter: null });
      });
      tx.oncomplete = () => res();
      tx.onerror = () => rej(tx.error);
    });
    db.close();
  }, events);
}

beforeAll(async () => {
  server = await startSyncServer();
  // no CRM is needed here: the host rules point at a port nobody listens on
  rep = await launchWithExtension({ sandboxPort: await freePort() });
});

afterAll(async () => {
  await rep?.close();
  await server?.dispose();
});

describe('sync in the browser', () => {
  it('the service worker is stopped mid-push; after it restarts every event reaches the server exactly once', async () => {
    const options = await rep.context.newPage();
    await options.goto(rep.extensionUrl('options.html'));
    await options.getByLabel('チームのサーバーと同期する').check();
    await options.getByLabel('サーバーURL').fill(server.url);
    await options.getByLabel('アクセストークン').fill(DEMO_TOKENS.rep1);
    await options.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => options.getByTestId('sync-last').textContent(), { timeout: 20_000 }).toContain('最終同期');

    const nextId = monotonicFactory();
    const base = Date.parse('2026-11-24T00:00:00Z');
    const event = (i: number, payload: Record<string, unknown>) => ({
      schemaVersion: 1,
      id: nextId(base + i),
      leadKey: `custom:sync-e2e-${i}`,
      actor: { id: 'user_demo_rep1', name: '佐藤 健' },
      occurredAt: new Date(base + i * 1000).toISOString(),
      definitionVersion: 1,
      type: 'accepted',
      payload,
    });
    // the first event is one the server refuses (an unknown temperature): it must not block the rest
    const refused = event(0, { checklist: {}, temperature: 'lukewarm' });
    const good = Array.from({ length: TOTAL }, (_, i) => event(i + 1, { checklist: {}, temperature: 'warm' }));
    await seedOutbox(options, [refused, ...good]);

    const stoppedAt = await (async () => {
      await options.getByRole('button', { name: '今すぐ同期' }).click();
      // stop the worker as soon as the first batches are in, while the rest are still queued
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const count = (await serverEventIds()).length;
        if (count > 0) {
          const cdp = await rep.context.newCDPSession(options);
          await cdp.send('ServiceWorker.enable');
          await cdp.send('ServiceWorker.stopAllWorkers');
          await cdp.detach();
          return count;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('no event reached the server');
    })();
    // the worker is gone: nothing more arrives until something wakes it
    await new Promise((r) => setTimeout(r, 1500));
    const whileStopped = (await serverEventIds()).length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(whileStopped, 'the push was interrupted partway').toBeLessThan(TOTAL);
    expect((await serverEventIds()).length, 'a stopped worker sends nothing').toBe(whileStopped);
    expect(stoppedAt).toBeGreaterThan(0);

    // the 30 s alarm wakes the worker; it resumes from its database, not from memory
    await expect.poll(async () => (await serverEventIds()).length, { timeout: 120_000, interval: 1000 }).toBe(TOTAL);
    const ids = await serverEventIds();
    expect(new Set(ids).size, 'no event twice on the server').toBe(ids.length);
    expect([...ids].sort()).toEqual(good.map((e) => e.id).sort());

    await expect.poll(() => options.getByTestId('sync-pending').textContent(), { timeout: 30_000 }).toContain('未送信: 0 件');
    const deadLetters = options.getByTestId('dead-letter');
    await expect.poll(() => deadLetters.count()).toBe(1);
    expect(await deadLetters.first().textContent()).toContain('custom:sync-e2e-0');
    expect(await options.getByTestId('team-settings').textContent()).toContain('標準の SAL 定義');
    await options.screenshot({ path: `${SHOTS}/options-sync-dead-letter-ja.png`, fullPage: true });

    // the refused event can be discarded; it leaves the list and the pending count stays 0
    await deadLetters.first().getByRole('button', { name: '破棄' }).click();
    await expect.poll(() => deadLetters.count()).toBe(0);
    expect(await options.getByTestId('sync-pending').textContent()).toContain('未送信: 0 件');
  });
});
