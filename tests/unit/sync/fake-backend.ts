import type { LeadEvent, SequencedEvent } from '../../../lib/domain';
import type { BackendClient, PullOutcome, PushOutcome } from '../../../lib/sync/engine';
import { SyncError } from '../../../lib/sync/errors';

/**
 * An in-memory team server with the protocol's semantics (idempotent by id, team sequence,
 * cursor paging, receive time, epochs) and switches to fail the way real networks and servers do.
 */
export class FakeBackend implements BackendClient {
  readonly url = 'https://sal.example.test';
  events: SequencedEvent[] = [];
  pushCalls: number[] = [];
  /** Ids of every event in every push, in order (to see who was sent when). */
  pushedIds: string[][] = [];
  pullCalls = 0;
  failNext: SyncError | null = null;
  /** Batches above this size get 413. */
  maxBatch = Infinity;
  /** Event ids the server refuses (per-event `rejected`). */
  refuse = new Set<string>();
  /** Event ids the server chokes on: any batch holding one gets a 500 for the whole batch. */
  chokesOn = new Set<string>();
  /** Every push gets this error (a server whose write path is down); pulls still work. */
  pushFailure: SyncError | null = null;
  /** Changes when the database is replaced: cursors of another epoch get 410 `cursor_reset`. */
  epoch = 1;
  receivedAt = '2026-11-24T00:59:00.000Z';

  add(event: LeadEvent): void {
    this.events.push({ seq: this.events.length + 1, receivedAt: this.receivedAt, event });
  }

  /** The server's database is reset: its history is gone and old cursors belong to the past epoch. */
  reset(): void {
    this.events = [];
    this.epoch++;
  }

  private takeFailure() {
    const f = this.failNext;
    this.failNext = null;
    if (f) throw f;
  }

  async push(events: LeadEvent[]): Promise<PushOutcome> {
    this.pushCalls.push(events.length);
    this.pushedIds.push(events.map((e) => e.id));
    this.takeFailure();
    if (this.pushFailure) throw this.pushFailure;
    if (events.some((e) => this.chokesOn.has(e.id))) throw new SyncError('server_error', 'HTTP 500', null, 500);
    if (events.length > this.maxBatch) return { kind: 'too_large' };
    return {
      kind: 'results',
      results: events.map((e) => {
        if (this.refuse.has(e.id)) return { id: e.id, status: 'rejected' as const, reason: 'refused by test' };
        const have = this.events.find((s) => s.event.id === e.id);
        if (have) return { id: e.id, status: 'duplicate' as const, seq: have.seq, receivedAt: have.receivedAt };
        this.add(e);
        return { id: e.id, status: 'accepted' as const, seq: this.events.length, receivedAt: this.receivedAt };
      }),
    };
  }

  async pull(since: string | null, limit: number): Promise<PullOutcome> {
    this.pullCalls++;
    this.takeFailure();
    const [epoch, seq] = since ? since.split(':').map(Number) : [this.epoch, 0];
    if (epoch !== this.epoch) return { kind: 'cursor_reset' };
    const from = seq ?? 0;
    const page = this.events.filter((e) => e.seq > from).slice(0, limit);
    const last = page.at(-1)?.seq ?? from;
    return { kind: 'page', events: page, nextCursor: `${this.epoch}:${last}`, hasMore: this.events.some((e) => e.seq > last) };
  }
}
