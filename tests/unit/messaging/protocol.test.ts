import { describe, expect, it } from 'vitest';
import { EventDraftSchema, LeadReadSchema, RequestSchema } from '../../../lib/messaging/protocol';
import { requestType } from '../../../lib/background/router';
import { LeadEventSchema } from '../../../lib/domain/events';
import { LEAD_FIELDS, SNAPSHOT_FIELDS } from '../../../lib/crm/lead-fields';
import { LeadSnapshotSchema } from '../../../lib/domain/events';

const record = (draft: unknown) => RequestSchema.safeParse({ type: 'panel.record', leadKey: 'salesforce:00Q5g00000AbCdEEAV', draft, ancestorOrigins: ['https://acme.lightning.force.com'] });

describe('panel.record: the worker parses the draft against its event type', () => {
  it('takes a draft of every event type the event schema knows, and fills in its defaults', () => {
    const accepted = record({ type: 'accepted', payload: { temperature: 'hot' } });
    expect(accepted.success && accepted.data.type === 'panel.record' && accepted.data.draft).toEqual({ type: 'accepted', payload: { checklist: {}, temperature: 'hot' } });
    // one draft schema per event schema member: a new event type is recordable without a second list
    const types = LeadEventSchema.options.map((o) => o.shape.type.value);
    for (const type of types) expect(EventDraftSchema.safeParse({ type, payload: {} }).error?.issues.some((i) => i.code === 'invalid_union')).not.toBe(true);
  });

  it('refuses a payload that does not fit its type, and a type no event has', () => {
    expect(record({ type: 'accepted', payload: { temperature: 'lukewarm' } }).success).toBe(false);
    expect(record({ type: 'contacted', payload: {} }).success).toBe(false); // a contact names its channel
    expect(record({ type: 'rejected', payload: { reasonCode: 'other' } }).success).toBe(false); // その他 needs a comment
    expect(record({ type: 'rejected', payload: { reasonCode: 'other', comment: '予算なし' } }).success).toBe(true);
    expect(record({ type: 'deleted', payload: {} }).success).toBe(false);
    expect(record({ type: 'accepted', payload: { comment: 'x'.repeat(4001) } }).success).toBe(false);
  });
});

describe('page.lead: one list of lead fields', () => {
  const read = { crm: 'salesforce', recordId: '00Q5g00000AbCdE', status: 'partial', lead: { name: '山田 太郎', score: 80 }, missing: ['company', 'owner'] };
  it('names missing fields from the one list only', () => {
    expect(LeadReadSchema.safeParse(read).success).toBe(true);
    expect(LeadReadSchema.safeParse({ ...read, missing: ['favouriteColour'] }).success).toBe(false);
  });

  it('lists the snapshot schema’s page fields, and the page-only owner and score', () => {
    expect([...SNAPSHOT_FIELDS].sort()).toEqual(
      Object.keys(LeadSnapshotSchema.shape)
        .filter((k) => k !== 'url')
        .sort(),
    );
    expect(LEAD_FIELDS).toEqual([...SNAPSHOT_FIELDS, 'owner', 'score']);
  });
});

describe('requestType: which messages the router answers', () => {
  it('knows every request of the contract, and nothing else', () => {
    expect(requestType({ type: 'panel.record', draft: 'garbage' })).toBe('panel.record');
    expect(requestType({ type: 'page.leave' })).toBe('page.leave');
    expect(requestType({ type: 'bg.ping' })).toBeNull();
    expect(requestType({ type: 'toString' })).toBeNull();
    expect(requestType(null)).toBeNull();
    expect(requestType('page.leave')).toBeNull();
  });
});
