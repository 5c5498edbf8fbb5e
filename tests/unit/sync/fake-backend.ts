import type { LeadEvent, SequencedEvent } from '../../../lib/domain';
import type { BackendClient, PullPage, PushOutcome } from '../../../lib/sync/engine';
import { SyncError } from '../../../lib/sync/errors';

/**
 * An in-memory team server with the protocol's semantics (idempotent by id, team sequence,
 * cursor paging) and switches to fail the way real networks and servers do.
 */
export class FakeBackend implements BackendClient {
  readonly url = 'https://sal.example.test';
  events: SequencedEvent[] = [];
  pushCalls: number[] = [];
  failNext: SyncError | null = null;
  /** Batches above this size get 413. */
  maxBatch = Infinity;
  /** Event ids the server refuses (per-event `rejected`). */
  refuse = new Set<string>();

  add(event: LeadEvent): void {
    this.events.push({ seq: this.events.length + 1, receivedAt: new Date(0).toISOString(), event });
  }

  private takeFailure() {
    const f = this.failNext;
    this.failNext = null;
    if (f) throw f;
  }

  async push(events: LeadEvent[]): Promise<PushOutcome> {
    this.pushCalls.push(events.length);
    this.takeFailure();
    if (events.length > this.maxBatch) return { kind: 'too_large' };
    return {
      kind: 'results',
      results: events.map((e) => {
        if (this.refuse.has(e.id)) return { id: e.id, status: 'rejected' as const, reason: 'refused by test' };
        const have = this.events.find((s) => s.event.id === e.id);
        if (have) return { id: e.id, status: 'duplicate' as const, seq: have.seq };
        this.add(e);
        return { id: e.id, status: 'accepted' as const, seq: this.events.length };
      }),
    };
  }

  async pull(since: string | null, limit: number): Promise<PullPage> {
    this.takeFailure();
    const from = since ? Number(since) : 0;
    const page = this.events.filter((e) => e.seq > from).slice(0, limit);
    const last = page.at(-1)?.seq ?? from;
    return { events: page, nextCursor: String(last), hasMore: this.events.some((e) => e.seq > last) };
  }
}
