import { describe, expect, it, vi } from 'vitest';
import { SalDatabase } from '../../../lib/db/schema';
import { writeKv } from '../../../lib/db/kv';
import { storeServerEvents } from '../../../lib/db/events-repo';
import { meKv } from '../../../lib/db/reads';
import { createReviewHandlers } from '../../../lib/background/review-service';
import type { VerifiedSender } from '../../../lib/background/router';
import { foldLead } from '../../../lib/domain/lifecycle';
import { handedOver, rejected, REP_A, LEAD } from '../domain/builders';

let n = 0;
const reviewUrl = new URL('chrome-extension://abc/review.html');
const reviewPage: VerifiedSender = { kind: 'extension', tabId: 7, url: reviewUrl, tabUrl: reviewUrl };
const crmPage = new URL('https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view');

async function setup(role?: string) {
  const db = new SalDatabase(`review-service-${n++}`);
  const onRecorded = vi.fn();
  const handlers = createReviewHandlers({ db, now: () => Date.parse('2026-11-24T06:00:00Z'), onRecorded });
  if (role) await writeKv(db, meKv, { user: { id: 'u-1', name: '佐藤' }, team: { id: 't-1', name: 'チーム' }, role });
  const h = handedOver({ at: '2026-11-24T01:00:00Z' });
  const r = rejected({ at: '2026-11-24T02:00:00Z', actor: REP_A });
  await storeServerEvents(
    db,
    [
      { seq: 1, receivedAt: h.occurredAt, event: h },
      { seq: 2, receivedAt: r.occurredAt, event: r },
    ],
    Date.parse('2026-11-24T03:00:00Z'),
  );
  return { db, handlers, onRecorded };
}

const request = { type: 'app.recordReview', leadKey: LEAD, payload: { outcome: 'fix_data', note: '電話番号を修正してから再送' } } as const;

describe('recording the review meeting’s outcome', () => {
  it('stores a reviewed event in the member’s name with its outbox entry; the lead stays rejected', async () => {
    const { db, handlers, onRecorded } = await setup('marketer');
    const reply = await handlers['app.recordReview'](request, reviewPage);
    expect(reply.ok).toBe(true);
    const rows = await db.events.where('leadKey').equals(LEAD).toArray();
    const stored = rows.find((x) => x.event.type === 'reviewed')!.event;
    expect(stored).toMatchObject({ type: 'reviewed', actor: { id: 'u-1', name: '佐藤' }, payload: { outcome: 'fix_data', note: '電話番号を修正してから再送' }, definitionVersion: 1 });
    expect(await db.outbox.count()).toBe(1);
    expect(onRecorded).toHaveBeenCalledWith(LEAD);
    expect(foldLead(rows.map((x) => x.event)).status).toBe('rejected');
  });

  it('refuses a rep (the server would), a lead this browser does not know, and any page but the review page', async () => {
    const { db, handlers } = await setup('rep');
    expect(await handlers['app.recordReview'](request, reviewPage)).toEqual({ ok: false, error: 'forbidden_role', issues: ['rep'] });
    const manager = await setup('manager');
    expect(await manager.handlers['app.recordReview']({ ...request, leadKey: 'salesforce:00Q5g00000ZzZzZAAA' }, reviewPage)).toEqual({ ok: false, error: 'unknown_lead' });
    const panel: VerifiedSender = { kind: 'extension', tabId: 3, url: new URL('chrome-extension://abc/panel.html'), tabUrl: crmPage };
    const framedReview: VerifiedSender = { kind: 'extension', tabId: 3, url: reviewUrl, tabUrl: crmPage };
    const content: VerifiedSender = { kind: 'page', tabId: 3, url: crmPage, frameId: 0 };
    for (const sender of [panel, framedReview, content]) expect(await manager.handlers['app.recordReview'](request, sender)).toEqual({ ok: false, error: 'forbidden' });
    expect(await db.outbox.count()).toBe(0);
    expect(await manager.db.outbox.count()).toBe(0);
  });

  it('records in local-only mode (one person, every role)', async () => {
    const { handlers } = await setup();
    expect((await handlers['app.recordReview'](request, reviewPage)).ok).toBe(true);
  });
});
