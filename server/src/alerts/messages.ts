import type { AlertChannel } from '../../../lib/protocol/alerts';
import type { AlertFacts } from './due';

/**
 * The alert as each channel takes it. Pure. The wording lives here, not in the extension's
 * locale files (`public/_locales`): those are Chrome's `messages.json`, loaded by the browser,
 * and these strings are only ever sent by the server.
 */

export type AlertLanguage = 'ja' | 'en';

const TEXT = {
  ja: {
    clock: { acceptance: '受領', first_contact: '初回接触', status_update: '状況更新' },
    warning: (lead: string, clock: string, due: string) => `【SLA 期限間近】${lead}：${clock}の期限は ${due} です`,
    breached: (lead: string, clock: string, due: string) => `【SLA 超過】${lead}：${clock}の期限 ${due} を過ぎました`,
    owner: '担当',
    due: '期限',
    open: 'CRM で開く',
    basis: { business: '営業時間', calendar: '暦時間' },
  },
  en: {
    clock: { acceptance: 'acceptance', first_contact: 'first contact', status_update: 'status update' },
    warning: (lead: string, clock: string, due: string) => `[SLA due soon] ${lead}: ${clock} is due ${due}`,
    breached: (lead: string, clock: string, due: string) => `[SLA breached] ${lead}: ${clock} was due ${due}`,
    owner: 'Owner',
    due: 'Due',
    open: 'Open in CRM',
    basis: { business: 'business time', calendar: 'calendar time' },
  },
} as const;

/** The lead as people name it: `name（company）`, or whichever is known, else its key. */
export function leadLabel(facts: AlertFacts, language: AlertLanguage): string {
  const { name, company } = facts.lead;
  if (name && company) return language === 'ja' ? `${name}（${company}）` : `${name} (${company})`;
  return name || company || facts.leadKey;
}

/** The due time in the calendar's zone, e.g. `11/24(火) 14:00 JST` (JST for Asia/Tokyo, else the zone's name). */
export function formatDue(iso: string, timeZone: string, language: AlertLanguage): string {
  const text = new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-US', {
    timeZone,
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
  return `${text} ${timeZone === 'Asia/Tokyo' ? 'JST' : timeZone}`;
}

/** The one-line text every format carries. */
export function alertText(facts: AlertFacts, language: AlertLanguage): string {
  const t = TEXT[language];
  return t[facts.level](leadLabel(facts, language), t.clock[facts.clock], formatDue(facts.deadline, facts.timeZone, language));
}

/** Slack mrkdwn escapes (`&`, `<`, `>` are control characters in Slack text). */
export const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function details(facts: AlertFacts, language: AlertLanguage): string[] {
  const t = TEXT[language];
  const lines = [`${t.due}: ${formatDue(facts.deadline, facts.timeZone, language)}（${t.basis[facts.basis]}）`];
  if (facts.owner) lines.push(`${t.owner}: ${facts.owner}`);
  return lines;
}

/** Slack incoming webhook: `text` (the notification) plus blocks (the message). */
export function slackPayload(facts: AlertFacts, language: AlertLanguage) {
  const t = TEXT[language];
  const text = alertText(facts, language);
  const context = details(facts, language).map(slackEscape);
  // a link's URL must not close the `<url|label>` syntax; `isLeadPageOf` URLs never do, checked anyway
  if (facts.url && !/[<>|\s]/.test(facts.url)) context.push(`<${facts.url}|${t.open}>`);
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${slackEscape(text)}*` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: context.join('  ·  ') }] },
    ],
  };
}

/** Microsoft Teams incoming webhook (Workflows or connector): an Adaptive Card 1.4 in a message, with these body elements and actions. */
export function teamsCard(body: readonly object[], actions: readonly object[] = []) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body, actions },
      },
    ],
  };
}

/** An SLA alert for Microsoft Teams (see `teamsCard`). */
export function teamsPayload(facts: AlertFacts, language: AlertLanguage) {
  const t = TEXT[language];
  return teamsCard(
    [
      { type: 'TextBlock', text: alertText(facts, language), wrap: true, weight: 'Bolder', color: facts.level === 'breached' ? 'Attention' : 'Warning' },
      ...details(facts, language).map((line) => ({ type: 'TextBlock', text: line, wrap: true, isSubtle: true, spacing: 'Small' })),
    ],
    facts.url ? [{ type: 'Action.OpenUrl', title: t.open, url: facts.url }] : [],
  );
}

/** Version of the generic webhook body (`schema: "sal-bridge.alert"`); a field changing meaning bumps it. */
export const GENERIC_ALERT_VERSION = 1;

/**
 * The generic webhook body, version 1 (documented in the README): `id` is the delivery's id, the
 * same on every retry and also sent as `Idempotency-Key`.
 */
export function genericPayload(facts: AlertFacts, language: AlertLanguage, delivery: { id: string; teamId: string; createdAt: string }) {
  return {
    schema: 'sal-bridge.alert',
    version: GENERIC_ALERT_VERSION,
    id: delivery.id,
    type: facts.level === 'breached' ? 'sla.breached' : 'sla.warning',
    createdAt: delivery.createdAt,
    team: { id: delivery.teamId },
    lead: { key: facts.leadKey, name: facts.lead.name ?? null, company: facts.lead.company ?? null, title: facts.lead.title ?? null, url: facts.url },
    clock: { kind: facts.clock, basis: facts.basis, startedAt: facts.startedAt, deadline: facts.deadline, transitionAt: facts.transitionAt, timeZone: facts.timeZone },
    owner: facts.owner,
    text: alertText(facts, language),
  };
}

/** The JSON body a channel gets. */
export function payloadFor(channel: AlertChannel, facts: AlertFacts, language: AlertLanguage, delivery: { id: string; teamId: string; createdAt: string }): unknown {
  if (channel === 'slack') return slackPayload(facts, language);
  if (channel === 'teams') return teamsPayload(facts, language);
  return genericPayload(facts, language, delivery);
}
