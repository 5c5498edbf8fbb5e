import { describe, expect, it, vi } from 'vitest';
import { badgeTipText, createListBadgeCache, createListStyler, LIST_BADGE_TTL_MS, listCss } from '../../../lib/background/list-statuses';
import { recordRead } from '../../../lib/background/read-health';
import { writeKv } from '../../../lib/db/kv';
import { INITIAL_SYNC_STATE, syncStateKv } from '../../../lib/sync/engine';
import { prefsKv } from '../../../lib/settings/prefs';
import { listReadHealth } from '../../../lib/domain/read-health';
import { makeLeadKey } from '../../../lib/domain/lead-key';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { BADGE_COLORS } from '../../../lib/domain/badge';
import { createTranslator } from '../../../lib/i18n';
import { SalDatabase } from '../../../lib/db/schema';
import { storeServerEvents } from '../../../lib/db/events-repo';
import { accepted, handedOver, rejected, REP_A } from '../domain/builders';

const formatAt = (d: Date) => d.toISOString().slice(5, 16);
const deadline = new Date('2026-12-01T01:00:00Z');

describe('badgeTipText', () => {
  it('words each fact on its own line, in Japanese', () => {
    const t = createTranslator('ja');
    expect(
      badgeTipText(
        '受領待ち',
        { clock: { kind: 'acceptance', deadline, remainingMs: (2 * 60 + 5) * 60_000, basis: 'business' }, deciders: [], handedOverBy: '佐藤 (MA)' },
        DEFAULT_DEFINITION,
        t,
        'ja',
        formatAt,
      ),
    ).toBe('受領待ち\n受領期限: 残り 2時間 5分 · 期限 12-01T01:00\n引き渡し: 佐藤 (MA)');
    expect(badgeTipText('期限超過', { clock: { kind: 'acceptance', deadline, remainingMs: -26 * 3_600_000, basis: 'business' }, deciders: [] }, DEFAULT_DEFINITION, t, 'ja', formatAt)).toBe(
      '期限超過\n受領期限: 1日 2時間 0分 超過 · 期限 12-01T01:00',
    );
    expect(badgeTipText('判断相違', { reasonCode: 'duplicate', deciders: ['田中', '鈴木'] }, DEFAULT_DEFINITION, t, 'ja', formatAt)).toBe('判断相違\n理由: 重複\n判断: 田中、鈴木');
  });

  it('in English, with the team’s own reason labels', () => {
    const t = createTranslator('en');
    const definition = { ...DEFAULT_DEFINITION, rejectReasons: [...DEFAULT_DEFINITION.rejectReasons, { code: 'tiny', label: { ja: '規模が小さい', en: 'Too small' } }] };
    expect(badgeTipText('Rejected', { reasonCode: 'tiny', deciders: ['Tanaka'] }, definition as typeof DEFAULT_DEFINITION, t, 'en', formatAt)).toBe('Rejected\nReason: Too small\nDecided by Tanaka');
    expect(badgeTipText('Closed', { closeReason: 'budget frozen', deciders: ['Tanaka', 'Suzuki'] }, DEFAULT_DEFINITION, t, 'en', formatAt)).toBe(
      'Closed\nReason: budget frozen\nDecided by Tanaka, Suzuki',
    );
  });
});

describe('listCss', () => {
  it('styles every status with its colours, each declaration !important', () => {
    const css = listCss();
    for (const [status, [bg, fg]] of Object.entries(BADGE_COLORS)) expect(css).toContain(`[data-sal-bridge-badge][data-status="${status}"]{background:${bg}!important;color:${fg}!important;}`);
    expect(css).toContain('#sal-bridge-list-tip{position:fixed!important;');
    expect(css).not.toMatch(/[^t];/);
  });
});

describe('createListStyler', () => {
  it('inserts the stylesheet once per document, and again after a failure', async () => {
    const insertCSS = vi.fn().mockRejectedValueOnce(new Error('No tab')).mockResolvedValue(undefined);
    const style = createListStyler({ insertCSS });
    await style({ tabId: 1, frameId: 0, documentId: 'doc-a' });
    await style({ tabId: 1, frameId: 0, documentId: 'doc-a' });
    await style({ tabId: 1, frameId: 0, documentId: 'doc-a' });
    await style({ tabId: 2, frameId: 0 });
    expect(insertCSS.mock.calls.map(([injection]) => injection.target)).toEqual([
      { tabId: 1, documentIds: ['doc-a'] },
      { tabId: 1, documentIds: ['doc-a'] },
      { tabId: 2, frameIds: [0] },
    ]);
    expect(insertCSS.mock.calls[0]![0].css).toBe(listCss());
  });
});

describe('createListBadgeCache', () => {
  const LEAD = 'salesforce:00Q5g00000AbCdEEAV';
  let n = 0;
  const now = Date.parse('2026-11-24T03:00:00Z');

  it('answers from memory until the database changes, then from the new events', async () => {
    const db = new SalDatabase(`list-badges-${n++}`);
    // (creating the database is a write of its own)
    await db.open();
    const cache = createListBadgeCache(db, () => ['ja']);
    const keys = new Map([[LEAD, '00Q5g00000AbCdE']]);
    expect((await cache.badges(keys, now)).statuses).toEqual({ '00Q5g00000AbCdE': 'untracked' });
    const read = vi.spyOn(db.events, 'where');
    expect((await cache.badges(keys, now + 1000)).statuses).toEqual({ '00Q5g00000AbCdE': 'untracked' });
    expect(read).not.toHaveBeenCalled();
    await storeServerEvents(
      db,
      [
        { seq: 1, receivedAt: '2026-11-24T01:00:00.000Z', event: handedOver({ at: '2026-11-24T01:00:00Z' }) },
        { seq: 2, receivedAt: '2026-11-24T02:00:00.000Z', event: rejected({ at: '2026-11-24T02:00:00Z', actor: REP_A }, { reasonCode: 'duplicate' }) },
      ],
      2,
    );
    const reply = await cache.badges(keys, now + 2000);
    expect(reply.statuses).toEqual({ '00Q5g00000AbCdE': 'rejected' });
    expect(reply.tips['00Q5g00000AbCdE']).toBe('却下\n理由: 重複\n判断: 田中');
    expect(reply.labels.pending).toBe('受領待ち');
  });

  it('works a lead out again once its badge is older than the TTL (its clocks moved on)', async () => {
    const db = new SalDatabase(`list-badges-${n++}`);
    const cache = createListBadgeCache(db, () => ['ja']);
    await storeServerEvents(db, [{ seq: 1, receivedAt: '2026-11-24T01:00:00.000Z', event: handedOver({ at: '2026-11-24T01:00:00Z' }) }], 1);
    const keys = new Map([[LEAD, '00Q5g00000AbCdE']]);
    const first = await cache.badges(keys, now);
    const read = vi.spyOn(db.events, 'where');
    expect(await cache.badges(keys, now + LIST_BADGE_TTL_MS - 1)).toEqual(first);
    expect(read).not.toHaveBeenCalled();
    const later = await cache.badges(keys, now + LIST_BADGE_TTL_MS + 60_000);
    expect(read).toHaveBeenCalledOnce();
    expect(later.tips['00Q5g00000AbCdE']).not.toBe(first.tips['00Q5g00000AbCdE']);
  });

  it('keeps its answers when the worker writes what badges are not made of (read health, the sync state), not when the language changes', async () => {
    const db = new SalDatabase(`list-badges-${n++}`);
    const cache = createListBadgeCache(db, () => ['ja']);
    await storeServerEvents(db, [{ seq: 1, receivedAt: '2026-11-24T01:00:00.000Z', event: handedOver({ at: '2026-11-24T01:00:00Z' }) }], 1);
    const keys = new Map([[LEAD, '00Q5g00000AbCdE']]);
    const first = await cache.badges(keys, now);
    await recordRead(db, listReadHealth({ crm: 'salesforce', recordIds: ['00Q5g00000AbCdE'] }, { ui: 'salesforce-lightning', extensionVersion: '1.0.0' }), now);
    await writeKv(db, syncStateKv, { ...INITIAL_SYNC_STATE, lastAttemptAt: now });
    expect(await db.readHealth.count()).toBe(1);
    const read = vi.spyOn(db.events, 'where');
    expect(await cache.badges(keys, now + 1000)).toEqual(first);
    expect(read).not.toHaveBeenCalled();
    await writeKv(db, prefsKv, { lang: 'en' });
    const english = await cache.badges(keys, now + 2000);
    expect(read).toHaveBeenCalledOnce();
    expect(english.labels.pending).toBe('Pending');
  });

  it('tells every lead of a CRM that has events, by status, and nothing when there are too many', async () => {
    const db = new SalDatabase(`list-badges-${n++}`);
    const ids = ['00Q5g00000AbCdE', '00Q5g00000FgHiJ', '00Q5g00000KlMnO'];
    const [a, b, c] = ids.map((id) => makeLeadKey('salesforce', id));
    await storeServerEvents(
      db,
      [
        { seq: 1, receivedAt: '2026-11-24T01:00:00.000Z', event: handedOver({ at: '2026-11-24T01:00:00Z', leadKey: a }) },
        { seq: 2, receivedAt: '2026-11-24T01:00:00.000Z', event: handedOver({ at: '2026-11-24T01:00:00Z', leadKey: b }) },
        { seq: 3, receivedAt: '2026-11-24T02:00:00.000Z', event: accepted({ at: '2026-11-24T02:00:00Z', leadKey: b, actor: REP_A }) },
        { seq: 4, receivedAt: '2026-11-24T01:00:00.000Z', event: handedOver({ at: '2026-11-24T01:00:00Z', leadKey: c }) },
        { seq: 5, receivedAt: '2026-11-24T02:00:00.000Z', event: rejected({ at: '2026-11-24T02:00:00Z', leadKey: c, actor: REP_A }, { reasonCode: 'duplicate' }) },
        // another CRM's lead is not the Salesforce list's business
        { seq: 6, receivedAt: '2026-11-24T01:00:00.000Z', event: handedOver({ at: '2026-11-24T01:00:00Z', leadKey: 'hubspot:123' }) },
      ],
      6,
    );
    const known = await createListBadgeCache(db, () => ['ja']).known('salesforce', now);
    expect(known).toEqual({ pending: [a!.slice('salesforce:'.length)], accepted: [b!.slice('salesforce:'.length)], rejected: [c!.slice('salesforce:'.length)] });
    // the same badges as a list asking for those rows gets
    const cache = createListBadgeCache(db, () => ['ja']);
    const asked = await cache.badges(new Map([a!, b!, c!].map((k) => [k, k.slice('salesforce:'.length)])), now);
    expect(Object.entries(asked.statuses).sort()).toEqual(
      Object.entries(known!)
        .flatMap(([status, recordIds]) => recordIds.map((id) => [id, status]))
        .sort(),
    );
    expect(await createListBadgeCache(db, () => ['ja'], 2).known('salesforce', now)).toBeNull();
    expect(await createListBadgeCache(db, () => ['ja'], 2).known('dynamics', now)).toEqual({});
  });

  it('remembers lead keys, and refuses ids that are no record ids', () => {
    const cache = createListBadgeCache(new SalDatabase(`list-badges-${n++}`), () => ['ja']);
    expect(cache.leadKey('salesforce', '00Q5g00000AbCdE')).toBe(LEAD);
    expect(cache.leadKey('salesforce', 'garbage!')).toBeNull();
    expect(cache.leadKey('dynamics', '{5CA1E000-0000-4000-8000-5CA1E0000001}')).toBe('dynamics:5ca1e000-0000-4000-8000-5ca1e0000001');
  });
});
