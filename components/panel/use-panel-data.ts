import { useEffect, useState } from 'react';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useLiveQuery } from 'dexie-react-hooks';
import { browser } from 'wxt/browser';
import { z } from 'zod';
import { getDb, eventsForLead, readKv } from '../../lib/db';
import { sendRequest } from '../../lib/messaging/client';
import { TabLeadSchema, tabLeadKey, type TabLead } from '../../lib/messaging/protocol';
import { DEFAULT_DEFINITION, SalDefinitionSchema, type SalDefinition } from '../../lib/domain/definition';
import { DEFINITION_KV_KEY } from '../../lib/background/definition-store';
import { ME_KV_KEY, MeSchema } from '../../lib/background/identity';
import { PREFS_KV_KEY, PrefsSchema } from '../../lib/settings/prefs';
import { detectLang, type Lang } from '../../lib/i18n';
import type { LeadEvent } from '../../lib/domain/events';

/** The tab this panel frame lives in, as the background saw it from our message's sender. */
export const panelTabQuery = queryOptions({
  queryKey: ['panel', 'tabId'],
  queryFn: async () => (await sendRequest({ type: 'panel.hello' })).tabId,
  staleTime: Infinity,
});

/** The lead the tab shows, as our content script read it; follows SPA navigation live. */
export function useTabLead(tabId: number | undefined): TabLead | null | undefined {
  const [lead, setLead] = useState<TabLead | null | undefined>(undefined);
  useEffect(() => {
    if (tabId === undefined) return;
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

/** A lead's events in fold order, live (local decisions and pulled ones alike). */
export function useLeadEvents(leadKey: string | undefined): LeadEvent[] | undefined {
  return useLiveQuery(() => (leadKey ? eventsForLead(getDb(), leadKey) : Promise.resolve([])), [leadKey]);
}

export function useActiveDefinition(): SalDefinition {
  return useLiveQuery(() => readKv(getDb(), DEFINITION_KV_KEY, SalDefinitionSchema, DEFAULT_DEFINITION), [], DEFAULT_DEFINITION);
}

/** The signed-in user's id (to say "you" and to offer undo), or the local actor's. */
export function useActorId(): string | undefined {
  return useLiveQuery(async () => {
    const db = getDb();
    const me = await readKv(db, ME_KV_KEY, MeSchema.nullable(), null);
    if (me) return me.user.id;
    return (await readKv(db, 'localActor', z.object({ id: z.string() }).nullable(), null))?.id;
  }, []);
}

export function useLang(): Lang {
  const fallback = detectLang(navigator.languages);
  return useLiveQuery(
    async () => {
      const prefs = await readKv(getDb(), PREFS_KV_KEY, PrefsSchema, { lang: 'auto' });
      return prefs.lang === 'auto' ? fallback : prefs.lang;
    },
    [],
    fallback,
  );
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
