import { ulid } from 'ulid';
import { failureJump, READ_JUMP, readDay, shiftDay, type FailureJump } from '../../../lib/domain/read-health';
import type { CrmId } from '../../../lib/domain/lead-key';
import { ALERT_CHANNELS, type AlertChannel } from '../../../lib/protocol/alerts';
import type { Queryable } from '../db/types';
import { getSettings } from '../settings-store';
import { formatDue, slackEscape, teamsCard, type AlertLanguage } from '../alerts/messages';
import { getAlertSettings } from '../alerts/settings-store';
import { crmDays } from './store';

/**
 * A jump in a CRM's failing reads, told to the team's alert channels through the alerts outbox
 * (`server/src/alerts/outbox.ts`, whose sender posts it like an SLA alert). Exactly once per team,
 * CRM and UTC day: the outbox's unique key (team, alert key, channel) drops a repeat, whichever
 * post or server instance finds the jump again.
 */

/** The facts of one read-health alert, stored in the outbox row's `alert` and formatted at send time. */
export interface ReadHealthAlertFacts {
  kind: 'read_health';
  /** `read-health|<crm>|<day>`: the outbox's unique key. */
  key: string;
  crm: CrmId;
  day: string;
  reads: number;
  failing: number;
  share: number;
  baselineShare: number;
  /** The day's first failing read (ISO), and the team calendar's zone to show it in. */
  since: string | null;
  timeZone: string;
}

/** Whether an outbox row's facts are a read-health alert's (SLA alerts have no `kind`). */
export function isReadHealthAlert(facts: unknown): facts is ReadHealthAlertFacts {
  return typeof facts === 'object' && facts !== null && (facts as { kind?: unknown }).kind === 'read_health';
}

export const readHealthAlertKey = (crm: CrmId, day: string) => `read-health|${crm}|${day}`;

/**
 * After a member posted reads: for each of `crms`, whether today's (UTC, at `now`) failing reads
 * jumped (`failureJump`), and if so one outbox row per configured channel of the team's alerts
 * (none when alerts are off). Returns the rows added.
 */
export async function alertReadJumps(db: Queryable, teamId: string, crms: readonly CrmId[], now: Date): Promise<number> {
  if (crms.length === 0) return 0;
  const settings = await getAlertSettings(db, teamId);
  const channels = ALERT_CHANNELS.filter((c) => settings.channels[c]);
  if (!settings.enabled || channels.length === 0) return 0;
  const today = readDay(now.getTime());
  const jumps: Array<{ crm: CrmId; jump: FailureJump; since: string | null }> = [];
  for (const crm of new Set(crms)) {
    const days = await crmDays(db, teamId, crm, shiftDay(today, -READ_JUMP.baselineDays));
    const current = days.find((d) => d.day === today);
    const jump = current ? failureJump(current, days) : null;
    if (jump && current) jumps.push({ crm, jump, since: current.firstFailingAt });
  }
  if (jumps.length === 0) return 0;
  const { activeDefinition } = await getSettings(db, teamId);
  const rows = jumps.flatMap(({ crm, jump, since }) => {
    const facts: ReadHealthAlertFacts = {
      kind: 'read_health',
      key: readHealthAlertKey(crm, jump.day),
      crm,
      day: jump.day,
      reads: jump.reads,
      failing: jump.failing,
      share: jump.share,
      baselineShare: jump.baselineShare,
      since,
      timeZone: activeDefinition.calendar.timeZone,
    };
    return channels.map((channel) => ({ id: `alert_${ulid(now.getTime())}`, channel, facts }));
  });
  const { rows: added } = await db.query(
    `INSERT INTO alert_outbox (id, team_id, alert_key, channel, lead_key, clock, level, alert, next_attempt_at, created_at, kind)
     SELECT r->>'id', $1, r->'facts'->>'key', r->>'channel', '', 'read_health', 'warning', r->'facts', $2, $2, 'read_health'
       FROM jsonb_array_elements($3::jsonb) AS r
     ON CONFLICT (team_id, alert_key, channel) DO NOTHING
     RETURNING id`,
    [teamId, now.toISOString(), JSON.stringify(rows)],
  );
  return added.length;
}

// ---------------------------------------------------------------------------------------------
// Messages (the channel formats of `alerts/messages.ts`, with this alert's wording)

const CRM_NAMES: Record<CrmId, string> = { salesforce: 'Salesforce', hubspot: 'HubSpot', dynamics: 'Dynamics 365', custom: 'CRM' };
const percent = (share: number) => `${Math.round(share * 100)}%`;

/** The one-line text every format carries. */
export function readHealthAlertText(facts: ReadHealthAlertFacts, language: AlertLanguage): string {
  const crm = CRM_NAMES[facts.crm];
  const since = facts.since ? formatDue(facts.since, facts.timeZone, language) : null;
  if (language === 'ja') {
    return `【読み取り異常】${crm}：本日の読み取りの ${percent(facts.share)}（${facts.reads} 件中 ${facts.failing} 件）が失敗しています（過去 ${READ_JUMP.baselineDays} 日は ${percent(facts.baselineShare)}）${since ? `。最初の失敗: ${since}` : ''}`;
  }
  return `[Read failures] ${crm}: ${percent(facts.share)} of today's reads failed (${facts.failing} of ${facts.reads}; previous ${READ_JUMP.baselineDays} days: ${percent(facts.baselineShare)})${since ? `. First failure: ${since}` : ''}`;
}

/** Version of the generic webhook body for this alert (`type: "read_health.jump"`). */
export const READ_HEALTH_ALERT_VERSION = 1;

/** The JSON body a channel gets for a read-health alert (Slack text, a Teams card, or the generic webhook's body). */
export function readHealthPayload(channel: AlertChannel, facts: ReadHealthAlertFacts, language: AlertLanguage, delivery: { id: string; teamId: string; createdAt: string }): unknown {
  const text = readHealthAlertText(facts, language);
  if (channel === 'slack') return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${slackEscape(text)}*` } }] };
  if (channel === 'teams') return teamsCard([{ type: 'TextBlock', text, wrap: true, weight: 'Bolder', color: 'Attention' }]);
  return {
    schema: 'sal-bridge.alert',
    version: READ_HEALTH_ALERT_VERSION,
    id: delivery.id,
    type: 'read_health.jump',
    createdAt: delivery.createdAt,
    team: { id: delivery.teamId },
    crm: facts.crm,
    day: facts.day,
    reads: facts.reads,
    failing: facts.failing,
    share: facts.share,
    baselineShare: facts.baselineShare,
    firstFailingAt: facts.since,
    text,
  };
}
