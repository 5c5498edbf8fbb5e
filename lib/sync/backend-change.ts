import type { SalDatabase } from '../db/schema';
import { readDataScope, scopeId, type DataScope } from '../db/scopes';
import type { BackendConfig } from '../settings/backend';

/**
 * What saving the backend settings will do to this browser's data, said before it happens (the
 * options page shows it). The background does the same when the settings are saved
 * (lib/background/sync-service.ts `backendChanged`, lib/db/scopes.ts): this only predicts it.
 */
export type BackendChangePlan =
  /** Sync stops; nothing moves. */
  | { kind: 'local_mode' }
  /** Same server, same team: only the token changes, sync resumes. */
  | { kind: 'token_only'; team: string }
  /** First team this browser syncs with: the decisions recorded so far are sent to it. */
  | { kind: 'first_team'; team: string; decisions: number }
  /** Another team: this browser's decisions stay with the current team; the new team's own data (if kept here earlier) comes back. */
  | { kind: 'switch_team'; from: string; to: string; decisions: number; restored: number }
  /** The new backend could not tell who the token is: what happens if it turns out to be another team. */
  | { kind: 'unverified'; from: string; decisions: number };

/** What the prediction needs to know about this browser's data. */
export interface BackendChangeContext {
  scope: DataScope;
  /** Decisions recorded in this browser among the current team's rows. */
  decisions: number;
  /** Rows kept aside for a scope id (lib/db/scopes.ts). */
  shelved: (scope: string) => number;
}

/**
 * Predicts a save. `team` is what `GET /v1/me` said for the new URL and token, null when it
 * could not be asked.
 */
export function planBackendChange(context: BackendChangeContext, next: BackendConfig, team: { id: string; name: string } | null): BackendChangePlan {
  if (next.mode === 'local') return { kind: 'local_mode' };
  const { scope, decisions } = context;
  const boundTeam = scope !== null && scope.teamId !== null ? { url: scope.url, id: scope.teamId, name: scope.teamName ?? scope.url } : null;
  if (team === null) {
    // unverified: harmless unless the rows belong to a team already
    if (boundTeam === null) return { kind: 'first_team', team: next.url, decisions };
    return { kind: 'unverified', from: boundTeam.name, decisions };
  }
  if (boundTeam === null) return { kind: 'first_team', team: team.name, decisions };
  if (boundTeam.url === next.url && boundTeam.id === team.id) return { kind: 'token_only', team: team.name };
  return { kind: 'switch_team', from: boundTeam.name, to: team.name, decisions, restored: context.shelved(scopeId(next.url, team.id)) };
}

/** Reads what `planBackendChange` needs from the database (the shelf counted for one scope only). */
export async function readBackendChangeContext(db: SalDatabase, next: BackendConfig, teamId: string | null): Promise<BackendChangeContext> {
  const target = next.mode === 'server' && teamId !== null ? scopeId(next.url, teamId) : null;
  const [scope, decisions, shelvedCount] = await Promise.all([
    readDataScope(db),
    db.events.filter((e) => e.origin === 'local').count(),
    target === null ? Promise.resolve(0) : db.shelvedEvents.where('scope').equals(target).count(),
  ]);
  return { scope, decisions, shelved: (s) => (s === target ? shelvedCount : 0) };
}
