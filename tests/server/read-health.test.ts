import { webhookReceivers } from './webhook-receiver';
import { describe, expect, it } from 'vitest';
import { emptyReadDay, type ReadHealthDay } from '../../lib/domain/read-health';
import { AlertDeliveriesResponseSchema } from '../../lib/protocol/alerts';
import { PostReadHealthResponseSchema, ReadHealthResponseSchema } from '../../lib/protocol/read-health';
import { createTeam, createToken, createUser } from '../../server/src/admin';
import { createApp } from '../../server/src/app';
import { deliverDue } from '../../server/src/alerts/outbox';
import { createPoster } from '../../server/src/alerts/post';
import { migrate } from '../../server/src/db/index';
import { closingAfterEach, countRows, freshDb } from './helpers';

const { server, track } = closingAfterEach();

const NOW = new Date('2026-11-30T03:00:00Z');
const TODAY = '2026-11-30';
const SECRET = 'test-shared-secret-0123456789';

/** A day of reads: `ok`, `partial` and `failing` counts, and the fields the partial and failing reads missed. */
function day(crm: ReadHealthDay['crm'], date: string, counts: { ok?: number; partial?: number; failing?: number }, extra: Partial<ReadHealthDay> = {}): ReadHealthDay {
  const ok = counts.ok ?? 0;
  const partial = counts.partial ?? 0;
  const failing = counts.failing ?? 0;
  return {
    ...emptyReadDay(crm, 'lead', date),
    reads: ok + partial + failing,
    ok,
    partial,
    failing,
    missing: partial + failing > 0 ? { status: partial + failing, leadSource: failing } : {},
    firstFailingAt: failing > 0 ? `${date}T01:15:00.000Z` : null,
    adapterVersions: { '1.4.0': ok + partial + failing },
    ...extra,
  };
}

async function healthServer() {
  const clock = { now: NOW };
  const s = await server({ now: () => clock.now, alerts: { allowLocalTargets: true } });
  const post = (token: string, days: ReadHealthDay[]) => s.call(token, 'POST', '/v1/health/reads', { days });
  const summary = async (token = 'demo-admin-token') => {
    const res = await s.call(token, 'GET', '/v1/admin/read-health');
    expect(res.status).toBe(200);
    return ReadHealthResponseSchema.parse(await res.json());
  };
  return { ...s, clock, post, summary };
}

describe('POST /v1/health/reads and GET /v1/admin/read-health', () => {
  it("stores each member's days and shows the admin each CRM: OK, partial or failing since when, with its counts and most-missed fields", async () => {
    const s = await healthServer();
    const res = await s.post('demo-rep1-token', [
      day('salesforce', '2026-11-28', { ok: 30 }),
      day('salesforce', '2026-11-29', { ok: 2, failing: 8 }),
      day('salesforce', TODAY, { ok: 5, failing: 10 }),
      day('dynamics', TODAY, { ok: 4, partial: 6 }),
    ]);
    expect(res.status).toBe(200);
    expect(PostReadHealthResponseSchema.parse(await res.json())).toEqual({ stored: 4, ignored: 0 });
    // a second member's reads of the same CRM add up
    expect((await s.post('demo-rep2-token', [day('salesforce', TODAY, { ok: 1, failing: 4 }), day('hubspot', TODAY, { ok: 12 })])).status).toBe(200);

    const { crms, windowDays } = await s.summary();
    expect(windowDays).toBe(30);
    expect(crms.map((c) => [c.crm, c.status, c.since])).toEqual([
      ['dynamics', 'partial', `${TODAY}T00:00:00.000Z`],
      ['hubspot', 'ok', `${TODAY}T00:00:00.000Z`],
      // failing since the first failing read of the first failing day
      ['salesforce', 'failing', '2026-11-29T01:15:00.000Z'],
    ]);
    const salesforce = crms.find((c) => c.crm === 'salesforce')!;
    expect(salesforce.counts).toEqual({ reads: 20, ok: 6, partial: 0, failing: 14 });
    expect(salesforce.topMissing).toEqual([
      { field: 'leadSource', count: 14 },
      { field: 'status', count: 14 },
    ]);
    expect(salesforce.members).toBe(2);
    expect(salesforce.adapterVersions).toEqual(['1.4.0']);
  });

  it("replaces a member's day when it is posted again (a growing day), and ignores days outside the kept window", async () => {
    const s = await healthServer();
    await s.post('demo-rep1-token', [day('hubspot', TODAY, { failing: 3 })]);
    const again = await s.post('demo-rep1-token', [day('hubspot', TODAY, { ok: 40, failing: 3 }), day('hubspot', '2026-10-01', { failing: 9 }), day('hubspot', '2026-12-05', { failing: 9 })]);
    expect(PostReadHealthResponseSchema.parse(await again.json())).toEqual({ stored: 1, ignored: 2 });
    expect(await countRows(s.db, 'SELECT 1 FROM read_health')).toBe(1);
    const [hubspot] = (await s.summary()).crms;
    expect(hubspot).toMatchObject({ crm: 'hubspot', status: 'ok', counts: { reads: 43, ok: 40, partial: 0, failing: 3 } });
  });

  it('refuses a request without a valid token, an integration token and a malformed day; only an admin reads the summary', async () => {
    const s = await healthServer();
    const days = [day('salesforce', TODAY, { ok: 1 })];
    expect((await s.post('no-such-token', days)).status).toBe(401);
    expect((await s.call(null, 'POST', '/v1/health/reads', { days })).status).toBe(401);
    const created = await s.call('demo-admin-token', 'POST', '/v1/admin/tokens', { name: 'MA', scopes: ['handoffs:write'] });
    const { secret } = (await created.json()) as { secret: string };
    const scoped = await s.post(secret, days);
    expect(scoped.status).toBe(403);
    expect(((await scoped.json()) as { error: { code: string } }).error.code).toBe('insufficient_scope');
    // counts that do not add up, or lead data where a field name goes, are not a day
    expect((await s.post('demo-rep1-token', [{ ...days[0]!, reads: 5 }])).status).toBe(400);
    expect((await s.post('demo-rep1-token', [{ ...days[0]!, missing: { ['x'.repeat(101)]: 1 } }])).status).toBe(400);
    expect(await countRows(s.db, 'SELECT 1 FROM read_health')).toBe(0);

    expect((await s.post('demo-rep1-token', days)).status).toBe(200);
    for (const token of ['demo-rep1-token', 'demo-marketer-token']) {
      const res = await s.call(token, 'GET', '/v1/admin/read-health');
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
    expect((await s.call(null, 'GET', '/v1/admin/read-health')).status).toBe(401);
  });

  it("keeps each team's reads to itself: another team's member posts into their own team, never the demo team", async () => {
    const s = await healthServer();
    const other = await createTeam(s.db, 'Other KK');
    const otherAdmin = await createToken(s.db, await createUser(s.db, { teamId: other, name: 'Other admin', role: 'admin' }));
    expect((await s.post(otherAdmin, [day('dynamics', TODAY, { failing: 30 })])).status).toBe(200);
    expect((await s.summary()).crms).toEqual([]);
    expect((await s.summary(otherAdmin)).crms.map((c) => [c.crm, c.status])).toEqual([['dynamics', 'failing']]);
  });
});

describe('the alert when a CRM starts failing', () => {
  const receiver = webhookReceivers();

  /** Seven quiet days of Salesforce reads before today (1 failing read in 30 a day). */
  const quietWeek = () => Array.from({ length: 7 }, (_, i) => day('salesforce', `2026-11-${String(23 + i).padStart(2, '0')}`, { ok: 29, failing: 1 }));

  it('enqueues one alert per channel when today has ≥ 20 reads, ≥ 30 % failing and ≥ 3× the week before, exactly once per CRM and day, and sends it', async () => {
    const hook = await receiver();
    const s = await healthServer();
    expect(
      (await s.call('demo-admin-token', 'PUT', '/v1/alerts/settings', { enabled: true, channels: { slack: { url: `${hook.base}/slack` }, webhook: { url: `${hook.base}/hook`, secret: SECRET } } }))
        .status,
    ).toBe(200);
    await s.post('demo-rep1-token', [...quietWeek(), day('salesforce', TODAY, { ok: 10, failing: 5 })]);
    // 5 of 15 failing: a third, but under 20 reads
    expect(await countRows(s.db, 'SELECT 1 FROM alert_outbox')).toBe(0);
    await s.post('demo-rep1-token', [day('salesforce', TODAY, { ok: 10, failing: 12 })]);
    expect(await countRows(s.db, "SELECT 1 FROM alert_outbox WHERE kind = 'read_health' AND alert_key = 'read-health|salesforce|2026-11-30'")).toBe(2);
    // more failing reads, from this member and another, later the same day: no second alert
    s.clock.now = new Date('2026-11-30T08:00:00Z');
    await s.post('demo-rep1-token', [day('salesforce', TODAY, { ok: 10, failing: 30 })]);
    await Promise.all([s.post('demo-rep2-token', [day('salesforce', TODAY, { failing: 25 })]), s.post('demo-rep2-token', [day('salesforce', TODAY, { failing: 26 })])]);
    expect(await countRows(s.db, 'SELECT 1 FROM alert_outbox')).toBe(2);

    const sent = await deliverDue(s.db, s.clock.now, { post: createPoster({ allowLocalTargets: true }), random: () => 0.5 });
    expect(sent).toEqual({ sent: 2, retrying: 0, failed: 0 });
    const generic = hook.requests.map((r) => JSON.parse(r.body) as { type?: string; text: string; crm?: string; share?: number }).find((b) => b.type === 'read_health.jump');
    expect(generic).toMatchObject({ crm: 'salesforce', reads: 22, failing: 12 });
    expect(generic?.text).toMatch(/^【読み取り異常】Salesforce：本日の読み取りの 55%（22 件中 12 件）が失敗しています（過去 7 日は 3%）。最初の失敗: /);
    const slack = hook.requests.map((r) => JSON.parse(r.body) as { text?: string; type?: string }).find((b) => b.type === undefined);
    expect(slack?.text).toBe(generic?.text);
    // the SLA deliveries list stays the SLA alerts'
    const deliveries = AlertDeliveriesResponseSchema.parse(await (await s.call('demo-admin-token', 'GET', '/v1/alerts/deliveries')).json());
    expect(deliveries.deliveries).toEqual([]);

    // the next day is another day: still all failing, three times the week's share with yesterday in it, one more alert
    s.clock.now = new Date('2026-12-01T02:00:00Z');
    await s.post('demo-rep1-token', [day('salesforce', '2026-12-01', { failing: 25 })]);
    expect(await countRows(s.db, "SELECT 1 FROM alert_outbox WHERE alert_key = 'read-health|salesforce|2026-12-01'")).toBe(2);
  });

  it('stays quiet for a CRM that was already failing as much the week before, and while alerts are off', async () => {
    const s = await healthServer();
    const failingWeek = Array.from({ length: 7 }, (_, i) => day('dynamics', `2026-11-${String(23 + i).padStart(2, '0')}`, { ok: 18, failing: 12 }));
    await s.post('demo-rep1-token', [...failingWeek, day('dynamics', TODAY, { ok: 10, failing: 20 })]);
    // alerts off: nothing, however bad
    await s.post('demo-rep1-token', [...quietWeek(), day('salesforce', TODAY, { failing: 40 })]);
    expect(await countRows(s.db, 'SELECT 1 FROM alert_outbox')).toBe(0);
    await s.call('demo-admin-token', 'PUT', '/v1/alerts/settings', { enabled: true, channels: { slack: { url: 'http://127.0.0.1:9/slack' } } });
    // 67 % failing today against 40 % the week before: under three times, no alert
    await s.post('demo-rep1-token', [day('dynamics', TODAY, { ok: 10, failing: 21 })]);
    expect(await countRows(s.db, 'SELECT 1 FROM alert_outbox')).toBe(0);
    await s.post('demo-rep1-token', [day('salesforce', TODAY, { failing: 41 })]);
    expect(await countRows(s.db, "SELECT 1 FROM alert_outbox WHERE alert_key = 'read-health|salesforce|2026-11-30'")).toBe(1);
  });
});

describe('migration 007', () => {
  it('upgrades a database holding 006 data: its SLA alerts keep their rows as kind sla and stay listed', async () => {
    const db = track(await freshDb({ migrated: false }));
    await migrate(db, { upTo: 6 });
    await db.exec(`INSERT INTO teams (id, name) VALUES ('team_old', 'Old Corp');
      INSERT INTO users (id, team_id, name, role) VALUES ('user_old_admin', 'team_old', '古川 一郎', 'admin');
      INSERT INTO alert_outbox (id, team_id, alert_key, channel, lead_key, clock, level, alert, next_attempt_at, created_at)
        VALUES ('alert_old', 'team_old', 'salesforce:00Q5g00000AbCdEEAV|acceptance|1|breached', 'slack', 'salesforce:00Q5g00000AbCdEEAV', 'acceptance', 'breached', '{"lead":{"name":"山田 太郎"}}', now(), now());`);
    expect(await migrate(db, { upTo: 7 })).toEqual([7]);
    expect((await db.query<{ kind: string }>('SELECT kind FROM alert_outbox')).rows).toEqual([{ kind: 'sla' }]);
    const token = await createToken(db, 'user_old_admin');
    const app = createApp({ db, config: { rateLimit: false } });
    const res = await app.request('/v1/alerts/deliveries', { headers: { authorization: `Bearer ${token}` } });
    expect(AlertDeliveriesResponseSchema.parse(await res.json()).deliveries.map((d) => [d.id, d.leadName])).toEqual([['alert_old', '山田 太郎']]);
    const posted = await app.request('/v1/health/reads', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ days: [day('salesforce', new Date().toISOString().slice(0, 10), { ok: 3 })] }),
    });
    expect(posted.status).toBe(200);
  });
});
