import { useLiveQuery } from 'dexie-react-hooks';
import { getDb, readKv } from '../../lib/db';
import { listDeadLetters, type DeadLetter } from '../../lib/sync/dead-letters';
import { teamSettingsKv, type TeamSettingsInfo } from '../../lib/sync/team-settings';

/** The events the server refused, live from the extension's database. */
export function useDeadLetters(): DeadLetter[] | undefined {
  return useLiveQuery(() => listDeadLetters(getDb()), []);
}

/** Whether the team's settings come from the server (null until a sync has read them). */
export function useTeamSettingsInfo(): TeamSettingsInfo | null | undefined {
  return useLiveQuery(() => readKv(getDb(), teamSettingsKv), []);
}
