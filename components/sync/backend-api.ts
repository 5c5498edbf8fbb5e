import type { SalDatabase } from '../../lib/db/schema';
import { writeKv } from '../../lib/db/kv';
import type { MeResponse } from '../../lib/protocol/http';
import { backendKv, type BackendConfig } from '../../lib/settings/backend';
import { planBackendChange, readBackendChangeContext, type BackendChangePlan } from '../../lib/sync/backend-change';
import { createHttpBackendClient } from '../../lib/sync/http-client';

/** What the backend section of the options page does beyond rendering (injected so tests run it on a fake server). */
export interface BackendSectionApi {
  /** `GET /v1/me` with the URL and token as typed. @throws SyncError */
  me(url: string, token: string): Promise<MeResponse>;
  /** What saving `config` will do to this browser's data; `team` from `me`, null if it could not be asked. */
  plan(config: BackendConfig, team: MeResponse['team'] | null): Promise<BackendChangePlan>;
  /** Stores the settings and tells the background (which then switches data and syncs). */
  save(config: BackendConfig): Promise<void>;
  /** Asks for the backend's host permission (must start inside the user's click). */
  requestAccess(url: string): Promise<boolean>;
}

export function createBackendSectionApi(db: SalDatabase, deps: { fetch: typeof fetch; notifyBackground: () => Promise<unknown>; requestAccess: (url: string) => Promise<boolean> }): BackendSectionApi {
  return {
    me: (url, token) => createHttpBackendClient(url, token, deps.fetch, Date.now).me(),
    plan: async (config, team) => planBackendChange(await readBackendChangeContext(db, config, team?.id ?? null), config, team),
    async save(config) {
      await writeKv(db, backendKv, config);
      await deps.notifyBackground();
    },
    requestAccess: deps.requestAccess,
  };
}
