import { describe, expect, it } from 'vitest';
import { createTabLeadStore, setupTabLeadExpiry, type TabEvents, type TabLeadArea } from '../../../lib/background/tab-leads';
import type { TabLead } from '../../../lib/messaging/protocol';

function memoryArea(): TabLeadArea & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (key) => (data.has(key) ? { [key]: data.get(key) } : {}),
    set: async (items) => {
      for (const [k, v] of Object.entries(items)) data.set(k, v);
    },
    remove: async (key) => {
      data.delete(key);
    },
  };
}

function fakeTabs(liveDocuments: Set<string>) {
  const listeners = { removed: [] as ((id: number) => void)[], replaced: [] as ((a: number, r: number) => void)[], updated: [] as ((id: number, info: { status?: string }) => void)[] };
  const tabs: TabEvents = {
    onRemoved: { addListener: (l) => listeners.removed.push(l) },
    onReplaced: { addListener: (l) => listeners.replaced.push(l) },
    onUpdated: { addListener: (l) => listeners.updated.push(l) },
    sendMessage: async (_tabId, _message, { documentId }) => {
      if (!liveDocuments.has(documentId)) throw new Error('Could not establish connection. Receiving end does not exist.');
      return true;
    },
  };
  return { tabs, listeners };
}

const lead = (documentId: string): TabLead => ({
  leadKey: 'salesforce:00Q5g00000AbCdEEAV',
  read: { crm: 'salesforce', recordId: '00Q5g00000AbCdE', status: 'complete', lead: { name: '山田 太郎' }, missing: [] },
  url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view',
  at: 1,
  documentId,
});
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('tab leads: a lead read in one document is forgotten when the tab leaves it', () => {
  it('keeps the lead across a same-document move (pushState), drops it on reload or navigation', async () => {
    const live = new Set(['doc-1']);
    const store = createTabLeadStore(memoryArea());
    const { tabs, listeners } = fakeTabs(live);
    setupTabLeadExpiry(store, tabs);
    await store.set(7, lead('doc-1'));
    listeners.updated.forEach((l) => l(7, { status: 'loading' })); // pushState: same document
    await settle();
    expect(await store.get(7)).not.toBeNull();
    live.delete('doc-1'); // reload or navigation to another document (an attacker's page)
    listeners.updated.forEach((l) => l(7, { status: 'loading' }));
    await settle();
    expect(await store.get(7)).toBeNull();
  });

  it('does not drop the lead a new document has stored meanwhile', async () => {
    const store = createTabLeadStore(memoryArea());
    const { tabs, listeners } = fakeTabs(new Set(['doc-2']));
    setupTabLeadExpiry(store, tabs);
    await store.set(7, lead('doc-2'));
    listeners.updated.forEach((l) => l(7, { status: 'loading' }));
    await settle();
    expect((await store.get(7))?.documentId).toBe('doc-2');
  });

  it('drops on tab close and replacement, and survives a worker restart through the session store', async () => {
    const area = memoryArea();
    const store = createTabLeadStore(area);
    const { tabs, listeners } = fakeTabs(new Set());
    setupTabLeadExpiry(store, tabs);
    await store.set(1, lead('a'));
    await store.set(2, lead('b'));
    expect(await createTabLeadStore(area).get(1)).toMatchObject({ documentId: 'a' }); // a restarted worker reads it back
    listeners.removed.forEach((l) => l(1));
    listeners.replaced.forEach((l) => l(9, 2));
    await settle();
    expect(await store.get(1)).toBeNull();
    expect(await store.get(2)).toBeNull();
    expect(area.data.size).toBe(0);
  });
});
