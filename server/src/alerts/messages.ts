import type { AlertChannel } from '../../../lib/protocol/alerts';
import type { AlertFacts } from './due';
import type { DigestFacts, DigestLead, RepDigest } from './digest-facts';

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
export function leadLabel(facts: Pick<AlertFacts, 'lead' | 'leadKey'>, language: AlertLanguage): string {
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

// ---------------------------------------------------------------------------------------------
// The morning digest (`digest.ts`)

const DIGEST_TEXT = {
  ja: {
    title: (day: string) => `【SLA ダイジェスト】${day}`,
    totals: (awaiting: number, due: number, overdue: number) => `受領待ち ${awaiting} 件・本日期限 ${due} 件・期限超過 ${overdue} 件`,
    nothing: '受領待ち・本日期限・期限超過のリードはありません',
    unowned: '担当者なし',
    overdue: '期限超過',
    due: '本日期限',
    more: (n: number) => `ほか ${n} 件`,
    moreReps: (n: number) => `ほか ${n} 名`,
  },
  en: {
    title: (day: string) => `[SLA digest] ${day}`,
    totals: (awaiting: number, due: number, overdue: number) => `${awaiting} awaiting acceptance · ${due} due today · ${overdue} overdue`,
    nothing: 'nothing awaiting acceptance, due today or overdue',
    unowned: 'No owner yet',
    overdue: 'Overdue',
    due: 'Due today',
    more: (n: number) => `and ${n} more`,
    moreReps: (n: number) => `and ${n} more reps`,
  },
} as const;

/** Reps shown in a Slack or Teams digest (Slack takes at most 50 blocks; the generic webhook gets them all). */
const DIGEST_REPS_SHOWN = 40;
/** A lead's label in a digest line is cut here. */
const LABEL_MAX = 60;
/** Slack refuses a section text over 3000 characters. */
const SLACK_SECTION_MAX = 3000;
/** Teams refuses an incoming-webhook message over 28 KB; the card stops adding reps below that. */
const TEAMS_CARD_MAX_BYTES = 24_000;

const clip = (s: string) => (s.length > LABEL_MAX ? `${s.slice(0, LABEL_MAX - 1)}…` : s);

/** The digest's day as people read it, e.g. `11/30(月)` / `Mon, 11/30`. */
function digestDay(facts: DigestFacts, language: AlertLanguage): string {
  // noon UTC of the civil date names the same date in every zone's calendar
  return new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-US', { timeZone: 'UTC', month: 'numeric', day: 'numeric', weekday: 'short' }).format(new Date(`${facts.day}T12:00:00Z`));
}

function digestTotals(facts: DigestFacts) {
  return facts.reps.reduce((t, r) => ({ awaiting: t.awaiting + r.awaitingAcceptance, due: t.due + r.dueToday.count, overdue: t.overdue + r.overdue.count }), { awaiting: 0, due: 0, overdue: 0 });
}

/**
 * The one-line text every digest format carries: the day and the team's totals, or that nothing
 * is pending. A day with nothing pending still sends this line rather than nothing: a team that
 * set up a morning digest reads its absence as "the server is down", and one line a day is cheap.
 */
export function digestText(facts: DigestFacts, language: AlertLanguage): string {
  const t = DIGEST_TEXT[language];
  const { awaiting, due, overdue } = digestTotals(facts);
  const sep = language === 'ja' ? '：' : ': ';
  return `${t.title(digestDay(facts, language))}${sep}${facts.reps.length === 0 ? t.nothing : t.totals(awaiting, due, overdue)}`;
}

function repName(rep: RepDigest, language: AlertLanguage): string {
  return rep.owner ?? DIGEST_TEXT[language].unowned;
}

/** The lead's label as in SLA alerts (`name（company）`, else whichever is known, else its key), clipped. */
function digestLeadLabel(lead: DigestLead, language: AlertLanguage): string {
  return clip(leadLabel({ leadKey: lead.leadKey, lead: { name: lead.name ?? undefined, company: lead.company ?? undefined } }, language));
}

/** A listed lead's deadline: the time only when it is today, the full date when overdue. */
function digestDeadline(lead: DigestLead, facts: DigestFacts, language: AlertLanguage, today: boolean): string {
  if (!today) return formatDue(lead.deadline, facts.timeZone, language);
  return new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-US', { timeZone: facts.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(lead.deadline));
}

/** A rep's lines: the counts, then the overdue and due-today leads (the label a link when the lead has one). */
function repLines(rep: RepDigest, facts: DigestFacts, language: AlertLanguage, link: (label: string, url: string | null) => string, escape: (s: string) => string): string[] {
  const t = DIGEST_TEXT[language];
  const clockName = TEXT[language].clock;
  const lines = [escape(t.totals(rep.awaitingAcceptance, rep.dueToday.count, rep.overdue.count))];
  for (const [label, group, today] of [
    [t.overdue, rep.overdue, false],
    [t.due, rep.dueToday, true],
  ] as const) {
    for (const lead of group.leads)
      lines.push(`${escape(label)}: ${link(escape(digestLeadLabel(lead, language)), lead.url)} ${escape(`${clockName[lead.clock]} ${digestDeadline(lead, facts, language, today)}`)}`);
    if (group.count > group.leads.length) lines.push(escape(`${label}: ${t.more(group.count - group.leads.length)}`));
  }
  return lines;
}

/** Slack: the summary as `text` (the notification), a bold header and one section per rep. */
export function digestSlackPayload(facts: DigestFacts, language: AlertLanguage) {
  const text = digestText(facts, language);
  // a link's URL must not close the `<url|label>` syntax; `isLeadPageOf` URLs never do, checked anyway
  const link = (label: string, url: string | null) => (url && !/[<>|\s]/.test(url) ? `<${url}|${label}>` : label);
  const shown = facts.reps.slice(0, DIGEST_REPS_SHOWN);
  const blocks: object[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${slackEscape(text)}*` } }];
  for (const rep of shown) {
    const section = (withLinks: boolean) => [`*${slackEscape(repName(rep, language))}*`, ...repLines(rep, facts, language, withLinks ? link : (label) => label, slackEscape)].join('\n');
    // long CRM URLs could push a rep's section over Slack's limit: then the names go without links
    let sectionText = section(true);
    if (sectionText.length > SLACK_SECTION_MAX) sectionText = section(false).slice(0, SLACK_SECTION_MAX);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: sectionText } });
  }
  if (facts.reps.length > shown.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: slackEscape(DIGEST_TEXT[language].moreReps(facts.reps.length - shown.length)) }] });
  return { text, blocks };
}

/** Microsoft Teams: an Adaptive Card (see `teamsCard`) with the summary, then each rep's name and lines (Markdown links). */
export function digestTeamsPayload(facts: DigestFacts, language: AlertLanguage) {
  // Adaptive Card TextBlocks take a Markdown subset: `[label](url)`; brackets in a label are escaped
  const escape = (s: string) => s.replace(/[[\]\\*_]/g, (c) => `\\${c}`);
  const link = (label: string, url: string | null) => (url && !/[()\s]/.test(url) ? `[${label}](${url})` : label);
  const body: object[] = [{ type: 'TextBlock', text: digestText(facts, language), wrap: true, weight: 'Bolder', size: 'Medium' }];
  let bytes = Buffer.byteLength(JSON.stringify(teamsCard(body)));
  let shown = 0;
  for (const rep of facts.reps.slice(0, DIGEST_REPS_SHOWN)) {
    const blocks = [
      { type: 'TextBlock', text: escape(repName(rep, language)), wrap: true, weight: 'Bolder', spacing: 'Medium', color: rep.overdue.count > 0 ? 'Attention' : 'Default' },
      { type: 'TextBlock', text: repLines(rep, facts, language, link, escape).join('\n\n'), wrap: true, spacing: 'Small' },
    ];
    const more = Buffer.byteLength(JSON.stringify(blocks));
    if (bytes + more > TEAMS_CARD_MAX_BYTES) break;
    body.push(...blocks);
    bytes += more;
    shown++;
  }
  if (facts.reps.length > shown) body.push({ type: 'TextBlock', text: DIGEST_TEXT[language].moreReps(facts.reps.length - shown), wrap: true, isSubtle: true });
  return teamsCard(body);
}

/** Version of the generic webhook body for the digest (`type: "digest.daily"`); a field changing meaning bumps it. */
export const DIGEST_VERSION = 1;

/**
 * The generic webhook body for a digest, version 1 (documented in the README): every rep (no
 * cap), each category's whole count and its first `DIGEST_LISTED` leads.
 */
export function digestGenericPayload(facts: DigestFacts, language: AlertLanguage, delivery: { id: string; teamId: string; createdAt: string }) {
  const { awaiting, due, overdue } = digestTotals(facts);
  const lead = (l: DigestLead) => ({ key: l.leadKey, name: l.name, company: l.company, url: l.url, clock: l.clock, deadline: l.deadline });
  return {
    schema: 'sal-bridge.alert',
    version: DIGEST_VERSION,
    id: delivery.id,
    type: 'digest.daily',
    createdAt: delivery.createdAt,
    team: { id: delivery.teamId },
    day: facts.day,
    timeZone: facts.timeZone,
    asOf: facts.at,
    totals: { awaitingAcceptance: awaiting, dueToday: due, overdue },
    reps: facts.reps.map((r) => ({
      owner: r.owner,
      awaitingAcceptance: r.awaitingAcceptance,
      dueToday: { count: r.dueToday.count, leads: r.dueToday.leads.map(lead) },
      overdue: { count: r.overdue.count, leads: r.overdue.leads.map(lead) },
    })),
    text: digestText(facts, language),
  };
}

/** The JSON body a channel gets for a digest. */
export function digestPayload(channel: AlertChannel, facts: DigestFacts, language: AlertLanguage, delivery: { id: string; teamId: string; createdAt: string }): unknown {
  if (channel === 'slack') return digestSlackPayload(facts, language);
  if (channel === 'teams') return digestTeamsPayload(facts, language);
  return digestGenericPayload(facts, language, delivery);
}
