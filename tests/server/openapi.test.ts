import { describe, expect, it } from 'vitest';
import { API } from '../../lib/protocol/routes';
import { CLIENT_ROUTES, createHttpBackendClient } from '../../lib/sync/http-client';
import { createApp } from '../../server/src/app';
import type { Database } from '../../server/src/db/index';
import { acceptedEvent, closingAfterEach } from './helpers';

type Doc = {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: { content: Record<string, { schema: unknown }> };
        parameters?: { name: string; in: string }[];
        responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
        security?: unknown;
      }
    >
  >;
  components: { schemas?: Record<string, unknown> };
};

// The document route needs no database: a stub that fails loudly if anything queries it.
const noDb = new Proxy({} as Database, {
  get: () => () => {
    throw new Error('the OpenAPI route must not touch the database');
  },
});

describe('GET /v1/openapi.json', () => {
  it('serves an OpenAPI 3.1 document, without a token, that lists every route with its methods', async () => {
    const res = await createApp({ db: noDb }).request('/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      info: { title: string; version: string };
      paths: Record<string, Record<string, { description?: string; responses: Record<string, unknown>; security?: unknown }>>;
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
    };
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toBeTruthy();
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes.sort()).toEqual(
      [
        'GET /healthz',
        'GET /readyz',
        'POST /v1/events',
        'GET /v1/events',
        'GET /v1/me',
        'GET /v1/settings',
        'PUT /v1/settings',
        'POST /v1/handoffs',
        'GET /v1/openapi.json',
        'GET /v1/alerts/settings',
        'PUT /v1/alerts/settings',
        'GET /v1/alerts/deliveries',
        // sign-in and sessions
        'GET /v1/auth/config',
        'POST /v1/auth/oidc',
        'POST /v1/auth/invite',
        'POST /v1/auth/invite/preview',
        'POST /v1/auth/refresh',
        // team administration
        'GET /v1/admin/members',
        'POST /v1/admin/members/role',
        'POST /v1/admin/members/revoke',
        'PUT /v1/admin/domains',
        'GET /v1/admin/invites',
        'POST /v1/admin/invites',
        'POST /v1/admin/invites/revoke',
        'GET /v1/admin/tokens',
        'POST /v1/admin/tokens',
        'POST /v1/admin/tokens/revoke',
        'GET /v1/admin/audit',
        // read health
        'POST /v1/health/reads',
        'GET /v1/admin/read-health',
        // adapter descriptions (issue 16)
        'GET /v1/adapters',
        'PUT /v1/adapters',
      ].sort(),
    );
    // an integration token with `handoffs:write` may call the hand-off route, and the document says so
    expect(doc.paths['/v1/handoffs']!.post!.security).toEqual([{ bearer: ['handoffs:write'] }]);
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/v1/events']!.post!.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(doc.paths['/v1/events']!.post!.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '413', '429']));
    // the push body documents the event union, including a decision type
    expect(JSON.stringify(doc.paths['/v1/events']!.post)).toContain('"rejected"');
    // a team implementing its own backend learns the actor rule and the CSV charsets from the document
    expect(doc.paths['/v1/events']!.post!.description).toMatch(/actor\.id.*local-.*actor_mismatch/);
    expect(doc.paths['/v1/handoffs']!.post!.description).toMatch(/Shift_JIS/);
    expect(Object.keys(doc.paths['/v1/handoffs']!.post!.responses)).toEqual(expect.arrayContaining(['200', '400', '403', '415']));
  });

  it('documents the per-event reason codes, conflict, the cursor reset and the unavailable answer', async () => {
    const doc = (await (await createApp({ db: noDb }).request('/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, { description?: string; responses: Record<string, { description: string }> }>>;
    };
    const push = doc.paths['/v1/events']!.post!;
    for (const code of ['invalid:', 'actor_mismatch:', 'forbidden_role:', 'occurred_in_future:', 'undo_window_passed:', 'not_own_event:', 'conflict:', 'receivedAt']) {
      expect(push.description, code).toContain(code);
    }
    expect(push.responses['503']?.description).toMatch(/unavailable/);
    expect(JSON.stringify(push.responses['200'])).toContain('"conflict"');
    expect(doc.paths['/v1/events']!.get!.responses['410']?.description).toMatch(/cursor_reset/);
  });
});

describe('one contract: the served routes, the document and the client', () => {
  const { server } = closingAfterEach();
  const operation = (method: string, path: string) => `${method.toUpperCase()} ${path}`;
  const documented = (doc: Doc) => Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => operation(method, path)));

  it('documents every route the app serves, each with the schemas and security of its declaration', async () => {
    const app = createApp({ db: noDb });
    const doc = (await (await app.request('/v1/openapi.json')).json()) as Doc;
    // Hono lists middleware under ALL; every other entry is a served route (once per middleware it runs)
    const served = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => operation(r.method, r.path)));
    // the one page for people (the invitation handover page, HTML) is not part of the API
    expect(served.delete('GET /join')).toBe(true);
    expect([...served].sort()).toEqual(documented(doc).sort());
    expect(
      Object.values(API)
        .map((r) => operation(r.method, r.path))
        .sort(),
    ).toEqual(documented(doc).sort());

    for (const route of Object.values(API)) {
      const name = operation(route.method, route.path);
      const op = doc.paths[route.path]![route.method]!;
      expect(Object.keys(op.responses).sort(), name).toEqual(Object.keys(route.responses).sort());
      for (const [status, response] of Object.entries(route.responses)) {
        expect(Object.keys(op.responses[status]!.content ?? {}), `${name} ${status}`).toEqual(Object.keys(response.content));
        for (const media of Object.keys(response.content)) expect(op.responses[status]!.content![media]!.schema, `${name} ${status} ${media}`).toBeTypeOf('object');
      }
      const request = 'request' in route ? route.request : undefined;
      const body = request && 'body' in request ? request.body : undefined;
      expect(Object.keys(op.requestBody?.content ?? {}), name).toEqual(Object.keys(body?.content ?? {}));
      const query = request && 'query' in request ? Object.keys(request.query.shape) : [];
      expect(
        (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        name,
      ).toEqual(query);
      expect(op.security ?? null, name).toEqual('security' in route ? route.security : null);
    }
    // the lenient batch items are documented as the full shapes, from components
    expect(JSON.stringify(doc.paths['/v1/events']!.post!.requestBody)).toContain('#/components/schemas/LeadEvent');
    expect(JSON.stringify(doc.components.schemas?.LeadEvent)).toContain('"handed_over"');
    expect(JSON.stringify(doc.paths['/v1/handoffs']!.post!.requestBody)).toContain('#/components/schemas/HandoffItem');
    expect(doc.components.schemas?.HandoffItem).toMatchObject({ required: expect.arrayContaining(['crm', 'recordId', 'by']) });
  });

  it("calls, from the sync client, exactly the routes it declares, all of them documented, and parses the server's replies", async () => {
    const { app } = await server();
    const doc = (await (await app.request('/v1/openapi.json')).json()) as Doc;
    const calls: string[] = [];
    const fetchThroughApp: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      calls.push(operation(init?.method ?? 'GET', url.pathname));
      return app.request(`${url.pathname}${url.search}`, init);
    };
    const client = createHttpBackendClient('https://sync.example', 'demo-rep1-token', fetchThroughApp, Date.now);
    const pushed = await client.push([acceptedEvent()]);
    expect(pushed.kind === 'results' && pushed.results.map((r) => r.status)).toEqual(['accepted']);
    const page = await client.pull(null, 10);
    expect(page.kind === 'page' && page.events).toHaveLength(1);
    expect((await client.me()).user.id).toBe('user_demo_rep1');
    expect((await client.settings()).revision).toBe(0);

    expect([...new Set(calls)].sort()).toEqual(CLIENT_ROUTES.map((r) => operation(r.method, r.path)).sort());
    expect(documented(doc)).toEqual(expect.arrayContaining(calls));
    for (const route of CLIENT_ROUTES) expect(Object.values(API)).toContain(route);
  });
});
