import { useEffect, useState } from 'react';
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { browser } from 'wxt/browser';
import { sendRequest } from '../../lib/messaging/client';
import { DATA_CHANGED_KEY, TabLeadSchema, tabLeadKey, type TabLead } from '../../lib/messaging/protocol';
import { DEFAULT_DEFINITION, type SalDefinition } from '../../lib/domain/definition';
import { detectLang, type Lang } from '../../lib/i18n';
import type { LeadEvent } from '../../lib/domain/events';
import type { Role } from '../../lib/domain/roles';
import { FOCUS_PANEL_COMMAND } from '../../lib/messaging/commands';

/*
 * The panel frame is an extension page embedded in a CRM tab, i.e. a third-party frame, where
 * Chromium may refuse IndexedDB (storage partitioning, third-party storage blocking: seen as
 * "UnknownError" on open). So the panel never opens the database: it asks the background, and
 * refetches when the background bumps DATA_CHANGED_KEY in chrome.storage.session (extension
 * storage, which works in that frame).
 */

/**
 * Who frames this panel, nearest first, as the browser reports it (a framer cannot change it).
 * Chromium's `location.ancestorOrigins`; empty when the panel is not framed.
 */
export function panelAncestorOrigins(loc: Location = location): string[] {
  const list = (loc as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  return list ? Array.from(list) : [];
}

/**
 * The tab this panel frame lives in, as the background saw it from our message's sender, or
 * null when the background refuses the panel there: it is not framed directly by the CRM page
 * of its tab (another site framing it to trick a click, a frame inside a frame).
 */
export const panelTabQuery = queryOptions({
  queryKey: ['panel', 'tabId'],
  queryFn: async () => {
    const reply = await sendRequest({ type: 'panel.hello', ancestorOrigins: panelAncestorOrigins() });
    return reply.ok ? reply.tabId : null;
  },
  staleTime: Infinity,
});

export const panelContextQuery = queryOptions({
  queryKey: ['panel', 'context'],
  queryFn: () => sendRequest({ type: 'panel.context' }),
});

export const leadEventsQuery = (leadKey: string | undefined) =>
  queryOptions({
    queryKey: ['panel', 'leadEvents', leadKey],
    queryFn: async () => (leadKey ? (await sendRequest({ type: 'panel.leadEvents', leadKey })).events : []),
    enabled: leadKey !== undefined,
  });

/** Where each decision on the lead stands in the CRM (write-back); refetched with the events. */
export const writebacksQuery = (leadKey: string | undefined) =>
  queryOptions({
    queryKey: ['panel', 'writebacks', leadKey],
    queryFn: async () => (leadKey ? (await sendRequest({ type: 'panel.writebacks', leadKey })).writebacks : []),
    enabled: leadKey !== undefined,
  });

/** Refetches the panel's data whenever the background says it changed. Mount once per root. */
export function useDataChangedInvalidation(): void {
  const client = useQueryClient();
  useEffect(() => {
    const onChanged = (changes: Record<string, unknown>, area: string) => {
      if (area === 'session' && DATA_CHANGED_KEY in changes) void client.invalidateQueries({ queryKey: ['panel'], predicate: (q) => q.queryKey[1] !== 'tabId' });
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => browser.storage.onChanged.removeListener(onChanged);
  }, [client]);
}

/** The lead the tab shows, as our content script read it; follows SPA navigation live. */
export function useTabLead(tabId: number | null | undefined): TabLead | null | undefined {
  const [lead, setLead] = useState<TabLead | null | undefined>(undefined);
  useEffect(() => {
    if (tabId === undefined || tabId === null) return;
    const key = tabLeadKey(tabId);
    let alive = true;
    const apply = (value: unknown) => {
      const parsed = TabLeadSchema.safeParse(value);
      if (alive) setLead(parsed.success ? parsed.data : null);
    };
    void browser.storage.session.get(key).then((v) => apply(v[key]));
    const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
      if (area === 'session' && key in changes) apply(changes[key]?.newValue);
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => {
      alive = false;
      browser.storage.onChanged.removeListener(onChanged);
    };
  }, [tabId]);
  return lead;
}

/** A lead's events in fold order (local decisions and pulled ones alike), kept fresh. */
export function useLeadEvents(leadKey: string | undefined): LeadEvent[] | undefined {
  return useQuery(leadEventsQuery(leadKey)).data;
}

export function useActiveDefinition(): SalDefinition {
  return useQuery(panelContextQuery).data?.definition ?? DEFAULT_DEFINITION;
}

/** The signed-in user's id (to say "you" and to offer undo), or the local actor's. */
export function useActorId(): string | undefined {
  return useQuery(panelContextQuery).data?.actorId ?? undefined;
}

/** The signed-in member's role (null in local-only mode): which actions the panel offers. */
export function useRole(): Role | null {
  return useQuery(panelContextQuery).data?.role ?? null;
}

/** Whether the server signed this browser out (the panel says so: decisions stay local until the rep signs in again). */
export function useSignedOut(): boolean {
  return useQuery(panelContextQuery).data?.signedOut ?? false;
}

export function useLang(): Lang {
  return useQuery(panelContextQuery).data?.lang ?? detectLang(navigator.languages);
}

/** The current instant, re-rendering every `intervalMs` (live countdowns). */
export function useNow(intervalMs = 1000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

export function usePanelTab() {
  return useQuery(panelTabQuery);
}

/** The keys the rep has for the focus-panel shortcut ('' when unassigned), for the panel's keyboard help. */
export const focusShortcutQuery = queryOptions({
  queryKey: ['panel', 'focusShortcut'],
  queryFn: async () => (await browser.commands.getAll()).find((c) => c.name === FOCUS_PANEL_COMMAND)?.shortcut ?? '',
  staleTime: Infinity,
});
