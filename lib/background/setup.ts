import { browser } from 'wxt/browser';
import { getDb } from '../db';
import { registerMessageRouter } from './router';
import { createLeadHandlers } from './lead-service';
import { createReviewHandlers } from './review-service';
import { createTabLeadStore, setupTabLeadExpiry } from './tab-leads';
import { createSyncService, setupSyncTriggers } from './sync-service';
import { setupQueueService } from './queue-service';
import { setupCustomCrms } from './custom-crms';
import { setupCommands } from './commands';
import { createSalesforceConnectHandlers, createWritebackService, setupWritebackTriggers } from './writeback-service';
import { createReadHealthSync, withReadHealth } from './read-health';
import { adapterFor } from '../crm/registry';
import { dataChangedStorage } from '../settings/storage-items';
import { onPolicyLearned, sameHandoffRules, warmPolicy } from '../settings/policy-definition';
import { createAdapterDescriptionHandlers, refreshAdapterDescriptions } from './adapter-descriptions';
import type { StatusesChangedMessage } from '../messaging/protocol';

/** Tells every tab with our content script that list badges may have changed. */
async function notifyTabs(): Promise<void> {
  const tabs = await browser.tabs.query({});
  const message: StatusesChangedMessage = { type: 'bg.statusesChanged' };
  for (const tab of tabs) {
    if (tab.id !== undefined) browser.tabs.sendMessage(tab.id, message).catch(() => undefined);
  }
}

/** Tells open panels (and anything else watching) to refetch: see DATA_CHANGED_KEY. */
function markDataChanged(): void {
  void dataChangedStorage.setValue(Date.now()).catch(() => undefined);
}

/** Wires the service worker: database, message handlers, sync. Listeners register synchronously. */
export function setupBackground(): void {
  const db = getDb();
  const now = () => Date.now();
  // the policy may carry hand-off rules and the write-back mapping: asked now, not on the first page read
  warmPolicy(db);
  const sync = createSyncService({
    db,
    now,
    random: Math.random,
    fetch: (...args) => fetch(...args),
    onLeadsChanged: () => void notifyTabs(),
    onSynced: markDataChanged,
    afterRound: createReadHealthSync(db, now),
    // the team's adapter fixes, used by content scripts from their next page load
    alsoFetch: (client) => refreshAdapterDescriptions(db, client),
  });
  const writebacks = createWritebackService({ db, now, random: Math.random, onChanged: markDataChanged });
  const drainWritebacks = () => void writebacks.drain().catch((e: unknown) => console.error('[sal-bridge] write-back', e));
  const customCrms = setupCustomCrms();
  const tabLeads = createTabLeadStore();
  setupTabLeadExpiry(tabLeads);
  const onRecorded = () => {
    // the write-back first: the rep waits to see the CRM updated, the sync needs no hurry
    drainWritebacks();
    markDataChanged();
    void notifyTabs();
    void sync.requestSync('recorded', { force: true });
  };
  const lead = createLeadHandlers({
    db,
    now,
    tabLeads,
    customAdapters: customCrms.adapters,
    languages: () => navigator.languages,
    onWritebackRetried: drainWritebacks,
    onRecorded,
  });
  const adapterForUrl = async (url: URL) => adapterFor(url) ?? adapterFor(url, await customCrms.adapters());
  registerMessageRouter(
    {
      ...lead,
      ...withReadHealth(lead, { db, now, extensionVersion: browser.runtime.getManifest().version, tabLeads, adapterForUrl }),
      ...createReviewHandlers({ db, now, onRecorded }),
      ...customCrms.handlers,
      ...createSalesforceConnectHandlers({ db, now, service: writebacks }),
      ...createAdapterDescriptionHandlers(db),
      async 'app.syncNow'() {
        const state = await sync.requestSync('user', { force: true });
        return state.lastError ? { ok: false, error: state.lastError.code } : { ok: true };
      },
      async 'app.backendChanged'() {
        await sync.backendChanged();
        markDataChanged();
        return { ok: true };
      },
    },
    customCrms.adapters,
  );
  // A policy whose hand-off rules differ from those pages were read under (Chromium's first
  // answer after a start, or IT's change): lists ask again with their rows' cells, panels refetch.
  onPolicyLearned((policy, before) => {
    if (sameHandoffRules(policy, before)) return;
    markDataChanged();
    void notifyTabs();
  });
  setupSyncTriggers(sync);
  setupWritebackTriggers(writebacks);
  setupQueueService(db, customCrms.adapters);
  setupCommands();
}
