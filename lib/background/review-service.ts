import type { SalDatabase } from '../db/schema';
import { eventsForLead } from '../db/events-repo';
import { activeDefinition } from '../db/reads';
import { foldLead, foldOptionsFor, TRANSITIONS } from '../domain/lifecycle';
import { currentMember } from './identity';
import { draftLocalEvent, storeLocalEvent } from './local-events';
import type { Handlers, VerifiedSender } from './router';

/** The extension page that records the review meeting's outcomes. */
export const REVIEW_PAGE_PATH = '/review.html';

export interface ReviewServiceDeps {
  db: SalDatabase;
  now: () => number;
  /** Called after an outcome is stored (triggers a sync round). */
  onRecorded: (leadKey: string) => void;
}

/**
 * Whether the sender is the review page opened as a tab of its own: an extension page at
 * `REVIEW_PAGE_PATH`, not one framed in a web page (the panel frame's tab shows a CRM page).
 */
export function isReviewPage(sender: VerifiedSender): boolean {
  if (sender.kind !== 'extension' || sender.url.pathname !== REVIEW_PAGE_PATH) return false;
  return !sender.tabUrl || sender.tabUrl.protocol === sender.url.protocol;
}

/**
 * The background's handler for the review meeting: an outcome becomes a `reviewed` event in the
 * signed-in member's name, on a lead this browser holds events of, written with its outbox entry
 * like every decision. Refuses what the server would refuse (the role, a lead the lifecycle does
 * not take it on) before it waits in the outbox.
 */
export function createReviewHandlers(deps: ReviewServiceDeps): Pick<Handlers, 'app.recordReview'> {
  const { db, now } = deps;
  return {
    async 'app.recordReview'(request, sender) {
      if (!isReviewPage(sender)) return { ok: false, error: 'forbidden' };
      const [events, { actor, role }, definition] = await Promise.all([eventsForLead(db, request.leadKey), currentMember(db), activeDefinition(db)]);
      const status = foldLead(events, foldOptionsFor(definition)).status;
      if (!TRANSITIONS.reviewed.from.includes(status)) return { ok: false, error: 'unknown_lead' };
      const at = now();
      const drafted = draftLocalEvent({ at, leadKey: request.leadKey, actor, role, definition, type: 'reviewed', payload: request.payload });
      if (!drafted.ok) return drafted;
      const stored = await storeLocalEvent(db, drafted.event, at);
      if (!stored.ok) return stored;
      deps.onRecorded(request.leadKey);
      return { ok: true, eventId: drafted.event.id };
    },
  };
}
