import { describe, expect, it } from 'vitest';
import { DEFAULT_DEFINITION, type SalDefinition } from '../../lib/domain/definition';
import { HandoffResponseSchema, PullResponseSchema, SettingsResponseSchema } from '../../lib/protocol/http';
import { closingAfterEach } from './helpers';

const ADMIN = 'demo-admin-token';
const { server } = closingAfterEach();
const stricter: SalDefinition = {
  ...DEFAULT_DEFINITION,
  data: { ...DEFAULT_DEFINITION.data, minScore: 70 },
};

describe('/v1/settings', () => {
  it('serves the built-in definition, unmanaged, until an admin saves one', async () => {
    const { call } = await server();
    const settings = SettingsResponseSchema.parse(await (await call('demo-rep1-token', 'GET', '/v1/settings')).json());
    expect(settings).toMatchObject({ revision: 0, managed: false, definitions: [] });
    expect(settings.activeDefinition).toEqual(DEFAULT_DEFINITION);
  });

  it('lets only an admin write, and a rep or marketer gets 403 with nothing changed', async () => {
    const { call } = await server();
    for (const token of ['demo-rep1-token', 'demo-marketer-token']) {
      const res = await call(token, 'PUT', '/v1/settings', { activeDefinition: stricter });
      expect(res.status).toBe(403);
    }
    const after = SettingsResponseSchema.parse(await (await call(ADMIN, 'GET', '/v1/settings')).json());
    expect(after.managed).toBe(false);
  });

  it('stores a changed definition as a new version, keeps old versions, and re-activates an identical one', async () => {
    const { call } = await server();
    const v1 = SettingsResponseSchema.parse(await (await call(ADMIN, 'PUT', '/v1/settings', { activeDefinition: DEFAULT_DEFINITION })).json());
    expect(v1).toMatchObject({ revision: 1, managed: true, updatedBy: 'user_demo_admin' });
    expect(v1.activeDefinition.version).toBe(1);

    // the client claims version 1 for changed content: the server bumps it instead of overwriting v1
    const v2 = SettingsResponseSchema.parse(await (await call(ADMIN, 'PUT', '/v1/settings', { activeDefinition: stricter, baseRevision: 1 })).json());
    expect(v2.activeDefinition).toMatchObject({ version: 2, data: { minScore: 70 } });
    expect(v2.definitions.map((d) => [d.version, d.data.minScore])).toEqual([
      [1, 50],
      [2, 70],
    ]);

    const back = SettingsResponseSchema.parse(await (await call(ADMIN, 'PUT', '/v1/settings', { activeDefinition: { ...DEFAULT_DEFINITION, version: 9 } })).json());
    expect(back.activeDefinition.version).toBe(1);
    expect(back.definitions).toHaveLength(2);
    expect(back.revision).toBe(3);

    // hand-offs are recorded under the active version
    const handed = HandoffResponseSchema.parse(await (await call('demo-marketer-token', 'POST', '/v1/handoffs', [{ crm: 'custom', recordId: 'x', by: 'MA' }])).json());
    expect(handed.results[0]!.status).toBe('accepted');
    await call(ADMIN, 'PUT', '/v1/settings', { activeDefinition: stricter });
    await call('demo-marketer-token', 'POST', '/v1/handoffs', [{ crm: 'custom', recordId: 'y', by: 'MA' }]);
    const pulled = PullResponseSchema.parse(await (await call(ADMIN, 'GET', '/v1/events')).json());
    expect(pulled.events.map((e) => e.event.definitionVersion)).toEqual([1, 2]);
  });

  it('answers 409 to a stale baseRevision and 400 to an invalid definition', async () => {
    const { call } = await server();
    await call(ADMIN, 'PUT', '/v1/settings', { activeDefinition: DEFAULT_DEFINITION });
    const stale = await call(ADMIN, 'PUT', '/v1/settings', { activeDefinition: stricter, baseRevision: 0 });
    expect(stale.status).toBe(409);
    const invalid = await call(ADMIN, 'PUT', '/v1/settings', { activeDefinition: { ...DEFAULT_DEFINITION, rejectReasons: [] } });
    expect(invalid.status).toBe(400);
    // a value PostgreSQL cannot store is a 400 too, never a 500
    const poisoned = { ...stricter, calendar: { ...stricter.calendar, closures: [{ from: '12-29', to: '01-03', label: '年末\u0000年始' }] } };
    const nul = await call(ADMIN, 'PUT', '/v1/settings', { activeDefinition: poisoned });
    expect(nul.status).toBe(400);
    const label = await call(ADMIN, 'PUT', '/v1/settings', { activeDefinition: { ...stricter, rejectReasons: [{ code: 'x', label: { ja: '\uD800', en: 'x' } }] } });
    expect(label.status).toBe(400);
    const now = SettingsResponseSchema.parse(await (await call(ADMIN, 'GET', '/v1/settings')).json());
    expect(now.definitions).toHaveLength(1);
  });
});
