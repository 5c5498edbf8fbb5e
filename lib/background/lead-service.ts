import type { SalDatabase } from '../db/schema';
import { eventsForLead, StaleBasisError } from '../db/events-repo';
import { makeLeadKey } from '../domain/lead-key';
import type { TabLead } from '../messaging/protocol';
import { createTabLeadStore, type TabLeadStore } from './tab-leads';
import { adapterFor } from '../crm/registry';
import type { CrmAdapter } from '../crm/types';
import type { Handlers, VerifiedSender } from './router';
import { currentMember } from './identity';
import { activeDefinition } from '../db/reads';
import { readKv } from '../db/kv';
import { isSignedOut, syncStateKv } from '../sync/engine';
import { validateRejection } from '../domain/definition';
import { resolveLang } from '../settings/prefs';
import { applyHandoffRule } from './rule-handoffs';
import { createListBadgeCache, createListStyler } from './list-statuses';
import { ruleFor } from '../domain/handoff-rules';
import { ruleInputFromCells } from '../crm/list-columns';
import { createLocalEventContext, draftLocalEvent, storeLocalEvent } from './local-events';
import { retryWriteback, writebackJobFor, writebacksForLead } from '../writeback/queue';
import { definitionInForce } from '../settings/policy-definition';

export interface LeadServiceDeps {
  db: SalDatabase;
  now: () => number;
  /** The browser's preferred languages (for badge labels when the user chose none). */
  languages: () => readonly string[];
  /** The team's configured CRMs (lib/background/custom-crms.ts); none when absent. */
  customAdapters?: () => Promise<readonly CrmAdapter[]>;
  /** Called after a decision is stored (triggers a sync round). */
  onRecorded: (leadKey: string) => void;
  /** Where each tab's lead is kept (default: storage.session; see tab-leads.ts). */
  tabLeads?: TabLeadStore;
  /** Called after 再試行 queued a write-back again (drains the write-back queue). */
  onWritebackRetried?: () => void;
  /** Puts the list badges' stylesheet into a list page (default: `scripting.insertCSS`; see list-statuses.ts). */
  styleList?: ReturnType<typeof createListStyler>;
}

/**
 * User Timing marks around the steps of recording a decision (`panel.record`), for profiling:
 * DevTools shows them, and tests/bench/extension/decision-durable.ts reads them. Each name is
 * cleared before it is set again, so only the last decision's marks are kept.
 */
export const RECORD_MARKS = ['sal:record:start', 'sal:record:context', 'sal:record:validated', 'sal:record:committed'] as const;
const mark = (name: (typeof RECORD_MARKS)[number]) => {
  performance.clearMarks(name);
  performance.mark(name);
};

/**
 * The background's lead handlers: what the content script saw on the page goes to the
 * session store for the tab's panel; decisions from the panel become events.
 */
export function createLeadHandlers(
  deps: LeadServiceDeps,
): Pick<Handlers, 'page.lead' | 'page.leave' | 'page.listStatuses' | 'panel.hello' | 'panel.record' | 'panel.leadEvents' | 'panel.context' | 'panel.writebacks' | 'panel.retryWriteback'> {
  const { db, now } = deps;
  const tabLeads = deps.tabLeads ?? createTabLeadStore();
  const styleList = deps.styleList ?? createListStyler();
  const listBadges = createListBadgeCache(db, deps.languages);
  const eventContext = createLocalEventContext(db);
  // read as the worker starts, so the rep's first click after a restart finds it (or finds it under way)
  void eventContext.get().catch(() => undefined);
  const adapterForUrl = async (url: URL) => adapterFor(url) ?? adapterFor(url, (await deps.customAdapters?.()) ?? []);

  /**
   * The panel's tab, when the panel may act there: an extension frame (not a top-level tab)
   * framed directly by the page of its tab (`ancestorOrigins` is exactly the tab's origin), and
   * that page is a CRM lead record page. Anything else (another site framing the panel, a frame inside a
   * frame, a tab that has navigated away from the CRM) gets nothing.
   */
  const panelTab = async (sender: VerifiedSender, ancestorOrigins?: readonly string[]): Promise<{ tabId: number; tabUrl: URL; adapter: CrmAdapter } | null> => {
    if (sender.kind !== 'extension' || sender.tabId === null || !sender.tabUrl || !sender.frameId) return null;
    if (ancestorOrigins && (ancestorOrigins.length !== 1 || ancestorOrigins[0] !== sender.tabUrl.origin)) return null;
    const adapter = await adapterForUrl(sender.tabUrl);
    // the panel is only ever placed on a lead record page
    return adapter && adapter.detectPage(sender.tabUrl).kind === 'lead-record' ? { tabId: sender.tabId, tabUrl: sender.tabUrl, adapter } : null;
  };

  /**
   * The lead the panel's tab shows now: its current top-level URL is a lead record page of the
   * CRM, and our content script read that very lead in it. A tab whose URL has moved on (another
   * record, another site) has no lead for the panel, whatever was read before.
   */
  const panelLead = async (sender: VerifiedSender, ancestorOrigins?: readonly string[]): Promise<TabLead | null> => {
    const tab = await panelTab(sender, ancestorOrigins);
    if (!tab) return null;
    const page = tab.adapter.detectPage(tab.tabUrl);
    if (page.kind !== 'lead-record') return null;
    const tabLead = await tabLeads.get(tab.tabId);
    try {
      return tabLead && tabLead.leadKey === makeLeadKey(tab.adapter.id, page.recordId) ? tabLead : null;
    } catch {
      return null;
    }
  };

  return {
    async 'page.lead'(request, sender) {
      if (sender.kind !== 'page') return { ok: false, error: 'forbidden' };
      // The record id must be the one in the tab's own URL: a page cannot make the panel show
      // (and so decide on) a different lead than the one the user is looking at.
      // the configured CRMs are looked up only for a host no built-in adapter knows
      const adapter = await adapterForUrl(sender.url);
      const page = adapter?.detectPage(sender.url);
      if (!page || page.kind !== 'lead-record') return { ok: false, error: 'not_a_lead_page' };
      let leadKey: string;
      try {
        leadKey = makeLeadKey(request.read.crm, page.recordId);
        if (makeLeadKey(request.read.crm, request.read.recordId) !== leadKey) return { ok: false, error: 'record_mismatch' };
      } catch {
        return { ok: false, error: 'bad_record_id' };
      }
      const tabLead: TabLead = { leadKey, read: request.read, url: sender.url.href, at: now(), documentId: sender.documentId };
      await tabLeads.set(sender.tabId, tabLead);
      // The record page's read goes through the team's hand-off rule for this CRM UI (checked
      // against the sender's own adapter, never a CRM the message names), before the panel asks.
      if (adapter && request.read.status !== 'none' && adapter.id === request.read.crm) {
        const { score: _score, owner, checkboxes, ...snapshot } = request.read.lead;
        const input = { status: snapshot.status, leadSource: snapshot.leadSource, title: snapshot.title, owner, ...(checkboxes ? { checkboxes } : {}) };
        const handed = await applyHandoffRule(db, adapter.ui, [{ leadKey, input, lead: { ...snapshot, url: sender.url.href } }], now(), () => deps.onRecorded(leadKey));
        if (handed.size > 0) deps.onRecorded(leadKey);
      }
      return { ok: true, leadKey };
    },

    async 'page.leave'(_request, sender) {
      if (sender.kind !== 'page') return { ok: true };
      await tabLeads.drop(sender.tabId);
      return { ok: true };
    },

    async 'page.listStatuses'(request, sender) {
      const keys = new Map<string, string>();
      for (const id of request.recordIds) {
        // a row id that is not a valid record id gets no badge
        const leadKey = listBadges.leadKey(request.crm, id);
        if (leadKey) keys.set(leadKey, id);
      }
      // Rows the team's hand-off rule matches are handed over first, so they are badged 受領待ち
      // in this very answer. The rule is the sender's CRM UI's (its adapter from the tab's URL),
      // and only for rows of that CRM.
      const adapter = sender.kind === 'page' ? await adapterForUrl(sender.url) : null;
      const [definition] = await Promise.all([listBadges.definition(), sender.kind === 'page' && styleList(sender)]);
      const own = adapter !== null && adapter.id === request.crm;
      const ruled = own && ruleFor(definition.handoffRules, adapter.ui) !== undefined;
      if (ruled && request.cells) {
        const reads = [...keys].flatMap(([leadKey, recordId]) => {
          const cells = request.cells?.[recordId];
          return cells ? [{ leadKey, input: ruleInputFromCells(cells) }] : [];
        });
        // one sync round and one tab notification for the whole batch (also for one made late, see applyHandoffRule)
        const recorded = (handed: Set<string>) => {
          const first = handed.values().next();
          if (!first.done) deps.onRecorded(first.value);
        };
        recorded(await applyHandoffRule(db, adapter.ui, reads, now(), recorded));
      }
      // The page's first ask, before its rows come, names none: it gets every lead of its CRM it
      // may badge at once when they come (only its own CRM's, as for the rule).
      const known = own && request.recordIds.length === 0 ? await listBadges.known(request.crm, now()) : null;
      return { ...(await listBadges.badges(keys, now())), rule: ruled, ...(known ? { known } : {}) };
    },

    async 'panel.hello'(request, sender) {
      const tab = await panelTab(sender, request.ancestorOrigins);
      return tab ? { ok: true, tabId: tab.tabId } : { ok: false, error: 'not_framed_by_crm' };
    },

    async 'panel.leadEvents'(request, sender) {
      // only the lead the panel's tab shows: a panel elsewhere learns nothing
      const shown = await panelLead(sender);
      if (shown?.leadKey !== request.leadKey) return { events: [] };
      return { events: await eventsForLead(db, request.leadKey) };
    },

    async 'panel.context'(_request, sender) {
      if (!(await panelTab(sender))) throw new Error('forbidden');
      const [definition, { actor, role }, lang, sync] = await Promise.all([activeDefinition(db), currentMember(db), resolveLang(db, deps.languages()), readKv(db, syncStateKv)]);
      return { definition, actorId: actor.id, role, lang, signedOut: isSignedOut(sync) };
    },

    async 'panel.writebacks'(request, sender) {
      // like the events: only for the lead the panel's tab shows
      const shown = await panelLead(sender);
      if (shown?.leadKey !== request.leadKey) return { writebacks: [] };
      const jobs = await writebacksForLead(db, request.leadKey);
      return { writebacks: jobs.map(({ id, crm, trigger, state, createdAt }) => ({ id, crm, trigger, state, createdAt })) };
    },

    async 'panel.retryWriteback'(request, sender) {
      const shown = await panelLead(sender);
      const job = shown?.leadKey === request.leadKey ? await db.writebacks.get(request.id) : undefined;
      if (!job || job.leadKey !== request.leadKey) return { ok: false };
      const ok = await retryWriteback(db, job.id, now());
      if (ok) deps.onWritebackRetried?.();
      return { ok };
    },

    async 'panel.record'(request, sender) {
      if (sender.kind !== 'extension' || sender.tabId === null) return { ok: false, error: 'forbidden' };
      mark('sal:record:start');
      // The lead decided on is the one the panel's own tab shows now (its URL), read by our
      // content script in that tab, and the one the panel displayed (request.leadKey). Who
      // decides and the definition come from memory (read when the worker started).
      const [tabLead, known] = await Promise.all([panelLead(sender, request.ancestorOrigins), eventContext.get()]);
      if (!tabLead || tabLead.leadKey !== request.leadKey || !sender.tabUrl) return { ok: false, error: 'lead_not_shown' };
      const { score: _score, owner: _owner, checkboxes: _checkboxes, ...snapshot } = tabLead.read.lead;
      const at = now();
      let context = known;
      for (let attempt = 1; ; attempt++) {
        const { actor, role } = context;
        const definition = await definitionInForce(db, context.definition);
        mark('sal:record:context');
        // A hand-off from the panel is the signed-in member's, by the panel: whatever the draft
        // says, it cannot pass as a CRM rule's, an import's or an agent's.
        const payload = request.draft.type === 'handed_over' ? { ...request.draft.payload, by: actor.name || actor.id, sourceKind: 'panel' as const } : request.draft.payload;
        // the URL the tab shows as the decision is made (a lead record page of this lead)
        const drafted = draftLocalEvent({ at, leadKey: request.leadKey, actor, role, definition, lead: { ...snapshot, url: sender.tabUrl.href }, type: request.draft.type, payload });
        // The event schema knows only the built-in rule for "other"; the team's definition may
        // require a comment for more reasons, or not know the reason at all.
        const invalid = drafted.ok && drafted.event.type === 'rejected' ? validateRejection(definition, drafted.event.payload.reasonCode, drafted.event.payload.comment) : null;
        if (!drafted.ok || invalid) {
          // A refusal (role, reason) is never made from memory alone: the member or definition
          // may have changed where Dexie did not report it. Rare, so read them again and retry once.
          if (attempt === 1) {
            eventContext.forget();
            context = await eventContext.get();
            continue;
          }
          if (invalid) return { ok: false, error: invalid };
          if (!drafted.ok) return drafted;
        }
        const event = drafted.event;
        // the team's mapping to CRM fields, queued in the decision's own transaction
        const writeback = writebackJobFor(definition, event, { url: sender.tabUrl.href, readAt: tabLead.at }, at) ?? undefined;
        mark('sal:record:validated');
        let stored: Awaited<ReturnType<typeof storeLocalEvent>>;
        try {
          stored = await storeLocalEvent(db, event, at, writeback, context.basis);
        } catch (error) {
          // the member or the definition changed as the decision was made (rare): made again
          // from the stored ones; a second change in a row is left to the rep's next click
          if (!(error instanceof StaleBasisError) || attempt > 1) throw error;
          eventContext.forget();
          context = await eventContext.get();
          continue;
        }
        if (!stored.ok) return stored;
        mark('sal:record:committed');
        deps.onRecorded(request.leadKey);
        return { ok: true, eventId: event.id };
      }
    },
  };
}
