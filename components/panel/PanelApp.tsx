import { useEffect, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { foldLead, foldOptionsFor } from '../../lib/domain/lifecycle';
import { computeClocks } from '../../lib/domain/sla-clocks';
import { createTranslator } from '../../lib/i18n';
import { sendRequest } from '../../lib/messaging/client';
import type { EventDraft, PanelHeightMessage, ResponseMap } from '../../lib/messaging/protocol';
import { PanelView } from './PanelView';
import { firstField } from './focus';
import { useDocumentLang } from '../shared/use-document-lang';
import { focusShortcutQuery, writebacksQuery } from './use-panel-data';
import { WritebackStatusList } from './WritebackStatusList';
import type { RecordedDecision } from './announcements';
import { decisionFailure, type DecisionFailure } from './decision-error';
import { panelAncestorOrigins, useDataChangedInvalidation, useActiveDefinition, useActorId, useSignedOut, useLang, useLeadEvents, useNow, usePanelTab, useRole, useTabLead } from './use-panel-data';

/**
 * Tells the CRM page framing the panel how tall it is, so the frame fits without a scrollbar.
 * Only to that page's origin (`parentOrigin`), and only once the background has accepted the
 * panel there: nobody else learns whether this tab shows a lead. The caller passes null while
 * the panel only shows its loading line: that height is gone a moment later, and reporting it
 * made the frame shrink (once the panel's data took longer than the page's shrink delay, see
 * lib/content/panel-frame.ts) and grow back, laying out and repainting the CRM page twice.
 */
function useReportHeight(ref: React.RefObject<HTMLElement | null>, parentOrigin: string | null) {
  useEffect(() => {
    const el = ref.current;
    if (!el || !parentOrigin || window.parent === window) return;
    const observer = new ResizeObserver(() => {
      const message: PanelHeightMessage = { type: 'sal-bridge:panel-height', height: el.getBoundingClientRect().height + 2 };
      window.parent.postMessage(message, parentOrigin);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, parentOrigin]);
}

/**
 * When the frame itself gets focus (the `commands` shortcut focuses the iframe from the CRM
 * page, lib/background/commands.ts), focus moves on to the panel's first control: 受領 on a
 * pending lead. Tabbing into the frame lands on a control already and is left alone.
 */
function useFocusFirstControlOnFrameFocus(ref: React.RefObject<HTMLElement | null>) {
  useEffect(() => {
    // a click into the panel also focuses the frame: that is the rep's pointer, not the shortcut
    let pointerAt = 0;
    const onPointer = () => {
      pointerAt = Date.now();
    };
    const onFocus = () => {
      if (Date.now() - pointerAt < 1000) return;
      // after the browser has placed focus (Tab / Shift+Tab put it on a control themselves)
      setTimeout(() => {
        const el = ref.current;
        if (!el || (document.activeElement && document.activeElement !== document.body)) return;
        (firstField(el) ?? el.querySelector<HTMLElement>('[tabindex="-1"]'))?.focus();
      }, 0);
    };
    window.addEventListener('focus', onFocus);
    document.addEventListener('pointerdown', onPointer, true);
    return () => {
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('pointerdown', onPointer, true);
    };
  }, [ref]);
}

type RecordOutcome = { reply: ResponseMap['panel.record'] } | { thrown: unknown };

/**
 * How long a decision may take before the panel shows it as saving (ms). A decision is normally
 * written within tens of ms, faster than a rep can see a saving state come and go; a slow one (a
 * worker starting, a busy machine) still says it is under way.
 */
const SAVING_SHOWN_AFTER_MS = 100;

/** Why the decision was not recorded, or null when it was. */
function outcomeFailure(outcome: RecordOutcome): DecisionFailure | null {
  if ('thrown' in outcome) return decisionFailure(null, outcome.thrown);
  return outcome.reply.ok ? null : decisionFailure(outcome.reply);
}

/** Sends a decision to the background now, from the click's own handler; settles with its reply or what was thrown (never rejects). */
function sendDecision(leadKey: string | undefined, draft: EventDraft, ancestorOrigins: string[]): Promise<RecordOutcome> {
  if (leadKey === undefined) return Promise.resolve({ reply: { ok: false, error: 'lead_not_shown' } });
  return sendRequest({ type: 'panel.record', leadKey, draft, ancestorOrigins }).then(
    (reply) => ({ reply }),
    (thrown: unknown) => ({ thrown }),
  );
}

/** The panel page's root: wires live data (tab lead, events, definition) into the view. */
export function PanelApp() {
  const root = useRef<HTMLDivElement>(null);
  const tab = usePanelTab();
  const ancestors = useMemo(() => panelAncestorOrigins(), []);
  useDataChangedInvalidation();
  const tabLead = useTabLead(tab.data);
  // the lead is still being looked up: the view shows its loading line (PanelView's `read` undefined)
  const loading = !tab.isError && tabLead === undefined;
  useReportHeight(root, tab.data && !loading ? (ancestors[0] ?? null) : null);
  const events = useLeadEvents(tabLead?.leadKey);
  const definition = useActiveDefinition();
  const actorId = useActorId();
  const role = useRole();
  const signedOut = useSignedOut();
  const lang = useLang();
  const t = useMemo(() => createTranslator(lang), [lang]);
  useDocumentLang(lang);
  useFocusFirstControlOnFrameFocus(root);
  const focusShortcut = useQuery(focusShortcutQuery).data;
  const now = useNow();
  const inFlight = useRef(false);
  const [error, setError] = useState<DecisionFailure | null>(null);

  const state = useMemo(() => (events && events.length > 0 ? foldLead(events, foldOptionsFor(definition)) : null), [events, definition]);
  const clocks = useMemo(() => (state ? computeClocks(state, definition, now) : []), [state, definition, now]);

  const writebacks = useQuery(writebacksQuery(tabLead?.leadKey)).data ?? [];
  const retryWriteback = useMutation({
    mutationFn: async (id: string) => {
      if (tabLead) await sendRequest({ type: 'panel.retryWriteback', leadKey: tabLead.leadKey, id });
    },
  });

  // The decision's own state, not a mutation's: nothing in this frame renders while the worker
  // writes the decision. The frame shares its renderer process with the service worker, and on a
  // 2-core machine a render (the mutation's pending state, then the frame it paints) during the
  // write competed with the worker and IndexedDB for the CPU (decision_durable_p95_ms, issue 14).
  // The saving state is shown only once the write takes longer than SAVING_SHOWN_AFTER_MS.
  const [saving, setSaving] = useState(false);
  const [recorded, setRecorded] = useState<RecordedDecision | null>(null);
  const decide = (draft: EventDraft) => {
    // a double click must record one decision: the second arrives before React re-renders
    if (inFlight.current) return;
    inFlight.current = true;
    const sent = sendDecision(tabLead?.leadKey, draft, ancestors);
    setError(null);
    const showSaving = setTimeout(() => setSaving(true), SAVING_SHOWN_AFTER_MS);
    void sent.then((outcome) => {
      clearTimeout(showSaving);
      inFlight.current = false;
      const failure = outcomeFailure(outcome);
      setSaving(false);
      if (failure) setError(failure);
      else setRecorded((last) => ({ seq: (last?.seq ?? 0) + 1, draft }));
    });
  };

  // Refused by the background (not framed by the CRM page of this tab): render no lead and no
  // control, so a page that frames the panel has nothing to trick a click onto.
  if (tab.data === null) {
    return (
      <div ref={root} lang={lang} className="sal-panel sal-panel--refused" data-panel-refused="">
        <p role="alert">{t('panel.notFramedByCrm')}</p>
      </div>
    );
  }

  return (
    // data-lead-ready: the lead whose page data and events are rendered (signal for tests/bench/extension.bench.ts)
    <div ref={root} lang={lang} data-lead-ready={tabLead && events !== undefined ? tabLead.leadKey : undefined}>
      {signedOut && (
        <p className="sal-error sal-panel__signed-out" role="alert" data-testid="panel-signed-out">
          {t('panel.signedOut')}
        </p>
      )}
      <PanelView
        t={t}
        lang={lang}
        read={tab.isError ? null : tabLead === undefined ? undefined : (tabLead?.read ?? null)}
        state={state}
        clocks={clocks}
        definition={definition}
        actorId={actorId}
        role={role}
        now={now}
        saving={saving}
        recorded={recorded}
        error={error}
        focusShortcut={focusShortcut}
        writeback={<WritebackStatusList writebacks={writebacks} t={t} retrying={retryWriteback.isPending ? (retryWriteback.variables ?? null) : null} onRetry={(id) => retryWriteback.mutate(id)} />}
        onDecide={decide}
      />
    </div>
  );
}
