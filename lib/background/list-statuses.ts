import { browser } from 'wxt/browser';
import Dexie, { RangeSet, rangesOverlap } from 'dexie';
import type { SalDatabase } from '../db/schema';
import { eventsForLeads, orderForFold, type FoldEvent } from '../db/events-repo';
import { foldLead } from '../domain/lifecycle';
import { computeClocks } from '../domain/sla-clocks';
import { BADGE_COLORS, badgeDetail, leadBadge, type BadgeDetail } from '../domain/badge';
import type { SalDefinition } from '../domain/definition';
import { createTranslator, reasonLabel, type Lang, type Translate } from '../i18n';
import { createDateTimeFormat, formatDuration } from '../format/time';
import { BadgeStatusSchema, type BadgeStatus, type ResponseMap } from '../messaging/protocol';
import { definitionInForce, onPolicyLearned, sameHandoffRules } from '../settings/policy-definition';
import { groupByLead, makeLeadKey, type CrmId } from '../domain/lead-key';
import { prefsKv, resolveLang } from '../settings/prefs';
import { definitionKv } from '../db/reads';

/** What the worker answers `page.listStatuses` with, but for `rule` (lead-service.ts adds it). */
export type ListBadges = Omit<ResponseMap['page.listStatuses'], 'rule'>;

/**
 * A list badge's tooltip, one fact a line: the status; the most urgent running SLA clock's time
 * left or overdue with its deadline in the user's time zone (e.g. "受領期限: 残り 2時間 5分 · 期限
 * 12/1(火) 10:00"); the reason (a rejection's, in the team's wording, or why the lead was closed);
 * who decided, or who handed the lead over while nobody has. The page shows it as it is, so the
 * relative time is as of `formatAt`'s caller's `now` (the content script asks again when its copy
 * is a minute old).
 */
export function badgeTipText(label: string, detail: BadgeDetail, definition: Pick<SalDefinition, 'rejectReasons'>, t: Translate, lang: Lang, formatAt: (at: Date) => string): string {
  const lines = [label];
  const { clock } = detail;
  if (clock) {
    const time = formatDuration(clock.remainingMs, t);
    lines.push(`${t(`clock.${clock.kind}`)}: ${clock.remainingMs >= 0 ? t('clock.remaining', { time }) : t('clock.overdue', { time })} · ${t('clock.deadline', { at: formatAt(clock.deadline) })}`);
  }
  const code = detail.reasonCode;
  const reason = code ? reasonLabel(t, code, definition.rejectReasons.find((r) => r.code === code)?.label, lang) : detail.closeReason;
  if (reason) lines.push(t('listTip.reason', { reason }));
  if (detail.deciders.length > 0) lines.push(t('listTip.by', { names: detail.deciders.join(lang === 'ja' ? '、' : ', ') }));
  else if (detail.handedOverBy) lines.push(t('listTip.handedOverBy', { name: detail.handedOverBy }));
  return lines.join('\n');
}

/**
 * The most leads of one CRM whose statuses a list page gets before its rows come (`known`): a
 * bound on the answer (about 25 bytes a lead) and on the worker's work when its memory is cold.
 */
export const LIST_KNOWN_MAX = 5000;

/** The record ids of leads by their badge status (only the statuses some lead has). */
export type KnownStatuses = Partial<Record<BadgeStatus, string[]>>;

/** How long a lead's badge and tooltip are reused (ms): its clocks move on, so 受領待ち turns 期限超過 at most this late. */
export const LIST_BADGE_TTL_MS = 30_000;

/**
 * The badges of lists' rows, kept in the worker's memory: a list of 2,000 rows must be badged
 * within 100 ms, and reading and folding 2,000 leads' events takes longer than that. A lead's
 * badge and tooltip are computed from its events at most once per `LIST_BADGE_TTL_MS`; every
 * write to the events, the definition or the language (a decision, a pull: Dexie's
 * `storagemutated`, which also carries other extension pages' writes) forgets them all, as does
 * the worker stopping. The definition and language are kept the same way.
 */
export interface ListBadgeCache {
  definition(): Promise<SalDefinition>;
  /** `makeLeadKey`, remembered (a list asks for the same thousands of rows again and again); null for an id that is no record id. */
  leadKey(crm: CrmId, recordId: string): string | null;
  /**
   * The badges of `keys` (lead key → the row's record id, the answer is by record id) at `now`
   * (epoch ms), and the labels of every status. Leads without events are `untracked`.
   */
  badges(keys: ReadonlyMap<string, string>, now: number): Promise<ListBadges>;
  /**
   * The status at `now` (epoch ms) of every lead of `crm` that has events, by status, each lead
   * by the record id of its lead key; null when there are more than `LIST_KNOWN_MAX` such leads.
   * A lead of `crm` not in it has no events: `untracked`.
   */
  known(crm: CrmId, now: number): Promise<KnownStatuses | null>;
}

/** `knownMax`: `LIST_KNOWN_MAX` unless a test passes a smaller bound. */
export function createListBadgeCache(db: SalDatabase, languages: () => readonly string[], knownMax = LIST_KNOWN_MAX): ListBadgeCache {
  let entries = new Map<string, { at: number; status: BadgeStatus; tip: string }>();
  let context: Promise<{ definition: SalDefinition; lang: Lang }> | null = null;
  // Only what badges are made of: the events, and two `kv` records (the definition, the language).
  // The worker writes other tables and records all the time (read health on every list it answers,
  // the sync state each round, the notified clocks each minute), which would empty the cache.
  const events = `idb://${db.name}/events/`;
  const kv = `idb://${db.name}/kv/`;
  const kvKeys = new RangeSet().addKeys([definitionKv.key, prefsKv.key]);
  Dexie.on('storagemutated', (parts) => {
    if (Object.entries(parts).some(([part, keys]) => part.startsWith(events) || (part.startsWith(kv) && rangesOverlap(keys, kvKeys)))) {
      entries = new Map();
      context = null;
    }
  });
  // the definition may have been made under a remembered policy (the browser's first seconds)
  // or one IT has changed since: only its hand-off rules change what a list shows
  onPolicyLearned((policy, before) => {
    if (sameHandoffRules(policy, before)) return;
    entries = new Map();
    context = null;
  });
  const load = () => (context ??= Promise.all([definitionInForce(db), resolveLang(db, languages())]).then(([definition, lang]) => ({ definition, lang })));
  const leadKeys = new Map<string, string | null>();
  return {
    definition: async () => (await load()).definition,
    leadKey(crm, recordId) {
      const id = `${crm}:${recordId}`;
      let key = leadKeys.get(id);
      if (key === undefined) {
        try {
          key = makeLeadKey(crm, recordId);
        } catch {
          key = null;
        }
        // a bound on what the worker holds; keys are cheap to make again
        if (leadKeys.size > 50_000) leadKeys.clear();
        leadKeys.set(id, key);
      }
      return key;
    },
    badges: (keys, now) => badges(keys, now, (stale) => eventsForLeads(db, stale)),
    async known(crm, now) {
      const prefix = `${crm}:`;
      const ofCrm = db.events.where('leadKey').startsWith(prefix);
      // the index alone says how many leads there are
      const leadKeys = (await ofCrm.clone().uniqueKeys()) as string[];
      if (leadKeys.length > knownMax) return null;
      const keys = new Map(leadKeys.map((k) => [k, k.slice(prefix.length)]));
      // (nearly) every event of the CRM is wanted: one range read, not one look-up per lead
      const { statuses } = await badges(keys, now, async () => groupByLead(await ofCrm.toArray(), orderForFold));
      const known: KnownStatuses = {};
      for (const [recordId, status] of Object.entries(statuses)) (known[status] ??= []).push(recordId);
      return known;
    },
  };

  /** `ListBadgeCache.badges`, reading the events of the leads it has no fresh badge of with `read`. */
  async function badges(keys: ReadonlyMap<string, string>, now: number, read: (stale: string[]) => Promise<Map<string, FoldEvent[]>>): Promise<ListBadges> {
    const cached = entries;
    const { definition, lang } = await load();
    const t = createTranslator(lang);
    const labels = Object.fromEntries(BadgeStatusSchema.options.map((s) => [s, t(`badge.${s}`)])) as Record<BadgeStatus, string>;
    const stale = [...keys.keys()].filter((leadKey) => (cached.get(leadKey)?.at ?? -Infinity) <= now - LIST_BADGE_TTL_MS);
    if (stale.length > 0) {
      const formatAt = createDateTimeFormat(lang);
      const byLead = await read(stale);
      const at = new Date(now);
      for (const leadKey of stale) {
        const events = byLead.get(leadKey);
        if (!events) {
          cached.set(leadKey, { at: now, status: 'untracked', tip: labels.untracked });
          continue;
        }
        const state = foldLead(events, { undoWindowMinutes: definition.undoWindowMinutes });
        const clocks = computeClocks(state, definition, at);
        const status = leadBadge(state, clocks);
        cached.set(leadKey, { at: now, status, tip: badgeTipText(labels[status], badgeDetail(state, clocks), definition, t, lang, formatAt) });
      }
    }
    const statuses: Record<string, BadgeStatus> = {};
    const tips: Record<string, string> = {};
    for (const [leadKey, recordId] of keys) {
      const entry = cached.get(leadKey);
      if (!entry) continue;
      statuses[recordId] = entry.status;
      tips[recordId] = entry.tip;
    }
    return { statuses, tips, labels };
  }
}

/** Every declaration `!important`: the CRM's own rules (`.slds-table th span`, say) must not restyle the badges. */
const rule = (selector: string, declarations: string) => `${selector}{${declarations.replace(/;/g, '!important;')}}`;

/**
 * The stylesheet of the list badges, their tooltip (lib/content/list-tip.ts) and the list's
 * summary line, by the attributes the content script sets (lib/content/list-badges.ts). Badge
 * colours: `BADGE_COLORS`.
 */
export function listCss(): string {
  return [
    rule('[data-sal-bridge-badge]', 'display:inline-block;margin-left:6px;padding:0 6px;border-radius:10px;font-size:11px;line-height:18px;font-weight:600;white-space:nowrap;vertical-align:middle;'),
    rule('[data-sal-bridge-badge]:focus-visible', 'outline:2px solid #0b5cab;outline-offset:1px;'),
    ...Object.entries(BADGE_COLORS).map(([status, [bg, fg]]) => rule(`[data-sal-bridge-badge][data-status="${status}"]`, `background:${bg};color:${fg};`)),
    rule(
      '#sal-bridge-list-tip',
      'position:fixed;z-index:2147483647;max-width:360px;margin:0;padding:6px 8px;border-radius:4px;background:#1f1f1f;color:#fff;font:12px/1.5 sans-serif;text-align:left;white-space:pre-line;box-shadow:0 2px 8px #0005;',
    ),
    rule('[data-sal-bridge-summary]', 'margin:0;padding:4px 8px;font-size:12px;line-height:18px;color:#444;'),
  ].join('\n');
}

/** Where the stylesheet goes; tests pass a fake. */
export interface CssTarget {
  insertCSS(injection: { target: { tabId: number; frameIds: number[] } | { tabId: number; documentIds: string[] }; css: string }): Promise<void>;
}

/**
 * Puts `listCss()` into the document of a page that asks for list statuses, once per document
 * (the worker forgets which after it restarts; a second copy changes nothing). Never throws: a
 * document gone meanwhile just stays unstyled.
 */
export function createListStyler(scripting: CssTarget = browser.scripting): (sender: { tabId: number; frameId: number; documentId?: string | undefined }) => Promise<void> {
  const styled = new Set<string>();
  const css = listCss();
  return async ({ tabId, frameId, documentId }) => {
    const key = documentId ?? `${tabId}:${frameId}`;
    if (styled.has(key)) return;
    // documents come and go all day; a bounded memory is enough to skip the repeats
    if (styled.size > 1000) styled.clear();
    styled.add(key);
    try {
      await scripting.insertCSS({ target: documentId ? { tabId, documentIds: [documentId] } : { tabId, frameIds: [frameId] }, css });
    } catch {
      styled.delete(key);
    }
  };
}
