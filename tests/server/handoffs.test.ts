import { describe, expect, it } from 'vitest';
import { HandoffResponseSchema, PullResponseSchema } from '../../lib/protocol/http';
import { closingAfterEach, countRows } from './helpers';

const MARKETER = 'demo-marketer-token';
const { server } = closingAfterEach({ now: () => new Date('2026-11-24T01:00:00.000Z') });

describe('POST /v1/handoffs', () => {
  it('turns JSON items into handed_over events at the real hand-off time, acting as the caller', async () => {
    const { call } = await server();
    const res = await call(MARKETER, 'POST', '/v1/handoffs', [
      {
        crm: 'salesforce',
        recordId: '00Q5g00000AbCdE',
        by: '田中 美咲',
        owner: '佐藤 健',
        source: 'seminar',
        score: 72,
        handedOverAt: '2026-11-20T10:00:00+09:00',
        lead: { name: '山田 太郎', company: '株式会社サンプル' },
      },
      { crm: 'hubspot', recordId: '12345', by: 'MA' },
    ]);
    expect(res.status).toBe(200);
    const { results } = HandoffResponseSchema.parse(await res.json());
    expect(results.map((r) => [r.status, r.leadKey])).toEqual([
      ['accepted', 'salesforce:00Q5g00000AbCdEEAV'],
      ['accepted', 'hubspot:12345'],
    ]);
    const pulled = PullResponseSchema.parse(await (await call('demo-rep1-token', 'GET', '/v1/events')).json());
    const first = pulled.events[0]!.event;
    expect(first).toMatchObject({
      type: 'handed_over',
      occurredAt: '2026-11-20T10:00:00+09:00',
      actor: { id: 'user_demo_marketer', name: '田中 美咲' },
      payload: { by: '田中 美咲', owner: '佐藤 健', source: 'seminar', score: 72 },
      lead: { company: '株式会社サンプル' },
      definitionVersion: 1,
    });
    expect(pulled.events[1]!.event.occurredAt).toBe('2026-11-24T01:00:00.000Z');
  });

  it('is idempotent on (lead, handedOverAt) and on an undated repeat of a lead already handed over', async () => {
    const { call, db } = await server();
    const items = [
      { crm: 'salesforce', recordId: '00Q5g00000AbCdEEAV', by: 'MA', handedOverAt: '2026-11-20T01:00:00Z' },
      { crm: 'custom', recordId: 'L-1', by: 'MA' },
    ];
    const first = HandoffResponseSchema.parse(await (await call(MARKETER, 'POST', '/v1/handoffs', { handoffs: items })).json());
    // the same instant written in another offset, and the 15-character form of the same record
    const again = HandoffResponseSchema.parse(
      await (
        await call(MARKETER, 'POST', '/v1/handoffs', {
          handoffs: [{ ...items[0], recordId: '00Q5g00000AbCdE', handedOverAt: '2026-11-20T10:00:00+09:00' }, items[1]],
        })
      ).json(),
    );
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(again.results.map((r) => r.id)).toEqual(first.results.map((r) => r.id));
    expect(await countRows(db, "SELECT 1 FROM events WHERE type = 'handed_over'")).toBe(2);
    // a later hand-off of the same lead at another time is a new hand-off
    const later = HandoffResponseSchema.parse(await (await call(MARKETER, 'POST', '/v1/handoffs', [{ ...items[0], handedOverAt: '2026-11-22T01:00:00Z' }])).json());
    expect(later.results[0], later.results[0]?.reason).toMatchObject({ status: 'accepted' });
  });

  it('accepts a CSV upload with a header row, quoted fields and Japanese text, rejecting bad rows by index', async () => {
    const { call } = await server();
    const csv = [
      '\uFEFFcrm,recordId,by,source,score,handedOverAt,name,company,note',
      'salesforce,00Q5g00000AbCdE,田中 美咲,ウェビナー,80,2026-11-20T10:00:00+09:00,山田 太郎,"株式会社サンプル, 東京","資料DL ""3回"""',
      'salesforce,not-an-id,田中 美咲,,,,,,',
      'hubspot,987,田中 美咲,展示会,,,鈴木 一郎,Example KK,',
      '',
    ].join('\r\n');
    const res = await call(MARKETER, 'POST', '/v1/handoffs', csv, { 'content-type': 'text/csv; charset=utf-8' });
    expect(res.status).toBe(200);
    const { results } = HandoffResponseSchema.parse(await res.json());
    expect(results.map((r) => [r.index, r.status])).toEqual([
      [0, 'accepted'],
      [1, 'rejected'],
      [2, 'accepted'],
    ]);
    expect(results[1]!.reason).toMatch(/Salesforce/);
    const pulled = PullResponseSchema.parse(await (await call(MARKETER, 'GET', '/v1/events')).json());
    expect(pulled.events[0]!.event).toMatchObject({
      lead: { name: '山田 太郎', company: '株式会社サンプル, 東京' },
      payload: { source: 'ウェビナー', score: 80, note: '資料DL "3回"' },
    });
  });

  it('reads an Excel CSV saved in Shift_JIS, labelled or not, and says so when the bytes fit no encoding', async () => {
    const { call, db } = await server();
    const ascii = (text: string) => [...Buffer.from(text, 'ascii')];
    // "株式会社" and "山田" in Shift_JIS (Windows-31J), as Excel on a Japanese PC saves them
    const kabushikigaisha = [0x8a, 0x94, 0x8e, 0xae, 0x89, 0xef, 0x8e, 0xd0];
    const yamada = [0x8e, 0x52, 0x93, 0x63];
    const file = (recordId: string) =>
      Uint8Array.from([...ascii(`crm,recordId,by,name,company\r\nsalesforce,${recordId},`), ...yamada, ...ascii(','), ...yamada, ...ascii(','), ...kabushikigaisha, ...ascii('\r\n')]);
    for (const [recordId, contentType] of [
      ['00Q5g00000AbCdE', 'text/csv'],
      ['00Q5g00000FgHiJ', 'text/csv; charset=Shift_JIS'],
    ] as const) {
      const res = await call(MARKETER, 'POST', '/v1/handoffs', file(recordId), { 'content-type': contentType });
      expect(res.status, contentType).toBe(200);
      expect(HandoffResponseSchema.parse(await res.json()).results[0]?.status).toBe('accepted');
    }
    const pulled = PullResponseSchema.parse(await (await call(MARKETER, 'GET', '/v1/events')).json());
    expect(pulled.events.map((e) => e.event.lead)).toEqual([expect.objectContaining({ name: '山田', company: '株式会社' }), expect.objectContaining({ name: '山田', company: '株式会社' })]);

    // labelled UTF-8 but Shift_JIS inside, or a charset we do not read: a 400 that says why
    const wrong = await call(MARKETER, 'POST', '/v1/handoffs', file('00Q5g00000KlMnO'), { 'content-type': 'text/csv; charset=utf-8' });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(await wrong.json())).toMatch(/not valid UTF-8/);
    const latin = await call(MARKETER, 'POST', '/v1/handoffs', 'crm,recordId\nsalesforce,00Q5g00000KlMnO\n', { 'content-type': 'text/csv; charset=iso-8859-1' });
    expect(latin.status).toBe(415);
    expect(await latin.json()).toEqual({ error: { code: 'unsupported_media_type', message: expect.stringMatching(/unsupported charset "iso-8859-1"/) } });
    // unlabelled bytes that are neither UTF-8 nor Shift_JIS (0xFD is no Shift_JIS byte): a 400, nothing stored
    const garbage = await call(MARKETER, 'POST', '/v1/handoffs', Uint8Array.from([...ascii('crm,recordId,by\r\nsalesforce,00Q5g00000KlMnO,'), 0xfd, 0xfe, ...ascii('\r\n')]), {
      'content-type': 'text/csv',
    });
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toEqual({ error: { code: 'bad_request', message: 'CSV: the file is not valid UTF-8 or Shift_JIS text' } });
    expect(await countRows(db, 'SELECT 1 FROM events')).toBe(2);
  });

  it('reads unlabelled UTF-8 bytes with a BOM, trimmed header names, and quoted cells spanning lines', async () => {
    const { call } = await server();
    const text = [' crm , recordId ,by,note', 'salesforce,00Q5g00000AbCdE,田中 美咲,"1行目\r\n2行目, 続き"', '', 'hubspot,987,田中 美咲,資料 "A" DL'].join('\r\n');
    const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    const res = await call(MARKETER, 'POST', '/v1/handoffs', bytes, { 'content-type': 'text/csv' });
    expect(res.status).toBe(200);
    expect(HandoffResponseSchema.parse(await res.json()).results.map((r) => [r.status, r.leadKey])).toEqual([
      ['accepted', 'salesforce:00Q5g00000AbCdEEAV'],
      ['accepted', 'hubspot:987'],
    ]);
    const pulled = PullResponseSchema.parse(await (await call(MARKETER, 'GET', '/v1/events')).json());
    // a quote inside an unquoted cell is text (hand-edited files), as before csv-parse
    expect(pulled.events.map((e) => (e.event.payload as { note?: string }).note)).toEqual(['1行目\r\n2行目, 続き', '資料 "A" DL']);
  });

  it('explains an unterminated quote with where it is, and skips rows that are only commas', async () => {
    const { call } = await server();
    const broken = await call(MARKETER, 'POST', '/v1/handoffs', 'crm,recordId\n"unterminated', { 'content-type': 'text/csv' });
    expect(broken.status).toBe(400);
    expect(JSON.stringify(await broken.json())).toMatch(/CSV: .*[Qq]uote.*line 2/);
    const sparse = await call(MARKETER, 'POST', '/v1/handoffs', 'crm,recordId,by\n,,\nsalesforce,00Q5g00000AbCdE,田中 美咲\n\n', { 'content-type': 'text/csv' });
    expect(sparse.status).toBe(200);
    expect(HandoffResponseSchema.parse(await sparse.json()).results.map((r) => r.status)).toEqual(['accepted']);
  });

  it('answers 400 to an empty or non-list body and to a CSV without data rows', async () => {
    const { call, db } = await server();
    expect((await call(MARKETER, 'POST', '/v1/handoffs', [])).status).toBe(400);
    expect((await call(MARKETER, 'POST', '/v1/handoffs', { crm: 'salesforce' })).status).toBe(400);
    expect((await call(MARKETER, 'POST', '/v1/handoffs', 'crm,recordId,by\n', { 'content-type': 'text/csv' })).status).toBe(400);
    expect((await call(MARKETER, 'POST', '/v1/handoffs', 'crm,recordId\n"unterminated', { 'content-type': 'text/csv' })).status).toBe(400);
    expect(await countRows(db, 'SELECT 1 FROM events')).toBe(0);
  });
});
