import { webhookReceivers } from './webhook-receiver';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEFINITION, type SalDefinition } from '../../lib/domain/definition';
import type { LeadEvent } from '../../lib/domain/events';
import { AlertDeliveriesResponseSchema, AlertSettingsResponseSchema } from '../../lib/protocol/alerts';
import { createApp } from '../../server/src/app';
import type { AlertFacts } from '../../server/src/alerts/due';
import { alertText, slackPayload, teamsPayload } from '../../server/src/alerts/messages';
import { deliverDue, leadEvents, openLeads, watchAll } from '../../server/src/alerts/outbox';
import { mayRunClocks } from '../../server/src/alerts/due';
import { groupByLead } from '../../lib/domain/lead-key';
import { foldLead, foldOptionsFor } from '../../lib/domain/lifecycle';
import { computeClocks } from '../../lib/domain/sla-clocks';
import { createPoster } from '../../server/src/alerts/post';
import { startAlerts } from '../../server/src/alerts/service';
import { verifySignature } from '../../server/src/alerts/signature';
import { guardedLookup, isPrivateAddress, refuseTarget } from '../../server/src/alerts/targets';
import { acceptedEvent, closingAfterEach, countRows, handedOverEvent } from './helpers';

const { server } = closingAfterEach();

/** Instants in Japan (the default calendar's zone). 2026-11-23 (Mon) is 勤労感謝の日, a national holiday. */
const jst = (local: string) => new Date(`${local}+09:00`);
const SF_LEAD = 'salesforce:00Q5g00000AbCdEEAV';
const SF_URL = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view';
const SECRET = 'test-shared-secret-0123456789';

/** A demo server whose clock the test moves, admitting webhooks on 127.0.0.1 (the dev flag). */
async function alertServer() {
  const clock = { now: jst('2026-11-20T09:00:00') };
  const s = await server({ now: () => clock.now, alerts: { allowLocalTargets: true } });
  const at = (local: string) => (clock.now = jst(local));
  /** Hands a lead over as the demo marketer at `local` (judged then: the server receives it then too). */
  const handOver = async (local: string, overrides: Partial<LeadEvent> & Record<string, unknown> = {}) => {
    at(local);
    const event = handedOverEvent({ occurredAt: `${local}.000+09:00`, ...overrides });
    const res = await s.call('demo-marketer-token', 'POST', '/v1/events', { events: [event] });
    expect(((await res.json()) as { results: { status: string }[] }).results[0]?.status).toBe('accepted');
  };
  const configure = async (body: unknown, token = 'demo-admin-token') => s.call(token, 'PUT', '/v1/alerts/settings', body);
  const rows = () =>
    s.db
      .query<{ alert_key: string; channel: string; level: string; clock: string; status: string }>(
        'SELECT alert_key, channel, level, clock, status FROM alert_outbox ORDER BY created_at, alert_key, channel',
      )
      .then((r) => r.rows);
  return { ...s, clock, at, handOver, configure, rows };
}

const receiver = webhookReceivers();

const local = createPoster({ allowLocalTargets: true });
const sender = { post: local, random: () => 0.5 };

async function useDefinition(s: Awaited<ReturnType<typeof alertServer>>, definition: SalDefinition) {
  const res = await s.call('demo-admin-token', 'PUT', '/v1/settings', { activeDefinition: definition });
  expect(res.status).toBe(200);
}

describe('the SLA watcher', () => {
  it('finds warnings and breaches on business time: a national holiday and the night do not count', async () => {
    const s = await alertServer();
    s.at('2026-11-20T09:00:00');
    expect((await s.configure({ enabled: true, channels: { slack: { url: 'http://127.0.0.1:9/slack' } } })).status).toBe(200);
    // 8 business hours to accept: Fri 15:00–18:00 is 3 h, Mon 23 is a holiday, so warning (2 h before) at Tue 12:00, deadline Tue 14:00
    await s.handOver('2026-11-20T15:00:00', { leadKey: SF_LEAD, lead: { name: '山田 太郎', company: '株式会社サンプル', url: SF_URL } });

    await watchAll(s.db, s.at('2026-11-23T12:00:00'));
    expect(await s.rows()).toEqual([]);
    await watchAll(s.db, s.at('2026-11-24T11:59:00'));
    expect(await s.rows()).toEqual([]);
    await watchAll(s.db, s.at('2026-11-24T12:00:00'));
    expect(await s.rows()).toEqual([expect.objectContaining({ channel: 'slack', clock: 'acceptance', level: 'warning' })]);
    // at the deadline itself the clock is still in warning; past it, breached
    await watchAll(s.db, s.at('2026-11-24T14:00:00'));
    expect(await s.rows()).toHaveLength(1);
    await watchAll(s.db, s.at('2026-11-24T14:00:01'));
    expect((await s.rows()).map((r) => r.level)).toEqual(['warning', 'breached']);
    // passes go on; nothing is enqueued twice
    for (const t of ['2026-11-24T14:01:00', '2026-11-24T16:00:00', '2026-11-25T10:00:00']) expect((await watchAll(s.db, s.at(t))).added.get('team_demo')).toBe(0);
    expect(await s.rows()).toHaveLength(2);
  });

  it('finds breaches on calendar time at any hour, holidays included', async () => {
    const s = await alertServer();
    await useDefinition(s, { ...DEFAULT_DEFINITION, clocks: { ...DEFAULT_DEFINITION.clocks, acceptance: { minutes: 8 * 60, basis: 'calendar', warnBeforeMinutes: 2 * 60 } } });
    s.at('2026-11-20T09:00:00');
    await s.configure({ enabled: true, channels: { slack: { url: 'http://127.0.0.1:9/slack' } }, rules: { levels: ['breached'] } });
    await s.handOver('2026-11-20T15:00:00', { leadKey: 'hubspot:1001' });
    // 8 wall-clock hours: due Fri 23:00, found at night
    await watchAll(s.db, s.at('2026-11-20T22:59:00'));
    expect(await s.rows()).toEqual([]);
    await watchAll(s.db, s.at('2026-11-20T23:30:00'));
    expect(await s.rows()).toEqual([expect.objectContaining({ clock: 'acceptance', level: 'breached' })]);
  });

  it('holds business-time alerts outside business hours unless the team asks, and announces only transitions after alerts were turned on', async () => {
    const s = await alertServer();
    // a lead already overdue before alerts are turned on: no backlog flood
    await s.handOver('2026-11-17T09:00:00', { leadKey: 'hubspot:old' });
    s.at('2026-11-20T09:00:00');
    await s.configure({ enabled: true, channels: { slack: { url: 'http://127.0.0.1:9/slack' } } });
    await s.handOver('2026-11-20T15:00:00', { leadKey: 'hubspot:1002' });
    // due Tue 14:00; nobody ran a pass during the day, at 20:00 the office is closed
    await watchAll(s.db, s.at('2026-11-24T20:00:00'));
    expect(await s.rows()).toEqual([]);
    // the next opening: the breach only (it went straight past the warning as far as anyone saw)
    await watchAll(s.db, s.at('2026-11-25T09:01:00'));
    expect(await s.rows()).toEqual([expect.objectContaining({ alert_key: expect.stringContaining('hubspot:1002|acceptance|'), level: 'breached' })]);

    // a team that asks for alerts at any hour gets them at night
    await s.handOver('2026-11-25T09:00:00', { leadKey: 'hubspot:1003' });
    const res = await s.configure({ enabled: true, rules: { outsideBusinessHours: true } });
    expect(AlertSettingsResponseSchema.parse(await res.json()).channels.slack).not.toBeNull();
    await watchAll(s.db, s.at('2026-11-25T20:00:00'));
    expect((await s.rows()).filter((r) => r.alert_key.startsWith('hubspot:1003'))).toEqual([expect.objectContaining({ level: 'breached' })]);
  });

  it('stops a clock when the rep decides, and an undone decision lets it run again (the undo judged like the fold)', async () => {
    const s = await alertServer();
    s.at('2026-11-20T09:00:00');
    await s.configure({ enabled: true, channels: { slack: { url: 'http://127.0.0.1:9/slack' } }, rules: { clocks: ['acceptance'], levels: ['breached'] } });
    await s.handOver('2026-11-20T15:00:00', { leadKey: 'hubspot:kept' });
    await s.handOver('2026-11-20T15:00:00', { leadKey: 'hubspot:undone' });
    const push = async (event: LeadEvent) => ((await (await s.call('demo-rep1-token', 'POST', '/v1/events', { events: [event] })).json()) as { results: { status: string }[] }).results[0]?.status;
    s.at('2026-11-20T15:30:00');
    const keep = acceptedEvent({ leadKey: 'hubspot:kept', occurredAt: '2026-11-20T15:30:00.000+09:00' });
    const undo = acceptedEvent({ leadKey: 'hubspot:undone', occurredAt: '2026-11-20T15:30:00.000+09:00' });
    expect([await push(keep), await push(undo)]).toEqual(['accepted', 'accepted']);
    s.at('2026-11-20T15:32:00');
    expect(await push({ ...acceptedEvent({ leadKey: 'hubspot:undone', occurredAt: '2026-11-20T15:32:00.000+09:00' }), type: 'retracted', payload: { targetEventId: undo.id } } as LeadEvent)).toBe(
      'accepted',
    );
    await watchAll(s.db, s.at('2026-11-24T15:00:00'));
    expect((await s.rows()).map((r) => r.alert_key.split('|').slice(0, 2).join('|'))).toEqual(['hubspot:undone|acceptance']);
  });

  it('folds only what arrived since its last pass, as a full pass would, and rebuilds after a restart', async () => {
    const s = await alertServer();
    s.at('2026-11-20T09:00:00');
    await s.configure({ enabled: true, channels: { slack: { url: 'http://127.0.0.1:9/slack' } }, rules: { clocks: ['acceptance'], levels: ['breached'] } });
    const push = async (event: LeadEvent) => ((await (await s.call('demo-rep1-token', 'POST', '/v1/events', { events: [event] })).json()) as { results: { status: string }[] }).results[0]?.status;
    const leads = async () => (await s.rows()).map((r) => r.alert_key.split('|')[0]);
    await s.handOver('2026-11-20T15:00:00', { leadKey: 'hubspot:accepted-later' });
    await s.handOver('2026-11-20T15:00:00', { leadKey: 'hubspot:undone-later' });
    const undo = acceptedEvent({ leadKey: 'hubspot:undone-later', occurredAt: '2026-11-20T15:30:00.000+09:00' });
    s.at('2026-11-20T15:30:00');
    expect(await push(undo)).toBe('accepted');
    // a pass keeps both leads (one pending, one accepted: its first-contact clock runs)
    expect((await watchAll(s.db, s.at('2026-11-20T15:31:00'))).added.get('team_demo')).toBe(0);
    // after it (within the undo window): one lead is accepted, the other's acceptance undone, a third handed over
    s.at('2026-11-20T15:35:00');
    expect(await push(acceptedEvent({ leadKey: 'hubspot:accepted-later', occurredAt: '2026-11-20T15:35:00.000+09:00' }))).toBe('accepted');
    expect(
      await push({ ...acceptedEvent({ leadKey: 'hubspot:undone-later', occurredAt: '2026-11-20T15:35:00.000+09:00' }), type: 'retracted', payload: { targetEventId: undo.id } } as LeadEvent),
    ).toBe('accepted');
    await s.handOver('2026-11-20T15:40:00', { leadKey: 'hubspot:new-lead' });
    await watchAll(s.db, s.at('2026-11-24T15:00:00'));
    expect((await leads()).sort()).toEqual(['hubspot:new-lead', 'hubspot:undone-later']);
    // a restarted server (a new handle: nothing kept) finds the same and enqueues nothing again
    const restarted = { ...s.db };
    expect((await watchAll(restarted, s.clock.now)).added.get('team_demo')).toBe(0);
    // and the first one goes on from where it was: a lead handed over later breaches later
    await s.handOver('2026-11-24T15:30:00', { leadKey: 'hubspot:latest' });
    expect((await watchAll(s.db, s.at('2026-11-26T15:00:00'))).added.get('team_demo')).toBe(1);
    expect((await watchAll(restarted, s.clock.now)).added.get('team_demo')).toBe(0);
    expect((await leads()).sort()).toEqual(['hubspot:latest', 'hubspot:new-lead', 'hubspot:undone-later']);
  });

  it('reads each open lead as the full fold of its events has it: same leads, same clocks', async () => {
    const s = await alertServer();
    // 200 leads of random histories stored directly: contests, reopens, undos (valid or not), closes,
    // receive times past the allowed skew, and actor ids a tab, a quote or a newline would break
    let seed = 7;
    const rand = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const types = ['handed_over', 'accepted', 'rejected', 'reopened', 'contacted', 'progress_updated', 'qualified', 'won', 'lost', 'recycled', 'sales_originated', 'retracted'] as const;
    const payloads: Record<string, object> = {
      handed_over: { by: '田中' },
      accepted: { checklist: {} },
      rejected: { reasonCode: 'other' },
      contacted: { channel: 'call' },
      sales_originated: { signal: 'inbound_call' },
    };
    const actors = ['user_demo_rep1', 'rep\t"2"', 'rep\n3'];
    let seq = 0;
    const values: unknown[][] = [];
    for (let lead = 0; lead < 200; lead++) {
      let at = jst('2026-11-16T09:00:00').getTime() + Math.floor(rand() * 3 * 86_400_000);
      const ids: { id: string; actor: string }[] = [];
      for (let n = 1 + Math.floor(rand() * 8); n > 0; n--) {
        at += Math.floor(rand() * 4 * 3_600_000);
        const type = ids.length === 0 ? 'handed_over' : pick(types);
        const actor = pick(actors);
        const id = `01KWATCH${String(++seq).padStart(18, '0')}`;
        const target = ids.length > 0 && rand() < 0.7 ? ids[ids.length - 1]!.id : 'no-such-event';
        const payload = type === 'retracted' ? { targetEventId: target } : (payloads[type] ?? {});
        const receivedAt = new Date(at + pick([0, 1_000, 10 * 60_000])).toISOString();
        const event = { schemaVersion: 1, id, leadKey: `hubspot:w${lead}`, actor: { id: actor, name: 'x' }, occurredAt: new Date(at).toISOString(), definitionVersion: 1, type, payload };
        values.push(['team_demo', seq, id, event.leadKey, type, actor, event.occurredAt, receivedAt, JSON.stringify(event), actor]);
        ids.push({ id, actor });
      }
    }
    for (let i = 0; i < values.length; i += 100) {
      const batch = values.slice(i, i + 100);
      const rows = batch.map((_, k) => `(${Array.from({ length: 10 }, (__, f) => `$${k * 10 + f + 1}${f === 8 ? '::jsonb' : ''}`).join(', ')})`);
      await s.db.query(`INSERT INTO events (team_id, seq, id, lead_key, type, actor_id, occurred_at, received_at, body, submitted_by) VALUES ${rows.join(', ')}`, batch.flat());
    }
    await s.db.query('UPDATE teams SET last_seq = $1 WHERE id = $2', [seq, 'team_demo']);
    const open = await openLeads(s.db, 'team_demo', DEFAULT_DEFINITION);
    const full = groupByLead(await leadEvents(s.db, 'team_demo', [...new Set(values.map((v) => v[3] as string))]));
    const expected = [...full].map(([leadKey, events]) => [leadKey, foldLead(events, foldOptionsFor(DEFAULT_DEFINITION))] as const).filter(([, state]) => mayRunClocks(state));
    expect(expected.length).toBeGreaterThan(20);
    expect([...open.keys()].sort()).toEqual(expected.map(([leadKey]) => leadKey).sort());
    for (const now of [jst('2026-11-19T10:00:00'), jst('2026-11-26T15:00:00')]) {
      for (const [leadKey, state] of expected) expect(computeClocks(open.get(leadKey)!, DEFAULT_DEFINITION, now)).toEqual(computeClocks(state, DEFAULT_DEFINITION, now));
    }
  });

  it('enqueues exactly one alert per lead, clock, state and channel across repeated and concurrent passes', async () => {
    const s = await alertServer();
    s.at('2026-11-20T09:00:00');
    await s.configure({ enabled: true, channels: { slack: { url: 'http://127.0.0.1:9/slack' }, webhook: { url: 'http://127.0.0.1:9/hook', secret: SECRET } } });
    for (let i = 0; i < 6; i++) await s.handOver('2026-11-20T15:00:00', { leadKey: `hubspot:${2000 + i}` });
    const now = s.at('2026-11-24T14:30:00');
    // two server instances running the pass at the same moment (on PostgreSQL: two connections)
    const [a, b] = await Promise.all([watchAll(s.db, now), watchAll(s.db, now)]);
    expect((a.added.get('team_demo') ?? 0) + (b.added.get('team_demo') ?? 0)).toBe(12);
    expect(await countRows(s.db, 'SELECT 1 FROM alert_outbox')).toBe(12);
    expect(await countRows(s.db, 'SELECT DISTINCT alert_key FROM alert_outbox')).toBe(6);
    await Promise.all([watchAll(s.db, now), watchAll(s.db, now), watchAll(s.db, s.at('2026-11-24T15:00:00'))]);
    expect(await countRows(s.db, 'SELECT 1 FROM alert_outbox')).toBe(12);
  });
});

describe('delivery', () => {
  it('posts a breach to a local webhook once across a server restart, signed with HMAC and keyed for idempotency', async () => {
    const hook = await receiver();
    const s = await alertServer();
    s.at('2026-11-20T09:00:00');
    await s.configure({ enabled: true, channels: { webhook: { url: `${hook.base}/hook`, secret: SECRET } }, rules: { levels: ['breached'] } });
    await s.handOver('2026-11-20T15:00:00', { leadKey: SF_LEAD, lead: { name: '山田 太郎', company: '株式会社サンプル', url: SF_URL } });
    // instance A finds the breach and stops before sending
    const a = startAlerts({ db: s.db, now: () => s.clock.now, config: { allowLocalTargets: true, watchEveryMs: 3_600_000, sendEveryMs: 3_600_000 } });
    await a.tick(); // its rounds so far (nothing due yet); the clock moves only after them
    s.at('2026-11-24T14:05:00');
    await watchAll(s.db, s.clock.now);
    await a.stop();
    expect(hook.requests).toHaveLength(0);

    // the app closes and reopens on the same database; the new instance sends what was left
    const reopened = createApp({ db: s.db, config: { rateLimit: false, now: () => s.clock.now, alerts: { allowLocalTargets: true } } });
    const b = startAlerts({ db: s.db, now: () => s.clock.now, config: { allowLocalTargets: true, watchEveryMs: 3_600_000, sendEveryMs: 3_600_000 } });
    await b.tick();
    await b.tick();
    s.at('2026-11-24T15:00:00');
    await b.tick();
    await b.stop();
    expect(hook.requests).toHaveLength(1);

    const [req] = hook.requests;
    const body = JSON.parse(req!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      schema: 'sal-bridge.alert',
      version: 1,
      type: 'sla.breached',
      lead: { key: SF_LEAD, name: '山田 太郎', company: '株式会社サンプル', url: SF_URL },
      clock: { kind: 'acceptance', basis: 'business', deadline: jst('2026-11-24T14:00:00').toISOString() },
      text: '【SLA 超過】山田 太郎（株式会社サンプル）：受領の期限 11/24(火) 14:00 JST を過ぎました',
    });
    expect(req!.headers['idempotency-key']).toBe(body.id);
    // the receiver's check (the README's recipe) passes; a changed body or an old timestamp fails it
    const nowSeconds = Math.floor(jst('2026-11-24T14:05:30').getTime() / 1000);
    const sig = req!.headers['x-sal-signature'] as string;
    const ts = req!.headers['x-sal-timestamp'] as string;
    expect(verifySignature(SECRET, sig, ts, req!.body, nowSeconds)).toBe(true);
    expect(verifySignature(SECRET, sig, ts, req!.body.replace('山田', '田中'), nowSeconds)).toBe(false);
    expect(verifySignature('another-secret-0123456789', sig, ts, req!.body, nowSeconds)).toBe(false);
    expect(verifySignature(SECRET, sig, ts, req!.body, nowSeconds + 3600)).toBe(false);

    const list = await reopened.request('/v1/alerts/deliveries', { headers: { authorization: 'Bearer demo-admin-token' } });
    expect(AlertDeliveriesResponseSchema.parse(await list.json()).deliveries).toEqual([expect.objectContaining({ status: 'sent', attempts: 1, channel: 'webhook', leadName: '山田 太郎' })]);
  });

  it('resends a row whose sender died mid-send with the same idempotency key (at least once), and two senders never post one row twice', async () => {
    const hook = await receiver();
    const s = await alertServer();
    s.at('2026-11-20T09:00:00');
    await s.configure({ enabled: true, channels: { webhook: { url: `${hook.base}/hook`, secret: SECRET } }, rules: { levels: ['breached'] } });
    for (const key of ['hubspot:1', 'hubspot:2', 'hubspot:3']) await s.handOver('2026-11-20T15:00:00', { leadKey: key });
    await watchAll(s.db, s.at('2026-11-24T14:05:00'));
    // an instance claimed hubspot:1's row, posted it, and died before marking it sent
    await s.db.query("UPDATE alert_outbox SET status = 'sending', attempts = 1, next_attempt_at = $1 WHERE lead_key = 'hubspot:1'", [new Date(s.clock.now.getTime() + 10 * 60_000).toISOString()]);
    const [x, y] = await Promise.all([deliverDue(s.db, s.clock.now, sender), deliverDue(s.db, s.clock.now, sender)]);
    expect(x.sent + y.sent).toBe(2);
    expect(hook.requests).toHaveLength(2);
    // its lease runs out: posted again, with the key the receiver already saw if the first post got through
    await deliverDue(s.db, s.at('2026-11-24T14:14:59'), sender);
    expect(hook.requests).toHaveLength(2);
    await deliverDue(s.db, s.at('2026-11-24T14:15:00'), sender);
    expect(hook.requests).toHaveLength(3);
    const keys = hook.requests.map((r) => r.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(3);
    const { rows } = await s.db.query<{ id: string; attempts: number }>("SELECT id, attempts FROM alert_outbox WHERE lead_key = 'hubspot:1'");
    expect(keys[2]).toBe(rows[0]!.id);
    expect(Number(rows[0]!.attempts)).toBe(2);
  });

  it('retries on 500 with backoff until the channel takes it', async () => {
    const hook = await receiver((n) => (n <= 2 ? 500 : 200));
    const s = await alertServer();
    s.at('2026-11-20T09:00:00');
    await s.configure({ enabled: true, channels: { slack: { url: `${hook.base}/slack` } }, rules: { levels: ['breached'] } });
    await s.handOver('2026-11-20T15:00:00', { leadKey: 'hubspot:1' });
    await watchAll(s.db, s.at('2026-11-24T14:05:00'));
    expect(await deliverDue(s.db, s.clock.now, sender)).toEqual({ sent: 0, retrying: 1, failed: 0 });
    // not due again until its backoff has passed
    expect(await deliverDue(s.db, s.clock.now, sender)).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(await deliverDue(s.db, s.at('2026-11-24T15:00:00'), sender)).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(await deliverDue(s.db, s.at('2026-11-24T16:00:00'), sender)).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(hook.requests).toHaveLength(3);
    const slack = JSON.parse(hook.requests[2]!.body) as { text: string; blocks: unknown[] };
    expect(slack.text).toBe('【SLA 超過】hubspot:1：受領の期限 11/24(火) 14:00 JST を過ぎました');
    expect(slack.blocks).toHaveLength(2);
    expect(await s.rows()).toEqual([expect.objectContaining({ status: 'sent' })]);
  });

  it('lists failures for admins (given up after retries, or refused at once on a 4xx) and refuses non-admins', async () => {
    const hook = await receiver((_, path) => (path === '/teams' ? 404 : 500));
    const s = await alertServer();
    s.at('2026-11-20T09:00:00');
    await s.configure({ enabled: true, channels: { teams: { url: `${hook.base}/teams` }, webhook: { url: `${hook.base}/hook`, secret: SECRET } }, rules: { levels: ['breached'] } });
    await s.handOver('2026-11-20T15:00:00', { leadKey: 'hubspot:1', lead: { name: '佐々木 一郎' } });
    await watchAll(s.db, s.at('2026-11-24T14:05:00'));
    const tight = { ...sender, maxAttempts: 2 };
    expect(await deliverDue(s.db, s.clock.now, tight)).toEqual({ sent: 0, retrying: 1, failed: 1 });
    expect(await deliverDue(s.db, s.at('2026-11-24T18:00:00'), tight)).toEqual({ sent: 0, retrying: 0, failed: 1 });

    const res = await s.call('demo-admin-token', 'GET', '/v1/alerts/deliveries?status=failed');
    expect(res.status).toBe(200);
    const failed = AlertDeliveriesResponseSchema.parse(await res.json()).deliveries;
    expect(failed.map((d) => [d.channel, d.lastStatus, d.attempts]).sort()).toEqual([
      ['teams', 404, 1],
      ['webhook', 500, 2],
    ]);
    expect(failed.find((d) => d.channel === 'webhook')?.lastError).toMatch(/HTTP 500: receiver says no \(gave up after 2 attempts\)/);
    expect(failed.every((d) => d.leadName === '佐々木 一郎' && d.level === 'breached' && d.nextAttemptAt === null)).toBe(true);
    // the Teams card that was refused
    const card = JSON.parse(hook.requests.find((r) => r.path === '/teams')!.body) as { attachments: { contentType: string; content: { body: { text: string }[] } }[] };
    expect(card.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.attachments[0]!.content.body[0]!.text).toContain('【SLA 超過】佐々木 一郎');

    for (const token of ['demo-rep1-token', 'demo-marketer-token']) {
      expect((await s.call(token, 'GET', '/v1/alerts/deliveries')).status).toBe(403);
      expect((await s.call(token, 'GET', '/v1/alerts/settings')).status).toBe(403);
      expect((await s.configure({ enabled: false }, token)).status).toBe(403);
    }
    expect((await s.call(null, 'GET', '/v1/alerts/deliveries')).status).toBe(401);
  });
});

describe('alert settings', () => {
  it('reads webhook URLs back masked and never the secret; keeps channels a save leaves out', async () => {
    const { call } = await server();
    const put = await call('demo-admin-token', 'PUT', '/v1/alerts/settings', {
      enabled: true,
      channels: { slack: { url: 'https://hooks.slack.com/services/T000/B000/abcdefghijklWXYZ' }, webhook: { url: 'https://alerts.example.co.jp/sal', secret: SECRET } },
    });
    expect(put.status).toBe(200);
    const saved = AlertSettingsResponseSchema.parse(await put.json());
    expect(saved.channels).toEqual({ slack: { url: 'https://hooks.slack.com/…WXYZ' }, teams: null, webhook: { url: 'https://alerts.example.co.jp/…', secretSet: true } });
    expect(saved.rules).toEqual({ clocks: ['acceptance', 'first_contact', 'status_update'], levels: ['warning', 'breached'], outsideBusinessHours: false, language: 'ja' });
    await call('demo-admin-token', 'PUT', '/v1/alerts/settings', { enabled: true, channels: { webhook: null }, rules: { language: 'en' } });
    const read = await call('demo-admin-token', 'GET', '/v1/alerts/settings');
    const text = await read.text();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('abcdefghijkl');
    expect(AlertSettingsResponseSchema.parse(JSON.parse(text))).toMatchObject({ channels: { slack: { url: 'https://hooks.slack.com/…WXYZ' }, webhook: null }, rules: { language: 'en' } });
    // each save is in the audit log: who, and which channels were set or removed, never a URL or secret
    const audit = await (await call('demo-admin-token', 'GET', '/v1/admin/audit')).text();
    expect(audit).not.toContain('abcdefghijkl');
    expect(audit).not.toContain(SECRET);
    const entries = (JSON.parse(audit) as { entries: { action: string; actor: { name: string }; detail: { channels: unknown } }[] }).entries.filter((e) => e.action === 'alerts.saved');
    expect(entries.map((e) => e.detail.channels)).toEqual([{ webhook: 'removed' }, { slack: 'set', webhook: 'set' }]);
  });

  it('refuses targets that are not https or point into a private network (SSRF), unless the dev flag admits 127.0.0.1', async () => {
    const { call } = await server();
    const save = (url: string) => call('demo-admin-token', 'PUT', '/v1/alerts/settings', { enabled: true, channels: { teams: { url } } });
    for (const url of [
      'http://hooks.example.com/x',
      'http://127.0.0.1:8080/x',
      'https://127.0.0.1/x',
      'https://10.1.2.3/x',
      'https://169.254.169.254/latest',
      'https://[::1]/x',
      'https://[::ffff:192.168.0.1]/x',
      'https://localhost/x',
      'https://user:pw@hooks.example.com/x',
      'ftp://hooks.example.com/x',
    ]) {
      const res = await save(url);
      expect(res.status, url).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message, url).toMatch(/^channels\.teams\.url: /);
    }
    expect((await save('https://example.webhook.office.com/webhookb2/abc')).status).toBe(200);
    expect(refuseTarget('http://127.0.0.1:8080/x', { allowLocalTargets: true })).toBeNull();
    expect(refuseTarget('http://10.0.0.1/x', { allowLocalTargets: true })).toMatch(/https/);
    // a name is judged on the address it resolves to, at connection time
    const refused = await new Promise<Error | null>((resolve) => guardedLookup({ allowLocalTargets: false })('localhost', {}, (error) => resolve(error)));
    expect(refused?.message).toMatch(/private network/);
    await expect(createPoster({ allowLocalTargets: false })('https://10.0.0.1/x', '{}', {})).rejects.toThrow(/private network/);
    expect(['8.8.8.8', '2606:4700::1111'].map(isPrivateAddress)).toEqual([false, false]);
    expect(['172.16.0.1', '100.64.0.1', 'fd00::1', 'fe80::1', '::ffff:7f00:1', '0.0.0.0'].map(isPrivateAddress)).toEqual([true, true, true, true, true, true]);
  });
});

describe('message formats', () => {
  const facts: AlertFacts = {
    key: 'k',
    leadKey: SF_LEAD,
    clock: 'first_contact',
    basis: 'business',
    level: 'warning',
    startedAt: jst('2026-11-24T09:00:00').toISOString(),
    deadline: jst('2026-11-25T18:00:00').toISOString(),
    transitionAt: jst('2026-11-25T14:00:00').toISOString(),
    lead: { name: '<山田> & 太郎', company: 'ACME' },
    url: SF_URL,
    owner: '佐藤 健',
    timeZone: 'Asia/Tokyo',
  };

  it('writes Japanese by default and English on request, with the due time in JST, the owner and the CRM link', () => {
    expect(alertText(facts, 'ja')).toBe('【SLA 期限間近】<山田> & 太郎（ACME）：初回接触の期限は 11/25(水) 18:00 JST です');
    expect(alertText(facts, 'en')).toBe('[SLA due soon] <山田> & 太郎 (ACME): first contact is due Wed, 11/25, 18:00 JST');
    const slack = slackPayload(facts, 'ja');
    // Slack's control characters are escaped in blocks; the link opens the lead's record page
    expect(JSON.stringify(slack.blocks)).toContain('&lt;山田&gt; &amp; 太郎');
    expect(JSON.stringify(slack.blocks)).toContain(`<${SF_URL}|CRM で開く>`);
    expect(JSON.stringify(slack.blocks)).toContain('担当: 佐藤 健');
    const card = teamsPayload(facts, 'ja').attachments[0]!.content;
    expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'CRM で開く', url: SF_URL }]);
    expect(card.body[0]).toMatchObject({ color: 'Warning' });
  });
});
