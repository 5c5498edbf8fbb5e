import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PullResponseSchema, PushResponseSchema } from '../../lib/protocol/http';
import { createToken, seedDemo } from '../../server/src/admin';
import { createApp } from '../../server/src/app';
import { listMigrations, migrate } from '../../server/src/db/index';
import { acceptedEvent, closingAfterEach, freshDb } from './helpers';

const { track } = closingAfterEach();

describe('SQL migrations', () => {
  it('are numbered without gaps and applied once, in order', async () => {
    const versions = listMigrations().map((m) => m.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    const db = track(await freshDb({ migrated: false }));
    expect(await migrate(db)).toEqual(versions);
    expect(await migrate(db)).toEqual([]);
    const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => Number(r.version))).toEqual(versions);
  });

  it('upgrade a database holding 001 data with that data intact and usable by the server', async () => {
    const db = track(await freshDb({ migrated: false }));
    await migrate(db, { upTo: 1 });
    await db.exec(readFileSync(new URL('./fixtures/001_initial.sql', import.meta.url), 'utf8'));
    expect(await migrate(db)).toEqual(
      listMigrations()
        .map((m) => m.version)
        .filter((v) => v > 1),
    );

    const { rows } = await db.query<{ submitted_by: string }>('SELECT submitted_by FROM events ORDER BY seq');
    expect(rows.map((r) => r.submitted_by)).toEqual(['user_old_rep', 'user_old_rep']);

    const token = await createToken(db, 'user_old_rep');
    const app = createApp({ db, config: { rateLimit: false } });
    const auth = { authorization: `Bearer ${token}` };
    const before = PullResponseSchema.parse(await (await app.request('/v1/events', { headers: auth })).json());
    expect(before.events.map((e) => [e.seq, e.event.type, e.event.actor.name])).toEqual([
      [1, 'accepted', '古川 一郎'],
      [2, 'contacted', '古川 一郎'],
    ]);
    expect(before.events[0]!.event.occurredAt).toBe('2026-01-05T09:00:00+09:00');
    // the team's counter carried over: new events continue after the old ones
    const pushed = await app.request('/v1/events', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [acceptedEvent({ actor: { id: 'user_old_rep', name: '古川 一郎' } })] }),
    });
    expect(PushResponseSchema.parse(await pushed.json()).results[0]).toMatchObject({ status: 'accepted', seq: 3 });
  });

  it('upgrade a database holding 002 data: an epoch, local actors bound to their first submitter, names from the members', async () => {
    const db = track(await freshDb({ migrated: false }));
    await migrate(db, { upTo: 2 });
    await db.exec(readFileSync(new URL('./fixtures/002_settings.sql', import.meta.url), 'utf8'));
    expect(await migrate(db)).toEqual(
      listMigrations()
        .map((m) => m.version)
        .filter((v) => v > 2),
    );

    const { rows: bindings } = await db.query<{ actor_id: string; user_id: string }>('SELECT actor_id, user_id FROM local_actors');
    expect(bindings).toEqual([{ actor_id: 'local-01JD00000000000000000000AA', user_id: 'user_old_a' }]);

    const tokenA = await createToken(db, 'user_old_a');
    const tokenB = await createToken(db, 'user_old_b');
    const app = createApp({ db, config: { rateLimit: false } });
    const get = (token: string, path: string) => app.request(path, { headers: { authorization: `Bearer ${token}` } });
    const before = PullResponseSchema.parse(await (await get(tokenA, '/v1/events')).json());
    expect(before.events.map((e) => [e.seq, e.event.actor.name])).toEqual([
      [1, '古川 一郎'],
      [2, '森 二郎'],
      [3, '森 二郎'],
    ]);
    expect(before.nextCursor).toMatch(/^[0-9a-f]{32}\.3$/);
    // a client of the old server keeps its bare-number position
    const resumed = PullResponseSchema.parse(await (await get(tokenA, '/v1/events?since=2')).json());
    expect(resumed.events.map((e) => e.seq)).toEqual([3]);

    const push = async (token: string, actor: { id: string; name: string }) => {
      const res = await app.request('/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [acceptedEvent({ actor, occurredAt: new Date().toISOString() })] }),
      });
      return PushResponseSchema.parse(await res.json()).results[0];
    };
    const local = { id: 'local-01JD00000000000000000000AA', name: '' };
    expect(await push(tokenB, local)).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^actor_mismatch: /) });
    expect(await push(tokenA, local)).toMatchObject({ status: 'accepted', seq: 4 });
  });
  it('upgrade a database holding 003 data to 004 (shared rate limits), and an instance keeps serving while the later migrations run', async () => {
    const db = track(await freshDb({ migrated: false }));
    await migrate(db, { upTo: 3 });
    await seedDemo(db);
    // This code base cannot play an instance of the 003 version any more (sign-in, 005, changed
    // how tokens are looked up), so the instance serving during the migration is today's, on a
    // database up to 005, with its limits in memory as before 004, while 006 and later run.
    expect(await migrate(db, { upTo: 5 })).toEqual([4, 5]);
    const old = createApp({ db, config: { rateLimitStore: 'memory' } });
    const push = (app: ReturnType<typeof createApp>) =>
      app.request('/v1/events', {
        method: 'POST',
        headers: { authorization: 'Bearer demo-rep1-token', 'content-type': 'application/json' },
        body: JSON.stringify({ events: [acceptedEvent()] }),
      });
    expect((await push(old)).status).toBe(200);
    const [during, applied] = await Promise.all([push(old), migrate(db)]);
    // every migration after 005, all while that instance serves
    expect(applied).toEqual(
      listMigrations()
        .map((m) => m.version)
        .filter((v) => v > 5),
    );
    expect(during.status).toBe(200);
    expect((await push(old)).status).toBe(200);
    const upgraded = createApp({ db, config: { rateLimitStore: 'database' } });
    expect((await push(upgraded)).status).toBe(200);
    const pulled = PullResponseSchema.parse(await (await upgraded.request('/v1/events', { headers: { authorization: 'Bearer demo-rep2-token' } })).json());
    expect(pulled.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    // the upgraded instance's limits are shared: one bucket per token it served (rep1 pushed, rep2 pulled)
    const { rows } = await db.query<{ key: string }>('SELECT key FROM rate_buckets');
    expect(rows.map((r) => r.key)).toEqual([expect.stringMatching(/^token:[0-9a-f]{64}$/), expect.stringMatching(/^token:[0-9a-f]{64}$/)]);
  });

  it('upgrade a database holding 003 data to sign-in: tokens keep working and get ids, users are active members, nothing is signed in yet', async () => {
    const db = track(await freshDb({ migrated: false }));
    await migrate(db, { upTo: 3 });
    await db.exec(`INSERT INTO teams (id, name) VALUES ('team_old', 'Old Corp');
      INSERT INTO users (id, team_id, name, role) VALUES ('user_old_admin', 'team_old', '古川 一郎', 'admin'), ('user_old_rep', 'team_old', '森 二郎', 'rep');
      INSERT INTO tokens (hash, user_id) VALUES ('${'a'.repeat(64)}', 'user_old_rep');`);
    const token = await createToken(db, 'user_old_admin');
    expect(await migrate(db)).toEqual(
      listMigrations()
        .map((m) => m.version)
        .filter((v) => v > 3),
    );
    const { rows: tokens } = await db.query<{ id: string; scopes: unknown }>('SELECT id, scopes FROM tokens ORDER BY id');
    expect(tokens).toHaveLength(2);
    expect(new Set(tokens.map((t) => t.id)).size).toBe(2);
    for (const t of tokens) expect(t).toMatchObject({ id: expect.stringMatching(/^tok_[0-9a-f]{32}$/), scopes: null });
    const app = createApp({ db, config: { rateLimit: false } });
    const members = await app.request('/v1/admin/members', { headers: { authorization: `Bearer ${token}` } });
    expect(((await members.json()) as { members: { id: string; status: string }[] }).members.map((m) => [m.id, m.status])).toEqual([
      ['user_old_admin', 'active'],
      ['user_old_rep', 'active'],
    ]);
    expect(await db.query('SELECT 1 FROM sessions')).toEqual({ rows: [] });
  });

  it('upgrade a database holding 008 alerts to the digest (009): queued SLA and read-health rows stay and are listed, digest rows are admitted, unknown kinds still refused', async () => {
    const db = track(await freshDb({ migrated: false }));
    await migrate(db, { upTo: 8 });
    await seedDemo(db);
    await db.exec(`INSERT INTO alert_settings (team_id, enabled, channels, rules, enabled_at, updated_at) VALUES ('team_demo', true, '{"slack":{"url":"https://hooks.slack.com/x"}}', '{"language":"en"}', now(), now());
      INSERT INTO alert_outbox (id, team_id, alert_key, channel, lead_key, clock, level, alert, next_attempt_at, created_at) VALUES
        ('alert_old_sla', 'team_demo', 'hubspot:1|acceptance|1|breached', 'slack', 'hubspot:1', 'acceptance', 'breached', '{"lead":{"name":"古川 一郎"}}', now(), now());
      INSERT INTO alert_outbox (id, team_id, alert_key, channel, lead_key, clock, level, alert, next_attempt_at, created_at, kind) VALUES
        ('alert_old_rh', 'team_demo', 'read-health|salesforce|2026-11-30', 'slack', '', 'read_health', 'warning', '{"kind":"read_health"}', now(), now(), 'read_health');`);
    expect(await migrate(db)).toEqual([
      9,
      ...listMigrations()
        .map((m) => m.version)
        .filter((v) => v > 9),
    ]);
    const { rows } = await db.query<{ id: string; kind: string }>('SELECT id, kind FROM alert_outbox ORDER BY id');
    expect(rows).toEqual([
      { id: 'alert_old_rh', kind: 'read_health' },
      { id: 'alert_old_sla', kind: 'sla' },
    ]);
    const insert = (id: string, kind: string) =>
      db.query(
        `INSERT INTO alert_outbox (id, team_id, alert_key, channel, lead_key, clock, level, alert, next_attempt_at, created_at, kind) VALUES ($1, 'team_demo', $1, 'slack', '', 'digest', 'warning', '{"kind":"digest"}', now(), now(), $2)`,
        [id, kind],
      );
    await insert('digest:2026-11-30', 'digest');
    await expect(insert('other:2026-11-30', 'other')).rejects.toThrow(/alert_outbox_kind_check/);
    // the stored rules (no digest in them) still read, and the old row is in the admin's log
    const app = createApp({ db, config: { rateLimit: false } });
    const auth = { headers: { authorization: 'Bearer demo-admin-token' } };
    expect(((await (await app.request('/v1/alerts/settings', auth)).json()) as { rules: { language: string; digest?: unknown } }).rules).toMatchObject({ language: 'en' });
    const deliveries = ((await (await app.request('/v1/alerts/deliveries', auth)).json()) as { deliveries: { id: string; kind: string }[] }).deliveries;
    expect(deliveries.map((d) => [d.id, d.kind]).sort()).toEqual([
      ['alert_old_sla', 'sla'],
      ['digest:2026-11-30', 'digest'],
    ]);
  });
});
