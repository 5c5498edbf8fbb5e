import { describe, expect, it } from 'vitest';
import { AdapterDescriptionsResponseSchema } from '../../lib/protocol/adapter-description';
import { AuditResponseSchema } from '../../lib/protocol/http';
import { HUBSPOT } from '../../lib/crm/descriptions/hubspot';
import { createApp } from '../../server/src/app';
import { seedDemo } from '../../server/src/admin';
import { listMigrations, migrate } from '../../server/src/db/index';
import { closingAfterEach, freshDb } from './helpers';

const ADMIN = 'demo-admin-token';
const REP = 'demo-rep1-token';
const { server, track } = closingAfterEach();
const v2 = { ...HUBSPOT, version: 2 };

describe('/v1/adapters', () => {
  it('serves none until an admin saves one, then the saved one to every member', async () => {
    const { call } = await server();
    expect(AdapterDescriptionsResponseSchema.parse(await (await call(REP, 'GET', '/v1/adapters')).json()).descriptions).toEqual([]);
    expect((await call(ADMIN, 'PUT', '/v1/adapters', v2)).status).toBe(200);
    expect(AdapterDescriptionsResponseSchema.parse(await (await call(REP, 'GET', '/v1/adapters')).json()).descriptions).toEqual([v2]);
  });

  it('lets only an admin write, refuses what is not a description, and versions only go up', async () => {
    const { call } = await server();
    expect((await call(REP, 'PUT', '/v1/adapters', v2)).status).toBe(403);
    expect((await call(ADMIN, 'PUT', '/v1/adapters', { ...v2, code: 'alert(1)' })).status).toBe(400);
    expect((await call(ADMIN, 'PUT', '/v1/adapters', v2)).status).toBe(200);
    const stale = await call(ADMIN, 'PUT', '/v1/adapters', { ...v2, scope: 'main' });
    expect(stale.status).toBe(409);
    expect((await call(ADMIN, 'PUT', '/v1/adapters', { ...v2, version: 3, scope: 'main' })).status).toBe(200);
    const [stored] = AdapterDescriptionsResponseSchema.parse(await (await call(REP, 'GET', '/v1/adapters')).json()).descriptions;
    expect(stored).toMatchObject({ version: 3, scope: 'main' });
  });

  it('records each save in the audit log (who, which UI, the version before and after), and nothing for a refused one', async () => {
    const { call } = await server();
    await call(ADMIN, 'PUT', '/v1/adapters', v2);
    await call(ADMIN, 'PUT', '/v1/adapters', v2); // stale: refused, not audited
    await call(REP, 'PUT', '/v1/adapters', { ...v2, version: 9 }); // not an admin: refused, not audited
    await call(ADMIN, 'PUT', '/v1/adapters', { ...v2, version: 3 });
    const { entries } = AuditResponseSchema.parse(await (await call(ADMIN, 'GET', '/v1/admin/audit')).json());
    const saves = entries.filter((e) => e.action === 'adapter.saved');
    expect(saves.map((e) => [e.target, e.detail])).toEqual([
      ['hubspot', { ui: 'hubspot', from: 2, to: 3 }],
      ['hubspot', { ui: 'hubspot', from: null, to: 2 }],
    ]);
    expect(saves[0]!.actor.name).toBeTruthy();
  });

  it('two first saves of a UI at once keep the higher version', async () => {
    const { call } = await server();
    const replies = await Promise.all([call(ADMIN, 'PUT', '/v1/adapters', { ...v2, version: 5 }), call(ADMIN, 'PUT', '/v1/adapters', { ...v2, version: 4 })]);
    expect(replies.map((r) => r.status).sort()).toContain(200);
    const [stored] = AdapterDescriptionsResponseSchema.parse(await (await call(REP, 'GET', '/v1/adapters')).json()).descriptions;
    expect(stored!.version).toBe(5);
  });
});

describe('migration 008 (adapter descriptions)', () => {
  it('upgrades a database holding a team from before it: its members get no descriptions, then the admin saves one', async () => {
    const db = track(await freshDb({ migrated: false }));
    const before = listMigrations()
      .map((m) => m.version)
      .filter((v) => v < 8);
    await migrate(db, { upTo: Math.max(...before) });
    await seedDemo(db);
    expect(await migrate(db)).toContain(8);
    const app = createApp({ db, config: { rateLimit: false } });
    const get = await app.request('/v1/adapters', { headers: { authorization: `Bearer ${REP}` } });
    expect(AdapterDescriptionsResponseSchema.parse(await get.json()).descriptions).toEqual([]);
    const put = await app.request('/v1/adapters', { method: 'PUT', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify(v2) });
    expect(put.status).toBe(200);
  });
});
