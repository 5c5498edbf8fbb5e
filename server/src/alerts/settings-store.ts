import { recordAudit } from '../audit';
import { z } from 'zod';
import { AlertRulesSchema, type AlertChannel, type AlertRules, type AlertSettingsResponse, type PutAlertSettingsRequest } from '../../../lib/protocol/alerts';
import type { Principal } from '../auth';
import { toIso, type Database, type Queryable } from '../db/types';
import { refuseTarget, type TargetPolicy } from './targets';

/** The stored channels, secrets included (server side only; admins get `maskSettings`). */
const StoredChannelsSchema = z.object({
  slack: z.object({ url: z.string() }).optional(),
  teams: z.object({ url: z.string() }).optional(),
  webhook: z.object({ url: z.string(), secret: z.string() }).optional(),
});
export type StoredChannels = z.infer<typeof StoredChannelsSchema>;

export interface TeamAlertSettings {
  teamId: string;
  enabled: boolean;
  channels: StoredChannels;
  rules: AlertRules;
  enabledAt: Date | null;
  updatedAt: Date | null;
  updatedBy: string | null;
}

/** A request that names a target the server will not post to. */
export class AlertTargetError extends Error {}

const DEFAULT_RULES = AlertRulesSchema.parse({});

interface Row {
  team_id: string;
  enabled: boolean;
  channels: unknown;
  rules: unknown;
  enabled_at: unknown;
  updated_at: unknown;
  updated_by: string | null;
}

function fromRow(row: Row): TeamAlertSettings {
  return {
    teamId: row.team_id,
    enabled: row.enabled,
    channels: StoredChannelsSchema.parse(row.channels),
    rules: AlertRulesSchema.parse(row.rules),
    enabledAt: row.enabled_at == null ? null : new Date(toIso(row.enabled_at)),
    updatedAt: row.updated_at == null ? null : new Date(toIso(row.updated_at)),
    updatedBy: row.updated_by,
  };
}

/** The team's alert settings; off, with no channel, until an admin saves some. */
export async function getAlertSettings(db: Queryable, teamId: string): Promise<TeamAlertSettings> {
  const { rows } = await db.query<Row>('SELECT * FROM alert_settings WHERE team_id = $1', [teamId]);
  const row = rows[0];
  return row ? fromRow(row) : { teamId, enabled: false, channels: {}, rules: DEFAULT_RULES, enabledAt: null, updatedAt: null, updatedBy: null };
}

/** Every team whose alerts are on with at least one channel (what the watcher visits). */
export async function teamsWithAlerts(db: Queryable): Promise<TeamAlertSettings[]> {
  const { rows } = await db.query<Row>("SELECT * FROM alert_settings WHERE enabled AND channels <> '{}'::jsonb ORDER BY team_id");
  return rows.map(fromRow);
}

/**
 * Saves the team's alert settings (see `PutAlertSettingsRequestSchema`: absent channels keep their
 * stored value). `enabledAt` is set when alerts are turned on and kept while they stay on.
 * @throws AlertTargetError naming the channel whose URL `refuseTarget` refuses.
 */
export async function putAlertSettings(db: Database, principal: Principal, request: PutAlertSettingsRequest, policy: TargetPolicy, now: Date): Promise<TeamAlertSettings> {
  for (const channel of ['slack', 'teams', 'webhook'] as const) {
    const url = request.channels[channel]?.url;
    const refused = url === undefined ? null : refuseTarget(url, policy);
    if (refused) throw new AlertTargetError(`channels.${channel}.url: ${refused}`);
  }
  return db.transaction(async (tx) => {
    const current = await getAlertSettings(tx, principal.teamId);
    const channels: StoredChannels = { ...current.channels };
    for (const channel of ['slack', 'teams', 'webhook'] as const) {
      const next = request.channels[channel];
      if (next === null) delete channels[channel];
      else if (next !== undefined) (channels as Record<AlertChannel, unknown>)[channel] = next;
    }
    const enabledAt = request.enabled ? (current.enabled && current.enabledAt ? current.enabledAt : now) : null;
    const { rows } = await tx.query<Row>(
      `INSERT INTO alert_settings (team_id, enabled, channels, rules, enabled_at, updated_at, updated_by) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7)
       ON CONFLICT (team_id) DO UPDATE SET enabled = $2, channels = $3::jsonb, rules = $4::jsonb, enabled_at = $5, updated_at = $6, updated_by = $7
       RETURNING *`,
      [principal.teamId, request.enabled, JSON.stringify(channels), JSON.stringify(request.rules), enabledAt?.toISOString() ?? null, now.toISOString(), principal.userId],
    );
    // audited like every admin action: which channels were set or removed (never a URL or secret)
    const touched = Object.fromEntries((['slack', 'teams', 'webhook'] as const).flatMap((c) => (request.channels[c] === undefined ? [] : [[c, request.channels[c] === null ? 'removed' : 'set']])));
    await recordAudit(tx, {
      teamId: principal.teamId,
      at: now,
      actor: { id: principal.userId, name: principal.userName },
      action: 'alerts.saved',
      target: null,
      detail: { enabled: request.enabled, channels: touched, rules: request.rules },
    });
    return fromRow(rows[0]!);
  });
}

/**
 * A webhook URL as an admin reads it back: scheme, host and the last 4 characters. Incoming
 * webhook URLs are bearer credentials (anyone holding one can post to the channel), so even
 * admins never read one back whole.
 */
export function maskUrl(raw: string): string {
  try {
    const url = new URL(raw);
    const rest = `${url.pathname}${url.search}`;
    return `${url.protocol}//${url.host}/…${rest.length > 8 ? rest.slice(-4) : ''}`;
  } catch {
    return '…';
  }
}

/** The settings as the admin API returns them. */
export function maskSettings(s: TeamAlertSettings): AlertSettingsResponse {
  const { slack, teams, webhook } = s.channels;
  return {
    enabled: s.enabled,
    channels: {
      slack: slack ? { url: maskUrl(slack.url) } : null,
      teams: teams ? { url: maskUrl(teams.url) } : null,
      webhook: webhook ? { url: maskUrl(webhook.url), secretSet: true } : null,
    },
    rules: s.rules,
    enabledAt: s.enabledAt?.toISOString() ?? null,
    updatedAt: s.updatedAt?.toISOString() ?? null,
    updatedBy: s.updatedBy,
  };
}
