import { describe, expect, it } from 'vitest';
import { DEFAULT_DEFINITION } from '../../lib/domain/definition';
import { ruleHandoffEvent, RULE_ACTOR_ID } from '../../lib/domain/handoff-rules';
import { foldLead } from '../../lib/domain/lifecycle';
import type { LeadEvent } from '../../lib/domain/events';
import { HandoffResponseSchema, MeResponseSchema, PullResponseSchema, PushResponseSchema, SettingsResponseSchema } from '../../lib/protocol/http';
import { closingAfterEach, countRows, handedOverEvent } from './helpers';

const ADMIN = 'demo-admin-token';
const MARKETER = 'demo-marketer-token';
const REP1 = 'demo-rep1-token';
const REP2 = 'demo-rep2-token';
const LEAD = 'salesforce:00Q5g00000AbCdEEAV';
const { server } = closingAfterEach({ now: () => new Date('2026-11-24T01:00:00.000Z') });

type Call = Awaited<ReturnType<typeof server>>['call'];

async function pulledHandOvers(call: Call) {
  const pulled = PullResponseSchema.parse(await (await call(REP1, 'GET', '/v1/events')).json());
  return pulled.events.map((e) => e.event).filter((e) => e.type === 'handed_over');
}

/** The team's definition with a Lightning rule, saved by the admin; returns its version. */
async function withRule(call: Call): Promise<number> {
  const res = await call(ADMIN, 'PUT', '/v1/settings', { activeDefinition: { ...DEFAULT_DEFINITION, handoffRules: { 'salesforce-lightning': { field: 'status', values: ['MQL'] } } } });
  return SettingsResponseSchema.parse(await res.json()).activeDefinition.version;
}

/** A rep's browser's rule hand-off of LEAD, read at `at`. */
async function ruleEvent(call: Call, version: number, at: string, name: string): Promise<LeadEvent> {
  const me = MeResponseSchema.parse(await (await call(REP1, 'GET', '/v1/me')).json());
  const event = await ruleHandoffEvent({
    teamId: me.team.id,
    leadKey: LEAD,
    state: foldLead([]),
    rule: { field: 'status', values: ['MQL'] },
    input: { status: 'MQL' },
    definitionVersion: version,
    at: Date.parse(at),
    lead: { name },
  });
  return event!;
}

describe('hand-off sources on the server', () => {
  it('records CSV hand-offs as csv, with the rationale columns', async () => {
    const { call } = await server();
    const csv = 'crm,recordId,by,why,rationaleScore,intentTopic\nsalesforce,00Q5g00000AbCdE,田中 美咲,価格ページを3回閲覧,0.8,pricing\n';
    const res = await call(MARKETER, 'POST', '/v1/handoffs', csv, { 'content-type': 'text/csv' });
    expect(HandoffResponseSchema.parse(await res.json()).results[0]?.status).toBe('accepted');
    expect((await pulledHandOvers(call))[0]?.payload).toMatchObject({ sourceKind: 'csv', rationale: { why: '価格ページを3回閲覧', score: 0.8, intentTopic: 'pricing' } });
  });

  it('records JSON hand-offs as api, or agent when the sender says so, with the rationale', async () => {
    const { call } = await server();
    await call(MARKETER, 'POST', '/v1/handoffs', [
      { crm: 'hubspot', recordId: '1', by: 'Marketo' },
      { crm: 'hubspot', recordId: '2', by: 'Nurture agent', sourceKind: 'agent', rationale: { why: '3社比較の資料をDL', score: 91, intentTopic: 'competitor' } },
    ]);
    const [api, agent] = await pulledHandOvers(call);
    expect(api?.payload).toMatchObject({ sourceKind: 'api' });
    expect(agent?.payload).toMatchObject({ by: 'Nurture agent', sourceKind: 'agent', rationale: { why: '3社比較の資料をDL', score: 91, intentTopic: 'competitor' } });
  });

  it('refuses a pushed event that claims to come from the CSV, the API or an agent', async () => {
    const { call } = await server();
    const forged = handedOverEvent({ payload: { by: '田中 美咲', sourceKind: 'agent' } });
    const { results } = PushResponseSchema.parse(await (await call(MARKETER, 'POST', '/v1/events', { events: [forged] })).json());
    expect(results[0]).toMatchObject({ status: 'rejected' });
    expect(results[0]?.reason).toMatch(/^invalid: agent hand-offs are recorded by POST \/v1\/handoffs/);
  });

  it("keeps a marketer's panel hand-off with its note", async () => {
    const { call } = await server();
    const event = handedOverEvent({ payload: { by: '田中 美咲', sourceKind: 'panel', note: '展示会で名刺交換、予算あり' } });
    const { results } = PushResponseSchema.parse(await (await call(MARKETER, 'POST', '/v1/events', { events: [event] })).json());
    expect(results[0]?.status).toBe('accepted');
    expect((await pulledHandOvers(call))[0]?.payload).toMatchObject({ sourceKind: 'panel', note: '展示会で名刺交換、予算あり' });
  });

  it('keeps one rule hand-off when two reps read the same lead: the second is a duplicate', async () => {
    const { call, db } = await server();
    const version = await withRule(call);
    const first = await ruleEvent(call, version, '2026-11-24T00:58:00.000Z', '山田 太郎');
    const second = await ruleEvent(call, version, '2026-11-24T00:59:30.000Z', '山田 太郎 (様)');
    expect(second.id).toBe(first.id);
    const a = PushResponseSchema.parse(await (await call(REP1, 'POST', '/v1/events', { events: [first] })).json());
    const b = PushResponseSchema.parse(await (await call(REP2, 'POST', '/v1/events', { events: [second] })).json());
    expect(a.results[0]?.status).toBe('accepted');
    expect(b.results[0]).toMatchObject({ status: 'duplicate', seq: a.results[0]?.seq });
    expect(await countRows(db, "SELECT 1 FROM events WHERE type = 'handed_over'")).toBe(1);
    // the first one stored stands, named after no member
    const [stored] = await pulledHandOvers(call);
    expect(stored).toMatchObject({ occurredAt: '2026-11-24T00:58:00.000Z', actor: { id: RULE_ACTOR_ID, name: '' }, definitionVersion: version });
  });

  it('refuses a rule hand-off under a definition without a rule, and under another actor', async () => {
    const { call } = await server();
    const noRule = await ruleEvent(call, 1, '2026-11-24T00:58:00.000Z', '山田 太郎');
    const other = { ...noRule, actor: { id: 'user_demo_rep1', name: '' } };
    const { results } = PushResponseSchema.parse(await (await call(REP1, 'POST', '/v1/events', { events: [noRule, other] })).json());
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(results[0]?.reason).toMatch(/crm-rule hand-off/);
  });

  it('lets no rep undo a rule hand-off, not even the one whose browser sent it', async () => {
    const { call } = await server();
    const version = await withRule(call);
    const rule = await ruleEvent(call, version, '2026-11-24T00:59:00.000Z', '山田 太郎');
    await call(REP1, 'POST', '/v1/events', { events: [rule] });
    const undo = handedOverEvent({ actor: { id: 'user_demo_rep1', name: '' }, type: 'retracted', payload: { targetEventId: rule.id }, occurredAt: '2026-11-24T01:00:00.000Z' });
    const { results } = PushResponseSchema.parse(await (await call(REP1, 'POST', '/v1/events', { events: [undo] })).json());
    expect(results[0]).toMatchObject({ status: 'rejected' });
    expect(results[0]?.reason).toMatch(/^not_own_event/);
  });
});
