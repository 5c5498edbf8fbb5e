import Dexie, { type EntityTable } from 'dexie';
import type { LeadEvent } from '../domain/events';
import type { CrmFieldUpdates, WritebackCrm, WritebackTrigger } from '../domain/writeback';
import type { ReadHealthDay } from '../domain/read-health';

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
  /**
   * The server's receive time (ISO) once a push result or a pull told us; absent while pending
   * and on rows stored before version 2. The fold judges SLAs and the undo window by it.
   */
  receivedAt?: string;
}

/**
 * An event waiting to be pushed. Written in the same transaction as the event itself.
 * (Version 3 dropped `lastError`, the message of the last isolated failure: written, never read.)
 */
export interface OutboxEntry {
  eventId: string;
  /** Rounds in which this event, sent alone, got a 500 while the server answered the pull (see lib/sync/engine.ts). */
  attempts: number;
  /** Not sent before this instant (ms since epoch): an event that alone failed waits so the others go first. */
  nextAttemptAt: number;
  /** Set when the server refused the event for good (4xx): kept visible, never retried automatically. */
  deadLetter: { status: number; reason: string; at: number } | null;
}

/** The outbox entry of an event recorded (or queued again) at `now` (ms since epoch): due at once. */
export function newOutboxEntry(eventId: string, now: number): OutboxEntry {
  return { eventId, attempts: 0, nextAttemptAt: now, deadLetter: null };
}

/**
 * A row of another team's data, set aside while this browser syncs with a different team
 * (lib/db/scopes.ts). `scope` names the backend and team it belongs to.
 */
export interface ShelvedEvent extends StoredEvent {
  scope: string;
}
export interface ShelvedOutboxEntry extends OutboxEntry {
  scope: string;
}

/**
 * Where a write-back stands (lib/writeback/queue.ts). `waiting`: due at `nextAttemptAt` (first
 * try, or a retry after a network error or 5xx); `reflected`: the CRM answered 2xx; `failed`: the
 * CRM refused the values (permission, validation rule, picklist) with its message; `sign_in`: the
 * CRM session expired, retried once the rep signs in again; `conflict`: the record changed in the
 * CRM since the rep read it, not overwritten; `paused`: the CRM's API limit is reached.
 */
export type WritebackState =
  | { kind: 'waiting'; message?: string }
  | { kind: 'reflected'; at: number }
  | { kind: 'failed'; code: string; message: string }
  | { kind: 'sign_in'; message: string }
  | { kind: 'conflict'; message: string }
  | { kind: 'paused'; message: string };

/**
 * A decision's write-back to the lead's CRM record, written in the same transaction as the
 * decision (`recordLocalEvent`), so a decision recorded is never without its write-back. One per
 * decision: `id` is the event's id. It stays in this browser (it targets the rep's own CRM
 * session) and is never synced.
 */
export interface WritebackJob {
  id: string;
  leadKey: string;
  crm: WritebackCrm;
  /** The record id in the CRM's API (Salesforce 18-char id, HubSpot `0-136:<id>` or id, Dynamics GUID). */
  recordId: string;
  /** The CRM page the decision was made on (the org's host, the tab to write from for Dynamics). */
  pageUrl: string;
  trigger: WritebackTrigger;
  fields: CrmFieldUpdates;
  /** When the page the rep decided on was read (ms): a record changed in the CRM after it is a conflict. */
  readAt: number;
  createdAt: number;
  state: WritebackState;
  /** Failed tries so far (backoff). */
  attempts: number;
  /** Not tried before this instant (ms). */
  nextAttemptAt: number;
  /**
   * Set when a request went out whose effect is not known yet (ms); cleared once the CRM's answer
   * settles the job. A try that finds it set (a worker stopped meanwhile, a lost answer) checks
   * the record before writing again.
   */
  inFlightSince: number | null;
}

/**
 * One CRM's page kind on one UTC day of this browser's reads (lib/background/read-health.ts):
 * counts and field names, never lead data. `revision` counts the day's changes and
 * `pushedRevision` is the one the team server has (0: never posted).
 */
export interface StoredReadHealthDay extends ReadHealthDay {
  revision: number;
  pushedRevision: number;
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
 *
 * `events` and `outbox` hold the data of the team this browser syncs with now (and local-mode
 * decisions not yet bound to a team); other teams' rows wait in the shelf tables, so every view
 * and KPI reading `events` shows one team, and a push can only send that team's decisions.
 */
export class SalDatabase extends Dexie {
  events!: EntityTable<StoredEvent, 'id'>;
  outbox!: EntityTable<OutboxEntry, 'eventId'>;
  kv!: EntityTable<KvRecord, 'key'>;
  shelvedEvents!: Dexie.Table<ShelvedEvent, [string, string]>;
  shelvedOutbox!: Dexie.Table<ShelvedOutboxEntry, [string, string]>;
  writebacks!: EntityTable<WritebackJob, 'id'>;
  readHealth!: Dexie.Table<StoredReadHealthDay, [string, string, string]>;

  constructor(name = 'sal-bridge') {
    super(name);
    this.version(1).stores({
      events: 'id, leadKey, seq, localOrder',
      outbox: 'eventId, nextAttemptAt',
      kv: 'key',
    });
    // Version 2: data per backend and team (shelves), and the scope the current rows belong to.
    this.version(2)
      .stores({
        shelvedEvents: '[scope+id], scope',
        shelvedOutbox: '[scope+eventId], scope',
      })
      .upgrade(async (tx) => {
        const kv = tx.table<KvRecord, string>('kv');
        const [backend, me] = await kv.bulkGet(['backend', 'me']);
        const config = backend?.value as { mode?: string; url?: string } | undefined;
        const team = (me?.value as { team?: { id?: unknown; name?: unknown } } | undefined)?.team;
        // The rows held now belong to the server and team this browser was signed in to; without
        // a known team they stay unbound and go to the first team it signs in to, as before.
        if (config?.mode === 'server' && typeof config.url === 'string' && typeof team?.id === 'string') {
          await kv.put({ key: 'dataScope', value: { url: config.url, teamId: team.id, teamName: typeof team.name === 'string' ? team.name : null } });
        }
        // Version 1 cleared every sequence on a backend re-save but kept the cursor, so teammates'
        // events never got a sequence again. Cursors are now kept per team under a new key; the
        // old ones are dropped, so the first round pulls the history again and re-sequences it.
        const oldCursors = await kv.filter((r) => r.key.startsWith('cursor:')).primaryKeys();
        await kv.bulkDelete(oldCursors);
      });
    // Version 3: outbox entries lose `lastError` (written, never read) and the `nextAttemptAt`
    // index (no query uses it: the push reads the outbox in event order). An entry without an
    // error was due whatever its `nextAttemptAt` said; it keeps being due (0) now that the push
    // looks at `nextAttemptAt` alone.
    this.version(3)
      .stores({ outbox: 'eventId' })
      .upgrade(async (tx) => {
        const drop = (row: OutboxEntry & { lastError?: string | null }) => {
          if (row.lastError === null) row.nextAttemptAt = 0;
          delete row.lastError;
        };
        await tx.table('outbox').toCollection().modify(drop);
        await tx.table('shelvedOutbox').toCollection().modify(drop);
      });
    // Version 4: write-backs of decisions to the CRM (issue 10), queued with the decision. A new
    // table: earlier decisions were never meant for the CRM and get no write-back. Indexed by
    // state so a drain reads only the jobs still to be written, however many are reflected.
    this.version(4).stores({ writebacks: 'id, leadKey, state.kind' });
    // Version 5: read health per CRM, page kind and day (issue 16). A new table: reads before it
    // were never counted. Indexed by day, so days past the kept window are dropped cheaply.
    this.version(5).stores({ readHealth: '[crm+page+day], day' });
  }
}
