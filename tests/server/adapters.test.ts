import { describe, expect, it } from 'vitest';
import { AdapterDescriptionsResponseSchema } from '../../lib/protocol/adapter-description';
import { HUBSPOT } from '../../lib/crm/descriptions/hubspot';
import { closingAfterEach } from './helpers';

const ADMIN = 'demo-admin-token';
const REP = 'demo-rep1-token';
const { server } = closingAfterEach();
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
});
