import { describe, expect, it } from 'vitest';
import { SalDatabase } from '../../../lib/db/schema';
import { recordLocalEvent } from '../../../lib/db/events-repo';
import { readKv, writeKv } from '../../../lib/db/kv';
import { backendKv } from '../../../lib/settings/backend';
import { createSyncService } from '../../../lib/background/sync-service';
import { crmTokensKv } from '../../../lib/writeback/credentials';
import { writebackJobFor } from '../../../lib/writeback/queue';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { SALESFORCE_WRITEBACK_EXAMPLE } from '../../../lib/domain/writeback';
import { accepted } from '../domain/builders';

const HUBSPOT_TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';

describe('CRM credentials never leave the browser', () => {
  it('a sync round sends the decision to the team server, and no CRM token, cookie or write-back job', async () => {
    const db = new SalDatabase('writeback-credentials');
    const clock = Date.parse('2026-11-30T01:00:00Z');
    await writeKv(db, backendKv, { mode: 'server', url: 'https://sal.example.test', token: 'team-token' });
    await writeKv(db, crmTokensKv, { hubspot: HUBSPOT_TOKEN });
    const event = accepted({ at: '2026-11-30T00:59:00Z' });
    const job = writebackJobFor(
      { ...DEFAULT_DEFINITION, writeback: SALESFORCE_WRITEBACK_EXAMPLE },
      event,
      { url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view', readAt: clock - 60_000 },
      clock,
    );
    expect(job?.fields.Status).toBe('Working - Contacted');
    await recordLocalEvent(db, event, clock, job!);

    const sent: Array<{ url: string; headers: string; body: string }> = [];
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    const fakeFetch: typeof fetch = async (input, init) => {
      const url = String(input);
      const body = typeof init?.body === 'string' ? init.body : '';
      sent.push({ url, headers: JSON.stringify(Object.fromEntries(new Headers(init?.headers).entries())), body });
      const path = new URL(url).pathname;
      if (path === '/v1/me') return json({ user: { id: 'u-rep-a', name: '田中' }, team: { id: 't1', name: 'Demo' }, role: 'rep' });
      if (path === '/v1/settings') return new Response('{}', { status: 404 });
      if (path === '/v1/events' && init?.method === 'POST') {
        const pushed = JSON.parse(body) as { events: Array<{ id: string }> };
        return json({ results: pushed.events.map((e, i) => ({ id: e.id, status: 'accepted', seq: i + 1, receivedAt: '2026-11-30T01:00:01.000Z' })) });
      }
      return json({ events: [], nextCursor: '1', hasMore: false });
    };
    const sync = createSyncService({ db, now: () => clock, random: () => 0.5, fetch: fakeFetch, onLeadsChanged: () => undefined, onSynced: () => undefined, runExclusive: (fn) => fn() });
    const state = await sync.requestSync('user', { force: true });
    expect(state.lastError).toBeNull();

    const push = sent.find((s) => s.body.includes(event.id));
    expect(push, 'the decision was pushed').toBeDefined();
    for (const request of sent) {
      expect(request.url.startsWith('https://sal.example.test/')).toBe(true);
      for (const part of [request.headers, request.body]) {
        expect(part).not.toContain(HUBSPOT_TOKEN);
        expect(part).not.toContain('crmTokens');
        // the write-back job (its CRM fields, its target) is this browser's, never the server's
        expect(part).not.toContain('SAL_Accepted_Date__c');
        expect(part).not.toContain('my.salesforce.com');
        expect(part.toLowerCase()).not.toContain('sid=');
      }
    }
    // and the token is still only here
    expect((await readKv(db, crmTokensKv)).hubspot).toBe(HUBSPOT_TOKEN);
    db.close();
  });
});
