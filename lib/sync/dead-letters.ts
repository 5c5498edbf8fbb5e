import type { LeadEvent } from '../domain/events';
import type { SalDatabase } from '../db/schema';

/** An event the server refused for good, as the options page lists it. */
export interface DeadLetter {
  eventId: string;
  event: LeadEvent | null;
  status: number;
  reason: string;
  /** When the server refused it (ms since epoch). */
  at: number;
}

/** Every refused event, most recent refusal first. */
export async function listDeadLetters(db: SalDatabase): Promise<DeadLetter[]> {
  const entries = await db.outbox.filter((e) => e.deadLetter !== null).toArray();
  const stored = await db.events.bulkGet(entries.map((e) => e.eventId));
  return entries.map((e, i) => ({ eventId: e.eventId, event: stored[i]?.event ?? null, status: e.deadLetter!.status, reason: e.deadLetter!.reason, at: e.deadLetter!.at })).sort((a, b) => b.at - a.at);
}

/**
 * Puts a refused event back in the queue (after the team fixed what the server objected to,
 * e.g. its settings or the user's role). The next round sends it again.
 */
export async function retryDeadLetter(db: SalDatabase, eventId: string, now: number): Promise<void> {
  await db.outbox.update(eventId, { deadLetter: null, attempts: 0, nextAttemptAt: now });
}

/**
 * Gives up on a refused event: it leaves the queue and this browser, since the team will never
 * see it and keeping it would show a decision nobody else has. An event the server does hold
 * (it has a sequence) is never removed here.
 */
export async function discardDeadLetter(db: SalDatabase, eventId: string): Promise<void> {
  await db.transaction('rw', db.events, db.outbox, async () => {
    const entry = await db.outbox.get(eventId);
    if (!entry?.deadLetter) return;
    await db.outbox.delete(eventId);
    const event = await db.events.get(eventId);
    if (event && event.seq === null) await db.events.delete(eventId);
  });
}
