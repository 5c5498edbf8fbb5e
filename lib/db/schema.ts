import Dexie, { type EntityTable } from 'dexie';
import type { LeadEvent } from '../domain/events';

/**
 * One lead event as this browser holds it. `seq` is the server's team sequence once the server
 * has it; null while the event exists only here (still in the outbox).
 */
export interface StoredEvent {
  id: string;
  leadKey: string;
  event: LeadEvent;
  seq: number | null;
  /** Where the event came from: recorded in this browser, or pulled from the team's server. */
  origin: 'local' | 'server';
  /** Local insertion order (ms since epoch + counter); orders pending events after sequenced ones. */
  localOrder: number;
}

/** An event waiting to be pushed. Written in the same transaction as the event itself. */
export interface OutboxEntry {
  eventId: string;
  /** Backend URL this entry is destined for; cleared entries are re-queued when the backend changes. */
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  /** Set when the server refused the event for good (4xx): kept visible, never retried automatically. */
  deadLetter: { status: number; reason: string; at: number } | null;
}

/** Small key-value records: backend config, sync cursors and state, the local actor, UI prefs. */
export interface KvRecord {
  key: string;
  value: unknown;
}

/**
 * The extension's database. It lives in the extension's origin: only the background and
 * extension pages (panel, popup, options) open it, never a content script, where IndexedDB
 * would belong to the CRM's origin.
 */
export class SalDatabase extends Dexie {
  events!: EntityTable<StoredEvent, 'id'>;
  outbox!: EntityTable<OutboxEntry, 'eventId'>;
  kv!: EntityTable<KvRecord, 'key'>;

  constructor(name = 'sal-bridge') {
    super(name);
    this.version(1).stores({
      events: 'id, leadKey, seq, localOrder',
      outbox: 'eventId, nextAttemptAt',
      kv: 'key',
    });
  }
}
