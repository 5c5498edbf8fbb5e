import { webhookReceivers } from './webhook-receiver';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR_JP, type BusinessCalendar } from '../../lib/domain/calendar';
import { DEFAULT_DEFINITION } from '../../lib/domain/definition';
import type { LeadEvent } from '../../lib/domain/events';
import { foldLead, type LeadState } from '../../lib/domain/lifecycle';
import { AlertDeliveriesResponseSchema, AlertSettingsResponseSchema } from '../../lib/protocol/alerts';
import { composeDigest, digestAll, digestDueDay } from '../../server/src/alerts/digest';
import type { DigestFacts } from '../../server/src/alerts/digest-facts';
import { digestGenericPayload, digestSlackPayload, digestTeamsPayload, digestText } from '../../server/src/alerts/messages';
import { deliverDue, watchAll } from '../../server/src/alerts/outbox';
import { createPoster } from '../../server/src/alerts/post';
import { startAlerts } from '../../server/src/alerts/service';
import { verifySignature } from '../../server/src/alerts/signature';
import { acceptedEvent, closingAfterEach, countRows, handedOverEvent } from './helpers';

const { server } = closingAfterEach();

/** Instants in Japan (the default calendar's zone). 2026-11-30 is a Monday; 2026-11-23 (Mon) is 勤労感謝の日. */
const jst = (local: string) => new Date(`${local}+09:00`);
const SF_LEAD = 'salesforce:00Q5g00000AbCdEEAV';
const SF_URL = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view';
const SECRET = 'test-shared-secret-0123456789';
const AT_NINE = { enabled: true, time: '09:00' };

describe('when the digest is due (digestDueDay)', () => {
  it('on a working day from its local time until closing, never on a weekend, a holiday or a closure', () => {
    const due = (local: string, digest: { enabled: boolean; time: string } | undefined = AT_NINE) => digestDueDay(digest, DEFAULT_CALENDAR_JP, jst(local));
    expect(due('2026-11-30T08:59:59')).toBeNull();
    expect(due('2026-11-30T09:00:00')).toBe('2026-11-30');
    expect(due('2026-11-30T17:59:00')).toBe('2026-11-30');
    // after closing a missed digest is stale: the next one is due tomorrow
    expect(due('2026-11-30T18:00:00')).toBeNull();
    expect(due('2026-11-28T10:00:00')).toBeNull(); // Saturday
    expect(due('2026-11-23T10:00:00')).toBeNull(); // 勤労感謝の日
    expect(due('2026-12-29T10:00:00')).toBeNull(); // 年末年始 closure
    expect(due('2026-11-30T10:00:00', { enabled: false, time: '09:00' })).toBeNull();
    expect(digestDueDay(undefined, DEFAULT_CALENDAR_JP, jst('2026-11-30T10:00:00'))).toBeNull();
    // a digest set before opening (08:30) or after closing (19:00: owed until local midnight)
    expect(due('2026-11-30T08:30:00', { enabled: true, time: '08:30' })).toBe('2026-11-30');
    expect(due('2026-11-30T23:59:00', { enabled: true, time: '19:00' })).toBe('2026-11-30');
    expect(due('2026-12-01T00:00:00', { enabled: true, time: '19:00' })).toBeNull();
  });

  it("reads the time and the day in the calendar's zone, across DST", () => {
    const ny: BusinessCalendar = { ...DEFAULT_CALENDAR_JP, timeZone: 'America/New_York', holidays: 'none', closures: [] };
    // 09:00 EST is 14:00 UTC
    expect(digestDueDay(AT_NINE, ny, new Date('2026-11-30T13:59:00Z'))).toBeNull();
    expect(digestDueDay(AT_NINE, ny, new Date('2026-11-30T14:00:00Z'))).toBe('2026-11-30');
    // 22:00 on Monday in New York is already Tuesday in UTC: the day is New York's
    expect(digestDueDay({ enabled: true, time: '19:00' }, ny, new Date('2026-12-01T03:00:00Z'))).toBe('2026-11-30');
    // the day after the spring change (Monday 2026-03-09), 09:00 EDT is 13:00 UTC
    expect(digestDueDay(AT_NINE, ny, new Date('2026-03-09T12:59:00Z'))).toBeNull();
    expect(digestDueDay(AT_NINE, ny, new Date('2026-03-09T13:00:00Z'))).toBe('2026-03-09');
    // a Japanese holiday is a working day on a calendar without Japanese holidays
    expect(digestDueDay(AT_NINE, { ...DEFAULT_CALENDAR_JP, holidays: 'none' }, jst('2026-11-23T10:00:00'))).toBe('2026-11-23');
  });
});

/** The team's leads at Monday 2026-11-30 12:00 JST, each folded from its events (8 business hours to accept, 18 to first contact). */
function teamLeads(): Map<string, LeadState> {
  const at = (local: string) => `${local}.000+09:00`;
  const handOver = (leadKey: string, local: string, owner?: string, lead: LeadEvent['lead'] = undefined): LeadEvent =>
    handedOverEvent({ leadKey, occurredAt: at(local), payload: { by: '田中 美咲', ...(owner ? { owner } : {}) }, ...(lead ? { lead } : {}) });
  const accept = (leadKey: string, local: string, actor: { id: string; name: string }) => acceptedEvent({ leadKey, occurredAt: at(local), actor });
  const sato = { id: 'user_sato', name: '佐藤 健' };
  const leads: Record<string, LeadEvent[]> = {
    // 鈴木: due today at 14:00 (Fri 15–18 is 3 h, Mon 9:00 + 5 h), overdue since Wed 18:00, and one waiting that is due tomorrow
    'hubspot:due-today': [handOver('hubspot:due-today', '2026-11-27T15:00:00', '鈴木 一郎', { name: '山田 太郎', company: '株式会社サンプル' })],
    'hubspot:overdue': [handOver('hubspot:overdue', '2026-11-25T10:00:00', '鈴木 一郎')],
    'hubspot:tomorrow': [handOver('hubspot:tomorrow', '2026-11-30T11:00:00', '鈴木 一郎')],
    // 佐藤 accepted on Thursday and has not called: first contact was due Monday 10:00
    [SF_LEAD]: [handOver(SF_LEAD, '2026-11-26T09:00:00', undefined, { name: '高橋 和子', url: SF_URL }), accept(SF_LEAD, '2026-11-26T10:00:00', sato)],
    // nobody owns this one yet: due today at 17:30
    'hubspot:unowned': [handOver('hubspot:unowned', '2026-11-30T09:30:00')],
    // 山本 accepted this morning: first contact due Wednesday, nothing for today
    'hubspot:fresh': [handOver('hubspot:fresh', '2026-11-30T09:00:00'), accept('hubspot:fresh', '2026-11-30T10:00:00', { id: 'user_yamamoto', name: '山本 花子' })],
  };
  return new Map(Object.entries(leads).map(([key, events]) => [key, foldLead(events)]));
}

describe('the digest (composeDigest)', () => {
  const now = jst('2026-11-30T12:00:00');
  const all = { clocks: ['acceptance', 'first_contact', 'status_update'] as const };

  it('lists per rep what waits for acceptance, is due today and is overdue; reps with nothing pending are left out', () => {
    const digest = composeDigest('2026-11-30', teamLeads(), DEFAULT_DEFINITION, { clocks: [...all.clocks] }, now);
    expect(digest).toMatchObject({ kind: 'digest', key: 'digest:2026-11-30', day: '2026-11-30', timeZone: 'Asia/Tokyo', at: now.toISOString() });
    // the unowned first, then by most overdue and due today; 山本 has nothing pending
    expect(digest.reps.map((r) => [r.owner, r.awaitingAcceptance, r.dueToday.count, r.overdue.count])).toEqual([
      [null, 1, 1, 0],
      ['鈴木 一郎', 3, 1, 1],
      ['佐藤 健', 0, 0, 1],
    ]);
    const suzuki = digest.reps[1]!;
    expect(suzuki.dueToday.leads).toEqual([
      { leadKey: 'hubspot:due-today', name: '山田 太郎', company: '株式会社サンプル', url: null, clock: 'acceptance', deadline: jst('2026-11-30T14:00:00').toISOString() },
    ]);
    expect(suzuki.overdue.leads).toEqual([expect.objectContaining({ leadKey: 'hubspot:overdue', clock: 'acceptance', deadline: jst('2026-11-25T18:00:00').toISOString() })]);
    // the link is the lead's own record page
    expect(digest.reps[2]!.overdue.leads).toEqual([{ leadKey: SF_LEAD, name: '高橋 和子', company: null, url: SF_URL, clock: 'first_contact', deadline: jst('2026-11-30T10:00:00').toISOString() }]);
  });

  it("counts only the clocks the team's alert rules select, and is empty when nothing is pending", () => {
    const acceptanceOnly = composeDigest('2026-11-30', teamLeads(), DEFAULT_DEFINITION, { clocks: ['acceptance'] }, now);
    expect(acceptanceOnly.reps.map((r) => r.owner)).toEqual([null, '鈴木 一郎']);
    const quiet = composeDigest('2026-11-30', new Map([...teamLeads()].filter(([key]) => key === 'hubspot:fresh')), DEFAULT_DEFINITION, { clocks: [...all.clocks] }, now);
    expect(quiet.reps).toEqual([]);
  });

  it('lists at most five leads per category and says how many more', () => {
    const many = new Map<string, LeadState>();
    for (let i = 0; i < 7; i++) {
      const key = `hubspot:late-${i}`;
      many.set(key, foldLead([handedOverEvent({ leadKey: key, occurredAt: `2026-11-2${i % 3}T10:00:00.000+09:00`, payload: { by: '田中 美咲', owner: '鈴木 一郎' } })]));
    }
    const digest = composeDigest('2026-11-30', many, DEFAULT_DEFINITION, { clocks: [...all.clocks] }, now);
    expect(digest.reps[0]!.overdue.count).toBe(7);
    expect(digest.reps[0]!.overdue.leads).toHaveLength(5);
    // longest overdue first
    expect(digest.reps[0]!.overdue.leads[0]!.deadline).toBe(jst('2026-11-20T18:00:00').toISOString());
    expect(digestSlackPayload(digest, 'ja').blocks[1]).toMatchObject({ text: { text: expect.stringContaining('期限超過: ほか 2 件') } });
    expect(digestSlackPayload(digest, 'en').blocks[1]).toMatchObject({ text: { text: expect.stringContaining('Overdue: and 2 more') } });
  });
});

describe('digest formats', () => {
  const digest = composeDigest('2026-11-30', teamLeads(), DEFAULT_DEFINITION, { clocks: ['acceptance', 'first_contact', 'status_update'] }, jst('2026-11-30T12:00:00'));
  const empty: DigestFacts = { ...digest, reps: [] };

  it('sums the day up in one line, in Japanese or English; a day with nothing pending says so', () => {
    expect(digestText(digest, 'ja')).toBe('【SLA ダイジェスト】11/30(月)：受領待ち 4 件・本日期限 2 件・期限超過 2 件');
    expect(digestText(digest, 'en')).toBe('[SLA digest] Mon, 11/30: 4 awaiting acceptance · 2 due today · 2 overdue');
    expect(digestText(empty, 'ja')).toBe('【SLA ダイジェスト】11/30(月)：受領待ち・本日期限・期限超過のリードはありません');
    expect(digestText(empty, 'en')).toBe('[SLA digest] Mon, 11/30: nothing awaiting acceptance, due today or overdue');
  });

  it('Slack: a section per rep with lead names, deadlines and record links', () => {
    const slack = digestSlackPayload(digest, 'ja');
    expect(slack.text).toBe(digestText(digest, 'ja'));
    expect(slack.blocks).toHaveLength(4);
    const texts = slack.blocks.map((b) => (b as { text: { text: string } }).text.text);
    expect(texts[1]).toBe('*担当者なし*\n受領待ち 1 件・本日期限 1 件・期限超過 0 件\n本日期限: hubspot:unowned 受領 17:30');
    expect(texts[2]).toContain('本日期限: 山田 太郎（株式会社サンプル） 受領 14:00');
    expect(texts[2]).toContain('期限超過: hubspot:overdue 受領 11/25(水) 18:00 JST');
    expect(texts[3]).toContain(`期限超過: <${SF_URL}|高橋 和子> 初回接触 11/30(月) 10:00 JST`);
    expect(digestSlackPayload(empty, 'en').blocks).toHaveLength(1);
  });

  it('Teams: an Adaptive Card with the summary and each rep, links in Markdown', () => {
    const card = digestTeamsPayload(digest, 'en').attachments[0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const texts = card.content.body.map((b) => (b as { text: string }).text);
    expect(texts[0]).toBe(digestText(digest, 'en'));
    expect(texts).toContain('No owner yet');
    expect(texts.join('\n')).toContain(`Overdue: [高橋 和子](${SF_URL}) first contact Mon, 11/30, 10:00 JST`);
  });

  it("stays within Slack's and Teams' size limits for a large team, and says how many reps are left out", () => {
    const longUrl = `https://acme.crm.dynamics.com/main.aspx?appid=${'a'.repeat(200)}&pagetype=entityrecord&etn=lead&id=`;
    const lead = (i: number) => ({
      leadKey: `dynamics:${i}`,
      name: `${'長い名前'.repeat(30)} ${i}`,
      company: null,
      url: `${longUrl}${i}`,
      clock: 'acceptance' as const,
      deadline: jst('2026-11-27T18:00:00').toISOString(),
    });
    const reps = Array.from({ length: 60 }, (_, r) => ({
      owner: `営業 ${r}`,
      awaitingAcceptance: 9,
      dueToday: { count: 9, leads: [1, 2, 3, 4, 5].map((i) => lead(r * 100 + i)) },
      overdue: { count: 9, leads: [6, 7, 8, 9, 10].map((i) => lead(r * 100 + i)) },
    }));
    const large: DigestFacts = { ...digest, reps };
    const slack = digestSlackPayload(large, 'ja');
    expect(slack.blocks.length).toBeLessThanOrEqual(50);
    for (const block of slack.blocks.slice(1, -1)) expect((block as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(slack.blocks.at(-1))).toContain('ほか 20 名');
    const card = digestTeamsPayload(large, 'en');
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);
    const texts = card.attachments[0]!.content.body.map((b) => (b as { text: string }).text);
    const listed = texts.filter((text) => /^営業 \d+$/.test(text)).length;
    expect(listed).toBeGreaterThan(0);
    expect(texts.at(-1)).toBe(`and ${60 - listed} more reps`);
  });

  it('the generic webhook: version 1 with totals, every rep and their listed leads', () => {
    const body = digestGenericPayload(digest, 'ja', { id: 'alert_X', teamId: 'team_demo', createdAt: '2026-11-30T03:00:00.000Z' });
    expect(body).toMatchObject({
      schema: 'sal-bridge.alert',
      version: 1,
      id: 'alert_X',
      type: 'digest.daily',
      team: { id: 'team_demo' },
      day: '2026-11-30',
      timeZone: 'Asia/Tokyo',
      totals: { awaitingAcceptance: 4, dueToday: 2, overdue: 2 },
      text: digestText(digest, 'ja'),
    });
    expect(body.reps[2]).toEqual({
      owner: '佐藤 健',
      awaitingAcceptance: 0,
      dueToday: { count: 0, leads: [] },
      overdue: { count: 1, leads: [{ key: SF_LEAD, name: '高橋 和子', company: null, url: SF_URL, clock: 'first_contact', deadline: jst('2026-11-30T10:00:00').toISOString() }] },
    });
  });
});

const receiver = webhookReceivers();

describe('the digest on the server', () => {
  async function digestServer() {
    const clock = { now: jst('2026-11-27T09:00:00') };
    const s = await server({ now: () => clock.now, alerts: { allowLocalTargets: true } });
    const at = (local: string) => (clock.now = jst(local));
    const handOver = async (local: string, overrides: Partial<LeadEvent> & Record<string, unknown>) => {
      at(local);
      const res = await s.call('demo-marketer-token', 'POST', '/v1/events', { events: [handedOverEvent({ occurredAt: `${local}.000+09:00`, ...overrides })] });
      expect(((await res.json()) as { results: { status: string }[] }).results[0]?.status).toBe('accepted');
    };
    return { ...s, clock, at, handOver };
  }

  it('saves the digest with the alert settings (audited) and reads it back', async () => {
    const s = await digestServer();
    const put = await s.call('demo-admin-token', 'PUT', '/v1/alerts/settings', { enabled: true, rules: { digest: { enabled: true, time: '08:30' } } });
    expect(AlertSettingsResponseSchema.parse(await put.json()).rules.digest).toEqual({ enabled: true, time: '08:30' });
    expect(AlertSettingsResponseSchema.parse(await (await s.call('demo-admin-token', 'GET', '/v1/alerts/settings')).json()).rules.digest).toEqual({ enabled: true, time: '08:30' });
    expect((await s.call('demo-admin-token', 'PUT', '/v1/alerts/settings', { enabled: true, rules: { digest: { enabled: true, time: '25:00' } } })).status).toBe(400);
    const audit = (await (await s.call('demo-admin-token', 'GET', '/v1/admin/audit')).json()) as { entries: { action: string; detail: { rules: { digest?: unknown } } }[] };
    expect(audit.entries.filter((e) => e.action === 'alerts.saved').map((e) => e.detail.rules.digest)).toEqual([{ enabled: true, time: '08:30' }]);
  });

  it('enqueues one digest per day and channel across passes, restarts and two instances, and posts it to the channels, signed', async () => {
    const hook = await receiver();
    const s = await digestServer();
    const configured = await s.call('demo-admin-token', 'PUT', '/v1/alerts/settings', {
      enabled: true,
      channels: { slack: { url: `${hook.base}/slack` }, webhook: { url: `${hook.base}/hook`, secret: SECRET } },
      rules: { digest: { enabled: true, time: '09:00' } },
    });
    expect(configured.status).toBe(200);
    await s.handOver('2026-11-27T15:00:00', { leadKey: 'hubspot:1', lead: { name: '山田 太郎' }, payload: { by: '田中 美咲', owner: '鈴木 一郎' } });
    const digestRows = () => countRows(s.db, "SELECT 1 FROM alert_outbox WHERE kind = 'digest'");

    // Saturday, Sunday and Monday before nine: nothing
    for (const t of ['2026-11-28T10:00:00', '2026-11-29T10:00:00', '2026-11-30T08:59:00']) await digestAll(s.db, s.at(t));
    expect(await digestRows()).toBe(0);

    // two instances' passes at the same moment, then more passes and a restarted server (a new handle)
    const now = s.at('2026-11-30T09:00:30');
    const [a, b] = await Promise.all([digestAll(s.db, now), digestAll(s.db, now)]);
    expect((a.added.get('team_demo') ?? 0) + (b.added.get('team_demo') ?? 0)).toBe(2);
    await digestAll({ ...s.db }, s.at('2026-11-30T09:01:30'));
    await digestAll(s.db, s.at('2026-11-30T11:00:00'));
    expect(await countRows(s.db, "SELECT 1 FROM alert_outbox WHERE kind = 'digest' AND alert_key = 'digest:2026-11-30'")).toBe(2);

    // the service (watcher pass, digest, sender) on two instances: each channel gets it once
    const config = { allowLocalTargets: true, watchEveryMs: 3_600_000, sendEveryMs: 3_600_000 };
    const one = startAlerts({ db: s.db, now: () => s.clock.now, config });
    const two = startAlerts({ db: s.db, now: () => s.clock.now, config });
    await Promise.all([one.tick(), two.tick()]);
    await Promise.all([one.stop(), two.stop()]);
    expect(hook.requests.map((r) => r.path).sort()).toEqual(['/hook', '/slack']);

    const slack = JSON.parse(hook.requests.find((r) => r.path === '/slack')!.body) as { text: string; blocks: { text: { text: string } }[] };
    expect(slack.text).toBe('【SLA ダイジェスト】11/30(月)：受領待ち 1 件・本日期限 1 件・期限超過 0 件');
    expect(slack.blocks[1]!.text.text).toBe('*鈴木 一郎*\n受領待ち 1 件・本日期限 1 件・期限超過 0 件\n本日期限: 山田 太郎 受領 14:00');
    const hookReq = hook.requests.find((r) => r.path === '/hook')!;
    const body = JSON.parse(hookReq.body) as { id: string; type: string; day: string };
    expect(body).toMatchObject({ type: 'digest.daily', day: '2026-11-30' });
    expect(hookReq.headers['idempotency-key']).toBe(body.id);
    expect(verifySignature(SECRET, hookReq.headers['x-sal-signature'] as string, hookReq.headers['x-sal-timestamp'] as string, hookReq.body, Math.floor(s.clock.now.getTime() / 1000))).toBe(true);

    // the watcher's SLA alerts are not disturbed, and the next working day has its own digest
    await watchAll(s.db, s.at('2026-12-01T09:00:00'));
    await digestAll(s.db, s.clock.now);
    expect(await countRows(s.db, "SELECT 1 FROM alert_outbox WHERE kind = 'digest' AND alert_key = 'digest:2026-12-01'")).toBe(2);
    await deliverDue(s.db, s.clock.now, { post: createPoster({ allowLocalTargets: true }), random: () => 0.5 });

    // admins see the digest deliveries in the log
    const list = AlertDeliveriesResponseSchema.parse(await (await s.call('demo-admin-token', 'GET', '/v1/alerts/deliveries')).json()).deliveries;
    expect(list.filter((d) => d.kind === 'digest' && d.status === 'sent')).toHaveLength(4);
    expect(list.filter((d) => d.kind === 'digest').every((d) => d.clock === null && d.level === null)).toBe(true);
  });

  it('sends nothing while alerts are off or the digest is off', async () => {
    const s = await digestServer();
    await s.call('demo-admin-token', 'PUT', '/v1/alerts/settings', { enabled: false, channels: { slack: { url: 'http://127.0.0.1:9/slack' } }, rules: { digest: { enabled: true, time: '09:00' } } });
    await digestAll(s.db, s.at('2026-11-30T10:00:00'));
    await s.call('demo-admin-token', 'PUT', '/v1/alerts/settings', { enabled: true, rules: { digest: { enabled: false, time: '09:00' } } });
    await digestAll(s.db, s.at('2026-11-30T10:01:00'));
    expect(await countRows(s.db, 'SELECT 1 FROM alert_outbox')).toBe(0);
  });
});
