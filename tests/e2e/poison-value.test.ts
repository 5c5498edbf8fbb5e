import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { monotonicFactory } from 'ulid';
import { startSandbox, LIGHTNING_HOST, type Sandbox } from '../sandbox/server';
import { POISON_LEAD_ID, SANDBOX_LEADS, handoffItemOf } from '../sandbox/leads';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { panelOf } from './harness/panel';
import { storedEvents } from './harness/extension-db';
import { DEMO_TOKENS, startSyncServer, type RunningSyncServer } from './harness/sync-server';
import { EVENT_SCHEMA_VERSION } from '../../lib/domain/events';
import { DEFAULT_DEFINITION } from '../../lib/domain/definition';

/**
 * Issue 9, item 2, end to end: one odd value must never stall a browser's sync. A decision on a
 * lead whose company is 499 characters plus an emoji (and whose title holds a NUL) is stored and
 * synced whole; an event an older version stored with a NUL in it is refused by the server on its
 * own (dead-lettered, shown in the options page) while an ordinary decision still reaches the
 * server and a teammate's event still arrives.
 */
const SHOTS = resolve(process.cwd(), 'tests/artifacts/screenshots');
mkdirSync(SHOTS, { recursive: true });
const nextId = monotonicFactory();

const poison = SANDBOX_LEADS.find((l) => l.id === POISON_LEAD_ID)!;
const [ordinary, teammates] = SANDBOX_LEADS as [(typeof SANDBOX_LEADS)[number], (typeof SANDBOX_LEADS)[number]];
let sandbox: Sandbox;
let server: RunningSyncServer;
let rep: LaunchedBrowser;

const leadUrl = (id15: string) => sandbox.url(LIGHTNING_HOST, `/lightning/r/Lead/${id15}/view`);

async function serverEvents(token: string) {
  const response = await fetch(`${server.url}/v1/events?limit=1000`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { events: Array<{ event: { id: string; type: string; leadKey: string; lead?: { company?: string; title?: string } } }> }).events.map((e) => e.event);
}

async function accept(id15: string) {
  const page = await rep.context.newPage();
  await page.goto(leadUrl(id15));
  const panel = await panelOf(page);
  await expect.poll(() => panel.getByTestId('lead-status').textContent(), { timeout: 20_000 }).toBe('受領待ち');
  await panel.getByRole('button', { name: '受領', exact: true }).click();
  await expect.poll(() => panel.getByTestId('lead-status').textContent()).toBe('受領済 (SAL)');
  return page;
}

beforeAll(async () => {
  sandbox = await startSandbox({ fieldDelayMs: 100 });
  server = await startSyncServer();
  const handOver = async (items: unknown[]) => {
    const response = await fetch(`${server.url}/v1/handoffs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_TOKENS.marketer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ handoffs: items }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { results: Array<{ status: string; reason?: string }> }).results;
  };
  // marketing's tool sends the raw values: that row is refused on its own, the others are kept
  const results = await handOver([poison, ordinary, teammates].map(handoffItemOf));
  expect(results.map((r) => r.status)).toEqual(['rejected', 'accepted', 'accepted']);
  expect(results[0]?.reason).toMatch(/^invalid/);
  // … and sent again without the page snapshot, it goes in
  const { lead: _snapshot, ...bare } = handoffItemOf(poison);
  expect((await handOver([bare])).map((r) => r.status)).toEqual(['accepted']);
  rep = await launchWithExtension({ sandboxPort: sandbox.port });
  const options = await rep.context.newPage();
  await options.goto(rep.extensionUrl('options.html'));
  await options.getByLabel('チームのサーバーと同期する').check();
  await options.getByLabel('サーバーURL').fill(server.url);
  await options.getByLabel('アクセストークン').fill(DEMO_TOKENS.rep1);
  await options.getByRole('button', { name: '保存' }).click();
  await options.getByTestId('sync-last').filter({ hasText: '最終同期' }).waitFor({ timeout: 30_000 });
  await options.close();
});

afterAll(async () => {
  await rep?.close();
  await server?.dispose();
  await sandbox?.close();
});

describe('one value never stalls sync (issue 9, item 2)', () => {
  it('a decision on a lead with a 499-character company ending in an emoji and a NUL in its title is synced whole', async () => {
    const page = await accept(poison.id15);
    await expect.poll(async () => (await serverEvents(DEMO_TOKENS.rep2)).filter((e) => e.leadKey === `salesforce:${poison.id}` && e.type === 'accepted').length, { timeout: 30_000 }).toBe(1);
    const [stored] = (await serverEvents(DEMO_TOKENS.rep2)).filter((e) => e.type === 'accepted');
    // the emoji did not fit whole in 500 units: left out, never cut in half; the NUL dropped
    expect(stored?.lead?.company).toBe('株'.repeat(499));
    expect(stored?.lead?.title).toBe('CTO');
    await page.close();
  });

  it('an unstorable event from an older version is refused alone; an ordinary decision still reaches the server and a teammate’s event still arrives', async () => {
    // an event with a NUL, as a version before this fix could have stored it, waiting in the outbox
    const options = await rep.context.newPage();
    await options.goto(rep.extensionUrl('options.html'));
    const me = await serverMeId(DEMO_TOKENS.rep1);
    const bad = {
      schemaVersion: EVENT_SCHEMA_VERSION,
      id: nextId(),
      leadKey: `salesforce:${ordinary.id}`,
      actor: { id: me, name: '' },
      occurredAt: new Date().toISOString(),
      definitionVersion: DEFAULT_DEFINITION.version,
      type: 'progress_updated',
      payload: { note: 'メモ\u0000' },
    };
    await options.evaluate(async (event) => {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const open = indexedDB.open('sal-bridge');
        open.onsuccess = () => res(open.result);
        open.onerror = () => rej(open.error);
      });
      await new Promise<void>((res, rej) => {
        const tx = db.transaction(['events', 'outbox'], 'readwrite');
        const events = tx.objectStore('events');
        // copy the shape of a row this version wrote (scope and all), swap in the bad event
        const sample = events.openCursor();
        sample.onsuccess = () => {
          const row: Record<string, unknown> = {
            ...(sample.result?.value as Record<string, unknown>),
            id: event.id,
            leadKey: event.leadKey,
            event,
            seq: null,
            origin: 'local',
            localOrder: Date.now() * 1000,
          };
          delete row.receivedAt;
          events.put(row);
          tx.objectStore('outbox').put({ eventId: event.id, attempts: 0, nextAttemptAt: Date.now(), lastError: null, deadLetter: null });
        };
        tx.oncomplete = () => res();
        tx.onerror = () => rej(tx.error);
      });
      db.close();
    }, bad);

    // a teammate decides on another lead meanwhile
    const theirs = {
      schemaVersion: EVENT_SCHEMA_VERSION,
      id: nextId(),
      leadKey: `salesforce:${teammates.id}`,
      actor: { id: await serverMeId(DEMO_TOKENS.rep2), name: '' },
      occurredAt: new Date().toISOString(),
      definitionVersion: DEFAULT_DEFINITION.version,
      type: 'accepted',
      payload: { checklist: {} },
    };
    const pushed = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_TOKENS.rep2}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [theirs] }),
    });
    expect(((await pushed.json()) as { results: Array<{ status: string }> }).results[0]?.status).toBe('accepted');

    // the rep's next decision triggers a round: the bad event is refused on its own …
    const page = await accept(ordinary.id15);
    await expect.poll(async () => (await serverEvents(DEMO_TOKENS.rep2)).some((e) => e.leadKey === `salesforce:${ordinary.id}` && e.type === 'accepted'), { timeout: 30_000 }).toBe(true);
    expect((await serverEvents(DEMO_TOKENS.rep2)).some((e) => e.id === bad.id)).toBe(false);
    // … the teammate's decision arrives in this browser …
    await expect.poll(async () => (await storedEvents(rep)).some((r) => r.id === theirs.id), { timeout: 30_000 }).toBe(true);
    // … and the refused one is listed with the server's reason, to resend or discard
    await options.reload();
    await expect.poll(() => options.getByTestId('dead-letters').textContent(), { timeout: 15_000 }).toContain('invalid');
    await options.screenshot({ path: `${SHOTS}/poison-dead-letter-ja.png`, fullPage: true });
    await page.close();
    await options.close();
  });
});

async function serverMeId(token: string): Promise<string> {
  const response = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { user: { id: string } }).user.id;
}
