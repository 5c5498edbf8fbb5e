import { monotonicFactory } from 'ulid';
import type { SalDatabase } from '../db/schema';
import { eventsForLead, recordLocalEvent } from '../db/events-repo';
import { activeDefinition } from '../db/reads';
import { EVENT_SCHEMA_VERSION, LeadEventSchema } from '../domain/events';
import { foldLead, foldOptionsFor, TRANSITIONS } from '../domain/lifecycle';
import { canRecord } from '../domain/roles';
import { currentMember } from './identity';
import { isQuotaError } from './lead-service';
import type { Handlers, VerifiedSender } from './router';

/** The extension page that records the review meeting's outcomes. */
export const REVIEW_PAGE_PATH = '/review.html';

export interface ReviewServiceDeps {
  db: SalDatabase;
  now: () => number;
  /** Called after an outcome is stored (triggers a sync round). */
  onRecorded: (leadKey: string) => void;
}

const nextUlid = monotonicFactory();

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
      const parsed = LeadEventSchema.safeParse({
        schemaVersion: EVENT_SCHEMA_VERSION,
        id: nextUlid(at),
        leadKey: request.leadKey,
        actor,
        occurredAt: new Date(at).toISOString(),
        definitionVersion: definition.version,
        type: 'reviewed',
        payload: request.payload,
      });
      if (!parsed.success) return { ok: false, error: 'invalid_event', issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
      if (role && !canRecord(role, 'reviewed', definition.rolePermissions)) return { ok: false, error: 'forbidden_role', issues: [role] };
      try {
        await recordLocalEvent(db, parsed.data, at);
      } catch (error) {
        if (isQuotaError(error)) return { ok: false, error: 'storage_full' };
        throw error;
      }
      deps.onRecorded(request.leadKey);
      return { ok: true, eventId: parsed.data.id };
    },
  };
}
