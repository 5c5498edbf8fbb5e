import { browser } from 'wxt/browser';
import { TabLeadSchema, tabLeadKey, type BackgroundResponseMap, type PingMessage, type TabLead } from '../messaging/protocol';

/**
 * The lead each tab shows, as our content script read it there: what the tab's panel displays
 * and the only lead it may record a decision on. Kept in `storage.session` (trusted contexts
 * only: content scripts cannot read or write it; the panel frame watches its key) and, for
 * speed, in this worker's memory; after the worker restarts the memory is empty and the store is
 * read.
 */
export interface TabLeadStore {
  get(tabId: number): Promise<TabLead | null>;
  set(tabId: number, lead: TabLead): Promise<void>;
  /** Forgets the tab's lead; with `onlyIf`, only while the stored one still satisfies it (compare and drop). */
  drop(tabId: number, onlyIf?: (stored: TabLead) => boolean): Promise<void>;
}

/** The browser APIs a store needs; tests pass fakes. */
export interface TabLeadArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export function createTabLeadStore(area: TabLeadArea = browser.storage.session): TabLeadStore {
  const memory = new Map<number, TabLead>();
  const read = async (tabId: number): Promise<TabLead | null> => {
    const known = memory.get(tabId);
    if (known) return known;
    const parsed = TabLeadSchema.safeParse((await area.get(tabLeadKey(tabId)))[tabLeadKey(tabId)]);
    return parsed.success ? parsed.data : null;
  };
  return {
    get: read,
    async set(tabId, lead) {
      memory.set(tabId, lead);
      await area.set({ [tabLeadKey(tabId)]: lead });
    },
    async drop(tabId, onlyIf) {
      if (onlyIf) {
        const stored = await read(tabId);
        if (!stored || !onlyIf(stored)) return;
        // the content script may have stored a newer read meanwhile
        const again = memory.get(tabId);
        if (again && again !== stored && !onlyIf(again)) return;
      }
      memory.delete(tabId);
      await area.remove(tabLeadKey(tabId));
    },
  };
}

/** The tab events the expiry listens to; tests pass fakes. */
export interface TabEvents {
  onRemoved: { addListener(listener: (tabId: number) => void): void };
  onReplaced: { addListener(listener: (addedTabId: number, removedTabId: number) => void): void };
  onUpdated: { addListener(listener: (tabId: number, changeInfo: { status?: string }) => void): void };
  /** Resolves with the content script's answer; rejects when the document is gone. */
  sendMessage(tabId: number, message: PingMessage, options: { documentId: string }): Promise<unknown>;
}

/**
 * Forgets a tab's lead when the tab closes, is replaced (prerender), reloads or navigates to
 * another document: a lead read in one document must not be decided on from whatever the tab
 * shows next (an attacker's page framing the panel, say). Chromium reports same-document moves
 * (pushState, which CRMs use between records) with the same `status: 'loading'` as real loads,
 * so on 'loading' the document the lead was read in is asked whether it is still there.
 */
export function setupTabLeadExpiry(store: TabLeadStore, tabs: TabEvents = browser.tabs as unknown as TabEvents): void {
  tabs.onRemoved.addListener((tabId) => void store.drop(tabId));
  tabs.onReplaced.addListener((_added, removed) => void store.drop(removed));
  tabs.onUpdated.addListener((tabId, changeInfo) => {
    if (changeInfo.status !== 'loading') return;
    void (async () => {
      const lead = await store.get(tabId);
      if (!lead) return;
      const documentId = lead.documentId;
      const alive =
        documentId !== undefined &&
        (await tabs.sendMessage(tabId, { type: 'bg.ping' }, { documentId }).then(
          (reply) => reply === (true satisfies BackgroundResponseMap['bg.ping']),
          () => false,
        ));
      if (!alive) await store.drop(tabId, (stored) => stored.documentId === documentId);
    })();
  });
}
