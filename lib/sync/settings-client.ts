import type { SalDefinition } from '../domain/definition';
import type { PutSettingsRequest, SettingsResponse } from '../protocol/http';
import { API } from '../protocol/routes';
import { ApiError } from './errors';
import type { HttpBackendClient } from './http-client';

/** The protocol routes the definition editor calls (`tests/server/settings-client.test.ts` holds them to the served document). */
export const SETTINGS_CLIENT_ROUTES = [API.getSettings, API.putSettings] as const;

/** Someone saved the team's settings after `baseRevision` was read: nothing was written. */
export class SettingsConflictError extends Error {
  constructor(readonly baseRevision: number) {
    super(`the team's settings changed after revision ${baseRevision}`);
    this.name = 'SettingsConflictError';
  }
}

/**
 * The team's settings as the definition editor reads and writes them: the routes of
 * `lib/protocol/routes.ts` through the sync client's `request` (same token, refresh and
 * "signed out" handling), each reply parsed with its declared schema.
 */
export interface SettingsClient {
  load(): Promise<SettingsResponse>;
  /**
   * Makes `definition` the team's active one; the server assigns its version (a new number, or
   * the number of an identical stored version). `baseRevision` is the revision the editor started
   * from.
   * @throws SettingsConflictError when someone saved in between (409); SyncError `auth` for a
   *   caller who is not an admin (403); SyncError / ApiError otherwise.
   */
  save(definition: SalDefinition, baseRevision: number): Promise<SettingsResponse>;
}

export function createSettingsClient(http: HttpBackendClient): SettingsClient {
  return {
    load: () => http.request(API.getSettings),
    async save(definition, baseRevision) {
      const body: PutSettingsRequest = { activeDefinition: definition, baseRevision };
      try {
        return await http.request(API.putSettings, { body });
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) throw new SettingsConflictError(baseRevision);
        throw error;
      }
    },
  };
}
