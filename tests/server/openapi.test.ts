import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/src/app';
import type { Database } from '../../server/src/db/index';

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
    expect(routes.sort()).toEqual(['GET /healthz', 'POST /v1/events', 'GET /v1/events', 'GET /v1/me', 'GET /v1/settings', 'PUT /v1/settings', 'POST /v1/handoffs', 'GET /v1/openapi.json'].sort());
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
