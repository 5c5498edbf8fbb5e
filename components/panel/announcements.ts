import { useState } from 'react';
import type { SlaClock } from '../../lib/domain/sla-clocks';
import type { SalDefinition } from '../../lib/domain/definition';
import type { EventDraft } from '../../lib/messaging/protocol';
import type { Lang, MessageKey, Translate } from '../../lib/i18n';
import { decisionErrorText, type DecisionFailure } from './decision-error';

/** What a screen reader hears once a decision is recorded: 「受領しました」, 「却下しました: 競合製品使用中」, … */
export function decisionAnnouncement(draft: EventDraft, definition: SalDefinition, t: Translate, lang: Lang): string {
  switch (draft.type) {
    case 'accepted':
      return t('a11y.accepted');
    case 'rejected': {
      const code = String(draft.payload.reasonCode);
      return t('a11y.rejected', { reason: definition.rejectReasons.find((r) => r.code === code)?.label[lang] ?? code });
    }
    default:
      // a draft's type is an event type (the panel only sends those), each with its `event.*` label
      return t('a11y.recorded', { action: t(`event.${draft.type}` as MessageKey) });
  }
}

/** "受領期限: まもなく期限です" for a running clock that has just entered warning or breach, else null. */
function clockAlarm(clock: SlaClock, before: SlaClock['state'] | undefined, t: Translate): string | null {
  if (!clock.running || before === undefined || before === clock.state) return null;
  if (clock.state === 'warning') return `${t(`clock.${clock.kind}`)}: ${t('clock.warningNote')}`;
  if (clock.state === 'breached') return `${t(`clock.${clock.kind}`)}: ${t('clock.breachedNote')}`;
  return null;
}

/** The last decision sent from this panel that the background recorded; `seq` counts them. */
export interface RecordedDecision {
  seq: number;
  draft: EventDraft;
}

interface Seen {
  recorded: number;
  error: DecisionFailure | null;
  leadId: string;
  clocks: Partial<Record<SlaClock['kind'], SlaClock['state']>>;
}

/**
 * The panel's live-region text, changed once per thing worth hearing: a recorded decision (a new
 * `recorded`), a refusal with its reason, a clock entering warning or breach (not the ticking
 * countdown, which stays a silent `role="timer"`). Derived while rendering from what changed
 * since the last render, so each is announced once.
 */
export function useAnnouncements({
  t,
  lang,
  definition,
  clocks,
  recorded,
  error,
  leadId,
}: {
  t: Translate;
  lang: Lang;
  definition: SalDefinition;
  clocks: readonly SlaClock[];
  recorded: RecordedDecision | null;
  error: DecisionFailure | null;
  leadId: string;
}): string {
  const recordedSeq = recorded?.seq ?? 0;
  const [message, setMessage] = useState({ text: '', seq: 0 });
  const clockStates = Object.fromEntries(clocks.map((c) => [c.kind, c.state])) as Seen['clocks'];
  const [seen, setSeen] = useState<Seen>({ recorded: recordedSeq, error: null, leadId, clocks: clockStates });

  const changed = seen.recorded !== recordedSeq || seen.error !== error || seen.leadId !== leadId || clocks.some((c) => seen.clocks[c.kind] !== c.state);
  if (changed) {
    let text: string | null = null;
    if (error && error !== seen.error) text = decisionErrorText(t, error);
    else if (recorded && seen.recorded !== recordedSeq && !error) text = decisionAnnouncement(recorded.draft, definition, t, lang);
    else if (seen.leadId === leadId) text = clocks.map((c) => clockAlarm(c, seen.clocks[c.kind], t)).find((a) => a !== null) ?? null;
    setSeen({ recorded: recordedSeq, error, leadId, clocks: clockStates });
    if (text) setMessage({ text, seq: message.seq + 1 });
  }
  // the same words twice in a row (two leads accepted) must still be heard: vary an invisible space
  return message.text ? message.text + (message.seq % 2 ? '' : '\u00a0') : '';
}
