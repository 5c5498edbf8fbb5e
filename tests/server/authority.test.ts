import { describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { DEFAULT_DEFINITION, type SalDefinition } from '../../lib/domain/definition';
import type { LeadEvent } from '../../lib/domain/events';
import { PullResponseSchema, PushResponseSchema, SettingsResponseSchema } from '../../lib/protocol/http';
import { createToken, createUser } from '../../server/src/admin';
import { acceptedEvent, closingAfterEach, handedOverEvent } from './helpers';

const REP1 = 'demo-rep1-token';
const REP2 = 'demo-rep2-token';
const MARKETER = 'demo-marketer-token';
const ADMIN = 'demo-admin-token';
const REP2_ACTOR = { id: 'user_demo_rep2', name: '鈴木 花子' };
const servers = closingAfterEach();
/** A server whose clock the test moves (`clock.t`, ms). */
async function server(start = '2026-11-24T00:00:00Z') {
  const clock = { t: Date.parse(start) };
  const s = await servers.server({ now: () => new Date(clock.t) });
  const push = async (token: string, events: unknown[]) => {
    const res = await s.call(token, 'POST', '/v1/events', { events });
    expect(res.status).toBe(200);
    return PushResponseSchema.parse(await res.json()).results;
  };
  return { ...s, clock, push };
}
const at = (iso: string) => new Date(iso).toISOString();
const retract = (target: LeadEvent, overrides: Partial<LeadEvent> & Record<string, unknown> = {}) => acceptedEvent({ type: 'retracted', payload: { targetEventId: target.id }, ...overrides } as never);

describe('when: the server receive time', () => {
  it('refuses an occurredAt more than MAX_CLOCK_SKEW_MS after the server time, takes one within it', async () => {
    const { push } = await server('2026-11-24T00:00:00Z');
    const results = await push(REP1, [
      acceptedEvent({ occurredAt: '2026-11-24T00:05:01Z' }),
      acceptedEvent({ occurredAt: '2099-01-01T00:00:00Z' }),
      acceptedEvent({ occurredAt: '2026-11-24T00:04:59Z' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'accepted']);
    expect(results[0]!.reason).toMatch(/^occurred_in_future: /);
    expect(results[2]!.receivedAt).toBe('2026-11-24T00:00:00.000Z');
  });

  it("refuses an undo of another member's event (not_own_event) and one judged after the undo window (undo_window_passed)", async () => {
    const { push, clock } = await server('2026-11-24T00:00:00Z');
    const decision = acceptedEvent({ occurredAt: at('2026-11-24T00:00:00Z') });
    await push(REP1, [decision]);

    clock.t += 60_000;
    const byOther = await push(REP2, [retract(decision, { actor: REP2_ACTOR, occurredAt: at('2026-11-24T00:01:00Z') })]);
    expect(byOther[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^not_own_event: /) });

    // dated inside the 10-minute window, but received 20 minutes later: judged at 00:15
    clock.t = Date.parse('2026-11-24T00:20:00Z');
    const backdated = await push(REP1, [retract(decision, { occurredAt: at('2026-11-24T00:02:00Z') })]);
    expect(backdated[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^undo_window_passed: /) });

    const unknown = await push(REP1, [retract(acceptedEvent())]);
    expect(unknown[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^invalid: /) });
  });

  it('takes an undo within the window, also of an event earlier in the same batch', async () => {
    const { push, clock } = await server('2026-11-24T00:00:00Z');
    const decision = acceptedEvent({ occurredAt: at('2026-11-24T00:00:00Z') });
    await push(REP1, [decision]);
    clock.t += 9 * 60_000;
    expect((await push(REP1, [retract(decision, { occurredAt: at('2026-11-24T00:09:00Z') })]))[0]?.status).toBe('accepted');
    const other = acceptedEvent({ occurredAt: at('2026-11-24T00:09:00Z') });
    const both = await push(REP1, [other, retract(other, { occurredAt: at('2026-11-24T00:09:30Z') })]);
    expect(both.map((r) => r.status)).toEqual(['accepted', 'accepted']);
  });
});

describe('who: local-only actors and display names', () => {
  it('binds a local-… actor to the first member who pushes it, refuses it from anyone else and names it after that member', async () => {
    const { push, call } = await server();
    const local = { id: `local-${ulid()}`, name: '社長' };
    const first = acceptedEvent({ actor: local });
    expect((await push(REP1, [first]))[0]?.status).toBe('accepted');
    const hijack = await push(REP2, [acceptedEvent({ actor: local })]);
    expect(hijack[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^actor_mismatch: /) });
    // the owner may keep pushing under it, and re-sending the first event is a duplicate despite the name
    const again = await push(REP1, [first, acceptedEvent({ actor: local })]);
    expect(again.map((r) => r.status)).toEqual(['duplicate', 'accepted']);

    const pulled = PullResponseSchema.parse(await (await call(REP2, 'GET', '/v1/events')).json());
    expect(pulled.events.map((e) => e.event.actor)).toEqual([
      { id: local.id, name: '佐藤 健' },
      { id: local.id, name: '佐藤 健' },
    ]);
  });

  it("replaces a made-up display name on the caller's own id with the member's name", async () => {
    const { push, call } = await server();
    await push(REP1, [acceptedEvent({ actor: { id: 'user_demo_rep1', name: '鈴木 花子' } })]);
    const pulled = PullResponseSchema.parse(await (await call(REP2, 'GET', '/v1/events')).json());
    expect(pulled.events[0]!.event.actor).toEqual({ id: 'user_demo_rep1', name: '佐藤 健' });
  });
});

describe('what: roles', () => {
  it('lets reps decide and marketers hand over, refusing each the other with forbidden_role', async () => {
    const { push } = await server();
    const byMarketer = await push(MARKETER, [acceptedEvent({ actor: { id: 'user_demo_marketer', name: '' } }), handedOverEvent()]);
    expect(byMarketer.map((r) => r.status)).toEqual(['rejected', 'accepted']);
    expect(byMarketer[0]!.reason).toMatch(/^forbidden_role: /);
    const byRep = await push(REP1, [handedOverEvent({ actor: { id: 'user_demo_rep1', name: '' } }), acceptedEvent()]);
    expect(byRep.map((r) => r.status)).toEqual(['rejected', 'accepted']);
    expect(byRep[0]!.reason).toMatch(/^forbidden_role: a rep may not record handed_over/);
  });

  it("takes the review meeting's outcome from a marketer and a manager, refuses it from a rep, and it syncs like every event", async () => {
    const { push, call, db } = await server();
    const manager = await createUser(db, { teamId: 'team_demo', name: '部長', role: 'manager' });
    const token = await createToken(db, manager);
    const review = (actor: { id: string; name: string }) => acceptedEvent({ id: ulid(), type: 'reviewed', actor, payload: { outcome: 'fix_data', note: '連絡先を確認して再送' } } as never);
    expect((await push(REP1, [review({ id: 'user_demo_rep1', name: '' })]))[0]).toMatchObject({ status: 'rejected', reason: 'forbidden_role: a rep may not record reviewed' });
    expect((await push(MARKETER, [review({ id: 'user_demo_marketer', name: '' })]))[0]?.status).toBe('accepted');
    expect((await push(token, [review({ id: manager, name: '' })]))[0]?.status).toBe('accepted');
    const pulled = PullResponseSchema.parse(await (await call(REP2, 'GET', '/v1/events')).json());
    expect(pulled.events.map((e) => [e.event.type, e.event.type === 'reviewed' ? e.event.payload.outcome : null])).toEqual([
      ['reviewed', 'fix_data'],
      ['reviewed', 'fix_data'],
    ]);
  });

  it("refuses a manager's decision by default and takes it once the team's definition widens the role", async () => {
    const { push, call, db } = await server();
    const manager = await createUser(db, { teamId: 'team_demo', name: '部長', role: 'manager' });
    const token = await createToken(db, manager);
    const decide = () => acceptedEvent({ id: ulid(), actor: { id: manager, name: '' } });
    expect((await push(token, [decide()]))[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^forbidden_role: /) });
    const widened: SalDefinition = { ...DEFAULT_DEFINITION, rolePermissions: { manager: ['accepted'] } };
    expect((await call(ADMIN, 'PUT', '/v1/settings', { activeDefinition: widened })).status).toBe(200);
    expect((await push(token, [decide()]))[0]?.status).toBe('accepted');
  });

  it('answers 403 to a hand-off upload from a role that may not hand over', async () => {
    const { call } = await server();
    for (const [token, status] of [
      [REP1, 403],
      [MARKETER, 200],
      [ADMIN, 200],
    ] as const) {
      const res = await call(token, 'POST', '/v1/handoffs', [{ crm: 'custom', recordId: `L-${token}`, by: 'MA' }]);
      expect(res.status, token).toBe(status);
    }
  });
});

describe('definition versions are never reused', () => {
  const stricter: SalDefinition = { ...DEFAULT_DEFINITION, data: { ...DEFAULT_DEFINITION.data, minScore: 70 } };

  it("gives a team's first saved definition a number above the built-in default's", async () => {
    const { push, call } = await server();
    await push(REP1, [acceptedEvent({ definitionVersion: DEFAULT_DEFINITION.version })]);
    const saved = SettingsResponseSchema.parse(await (await call(ADMIN, 'PUT', '/v1/settings', { activeDefinition: stricter })).json());
    expect(saved.activeDefinition.version).toBe(DEFAULT_DEFINITION.version + 1);
    expect(saved.definitions.map((d) => d.version)).toEqual([DEFAULT_DEFINITION.version + 1]);
  });

  it('numbers it above any version the team’s events carry, and refuses events under a version the team does not have', async () => {
    const { push, call, db } = await server();
    // recorded by a server from before versions were checked
    const legacy = acceptedEvent({ definitionVersion: 5 });
    await db.query(
      `INSERT INTO events (team_id, seq, id, lead_key, type, actor_id, occurred_at, received_at, body, submitted_by)
       VALUES ('team_demo', 1, $1, $2, 'accepted', 'user_demo_rep1', $3, $3, $4::jsonb, 'user_demo_rep1')`,
      [legacy.id, legacy.leadKey, legacy.occurredAt, JSON.stringify(legacy)],
    );
    await db.query("UPDATE teams SET last_seq = 1 WHERE id = 'team_demo'");
    const saved = SettingsResponseSchema.parse(await (await call(ADMIN, 'PUT', '/v1/settings', { activeDefinition: stricter })).json());
    expect(saved.activeDefinition.version).toBe(6);
    const results = await push(REP1, [acceptedEvent({ definitionVersion: 6 }), acceptedEvent({ definitionVersion: 7 })]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'rejected']);
    expect(results[1]!.reason).toMatch(/^invalid: definitionVersion 7/);
  });
});
