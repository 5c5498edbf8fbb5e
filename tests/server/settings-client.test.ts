import { describe, expect, it } from 'vitest';
import { DEFAULT_DEFINITION, type SalDefinition } from '../../lib/domain/definition';
import { createHttpBackendClient } from '../../lib/sync/http-client';
import { createSettingsClient, SETTINGS_CLIENT_ROUTES, SettingsConflictError } from '../../lib/sync/settings-client';
import { SyncError } from '../../lib/sync/errors';
import { closingAfterEach } from './helpers';

const { server } = closingAfterEach();
const faster: SalDefinition = { ...DEFAULT_DEFINITION, clocks: { ...DEFAULT_DEFINITION.clocks, acceptance: { minutes: 60, basis: 'calendar', warnBeforeMinutes: 15 } } };

async function clients() {
  const { app } = await server();
  const calls: string[] = [];
  const through: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    calls.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    return app.request(`${url.pathname}${url.search}`, init);
  };
  const as = (token: string) => createSettingsClient(createHttpBackendClient('https://sync.example', token, through, Date.now));
  return { as, calls };
}

describe("the definition editor's settings client", () => {
  it('saves a new version above the built-in default, and a second editor on the old revision gets a conflict with nothing written', async () => {
    const { as, calls } = await clients();
    const admin = as('demo-admin-token');
    const start = await admin.load();
    expect(start).toMatchObject({ revision: 0, managed: false });

    const saved = await admin.save({ ...faster, version: start.activeDefinition.version }, start.revision);
    // the default carries version 1 on events already recorded: the edit never takes that number
    expect(saved).toMatchObject({ revision: 1, managed: true, activeDefinition: { version: 2, clocks: { acceptance: { minutes: 60, basis: 'calendar' } } } });

    // a second admin tab still on revision 0
    const stale = admin.save({ ...DEFAULT_DEFINITION, undoWindowMinutes: 3 }, start.revision);
    await expect(stale).rejects.toBeInstanceOf(SettingsConflictError);
    expect((await admin.load()).activeDefinition.version).toBe(2);

    expect([...new Set(calls)].sort()).toEqual(SETTINGS_CLIENT_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort());
  });

  it('refuses a rep (not an admin) as an auth error', async () => {
    const { as } = await clients();
    const rep = as('demo-rep1-token');
    await expect(rep.save(faster, 0)).rejects.toMatchObject({ constructor: SyncError, code: 'auth', status: 403 });
  });
});
