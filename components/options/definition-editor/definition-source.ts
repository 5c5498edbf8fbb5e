import { queryOptions } from '@tanstack/react-query';
import type { SalDatabase } from '../../../lib/db/schema';
import { writeKv } from '../../../lib/db/kv';
import { activeDefinition, definitionKv } from '../../../lib/db/reads';
import type { SalDefinition } from '../../../lib/domain/definition';
import { MAX_DEFINITION_VERSION } from '../../../lib/domain/events';
import type { SettingsResponse } from '../../../lib/protocol/http';
import type { SettingsClient } from '../../../lib/sync/settings-client';
import { teamSettingsKv } from '../../../lib/sync/team-settings';
import { dataChangedStorage } from '../../../lib/settings/storage-items';

/** The definition in force and where it stands, as the editor shows it. */
export interface DefinitionSnapshot {
  definition: SalDefinition;
  /** The server's settings revision (a save must start from it); null in local mode. */
  revision: number | null;
  /** Server mode: the team's admin saved settings (else the built-in default is in force). */
  managed: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
  /** Server mode: the versions the team has stored (a save naming one of them re-activated it). */
  versions: number[];
}

export interface SaveResult {
  snapshot: DefinitionSnapshot;
  /** The version in force before the save (what the changes are listed against). */
  previous: SalDefinition;
  /** The server re-activated a stored version identical to what was saved (no new number). */
  reactivated: boolean;
}

/** Where the editor reads the definition and saves a new version: the team's server, or this browser. */
export interface DefinitionSource {
  mode: 'server' | 'local';
  load(): Promise<DefinitionSnapshot>;
  /**
   * Saves `definition` as a new version over `base` (the snapshot the editor started from).
   * @throws SettingsConflictError (server) when someone saved after `base` was read.
   */
  save(definition: SalDefinition, base: DefinitionSnapshot): Promise<SaveResult>;
}

export const definitionQuery = (source: DefinitionSource) => queryOptions({ queryKey: ['definition', source.mode], queryFn: () => source.load() });

const snapshotOf = (s: SettingsResponse): DefinitionSnapshot => ({
  definition: s.activeDefinition,
  revision: s.revision,
  managed: s.managed,
  updatedAt: s.updatedAt,
  updatedBy: s.updatedBy,
  versions: s.definitions.map((d) => d.version),
});

/**
 * Server mode: the team's settings through `PUT /v1/settings` (admins; the server assigns the
 * version). A save is stored here at once (what sync would store on its next round), so this
 * browser's panels judge by the new version without waiting for it, and open pages are told.
 */
export function createServerDefinitionSource(client: SettingsClient, db: SalDatabase, onSaved: () => void): DefinitionSource {
  return {
    mode: 'server',
    async load() {
      return snapshotOf(await client.load());
    },
    async save(definition, base) {
      const saved = await client.save(definition, base.revision ?? 0);
      await writeKv(db, definitionKv, saved.activeDefinition);
      await writeKv(db, teamSettingsKv, { managed: saved.managed, revision: saved.revision, updatedAt: saved.updatedAt, updatedBy: saved.updatedBy });
      await dataChangedStorage.setValue(Date.now());
      onSaved();
      return { snapshot: snapshotOf(saved), previous: base.definition, reactivated: base.versions.includes(saved.activeDefinition.version) };
    },
  };
}

/**
 * The highest definition version this browser's events were recorded under (events synced from
 * a team before switching to local mode, or made under a version since replaced).
 */
async function highestEventVersion(db: SalDatabase): Promise<number> {
  let highest = 0;
  await db.events.each((row) => {
    if (row.event.definitionVersion > highest) highest = row.event.definitionVersion;
  });
  return highest;
}

/**
 * Local mode: this browser's definition, saved as the next version above every version in use
 * here (the stored definition's and any event's, so the built-in default's number 1 is never
 * reused for other content). Events already recorded keep the version they name.
 */
export function createLocalDefinitionSource(db: SalDatabase): DefinitionSource {
  return {
    mode: 'local',
    async load() {
      return { definition: await activeDefinition(db), revision: null, managed: false, updatedAt: null, updatedBy: null, versions: [] };
    },
    async save(definition, base) {
      const current = await activeDefinition(db);
      const version = Math.max(current.version, base.definition.version, await highestEventVersion(db)) + 1;
      if (version > MAX_DEFINITION_VERSION) throw new RangeError('definition version limit reached');
      const saved: SalDefinition = { ...definition, version };
      await writeKv(db, definitionKv, saved);
      await dataChangedStorage.setValue(Date.now());
      return { snapshot: { definition: saved, revision: null, managed: false, updatedAt: null, updatedBy: null, versions: [] }, previous: current, reactivated: false };
    },
  };
}
