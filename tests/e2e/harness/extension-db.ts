import type { LaunchedBrowser } from './browser';
import type { LeadEvent } from '../../../lib/domain/events';

let seq = 0;

/** Stores events (and kv records) in the extension's database the way a pull from the server does. */
export async function seed(b: LaunchedBrowser, events: LeadEvent[], kv: Record<string, unknown> = {}) {
  const rows = events.map((event) => ({ id: event.id, leadKey: event.leadKey, event, seq: ++seq, origin: 'server', localOrder: Date.now() * 1000 + seq }));
  await b.serviceWorker!.evaluate(
    async ({ rows, kv }) => {
      // the extension's Dexie creates the database when its worker starts; wait for it
      for (let i = 0; i < 100 && !(await indexedDB.databases()).some((d) => d.name === 'sal-bridge'); i++) await new Promise((r) => setTimeout(r, 100));
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open('sal-bridge');
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      await new Promise<void>((res, rej) => {
        const tx = db.transaction(['events', 'kv'], 'readwrite');
        for (const row of rows) tx.objectStore('events').put(row);
        for (const [key, value] of Object.entries(kv)) tx.objectStore('kv').put({ key, value });
        tx.oncomplete = () => res();
        tx.onerror = () => rej(tx.error);
      });
      db.close();
    },
    { rows, kv },
  );
}

/** Rows of the extension's `events` store, read from its service worker. */
export async function storedEvents(b: LaunchedBrowser): Promise<Array<{ id: string; leadKey: string; event: LeadEvent }>> {
  return b.serviceWorker!.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('sal-bridge');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const rows = await new Promise<unknown[]>((res, rej) => {
      const r = db.transaction('events').objectStore('events').getAll();
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    db.close();
    return rows as Array<{ id: string; leadKey: string; event: LeadEvent }>;
  });
}
