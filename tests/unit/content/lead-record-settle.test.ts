// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CrmAdapter, LeadRead } from '../../../lib/crm/types';
import { createPanelFrame } from '../../../lib/content/panel-frame';

const sent: unknown[] = [];
vi.mock('../../../lib/messaging/client', () => ({
  sendRequest: vi.fn((request: unknown) => {
    sent.push(request);
    return Promise.resolve(undefined);
  }),
}));
const { runLeadRecord } = await import('../../../lib/content/lead-record');

const RECORD = '00Q5g00000AbCdEEAV';

/** A CRM whose header renders first and whose fields (`<dd data-field>`) render later, each on its own. */
function crm(): { adapter: CrmAdapter; reads: () => number } {
  let reads = 0;
  const adapter = {
    id: 'salesforce',
    findRecordAnchor: (doc: Document, recordId: string) => doc.querySelector(`header[data-record="${recordId}"]`),
    readLead: (doc: Document): LeadRead => {
      reads++;
      const name = doc.querySelector('[data-field="name"]')?.textContent ?? null;
      const company = doc.querySelector('[data-field="company"]')?.textContent ?? null;
      const missing = [...(name === null ? ['name' as const] : []), ...(company === null ? ['company' as const] : [])];
      return { status: missing.length === 0 ? 'complete' : missing.length === 2 ? 'none' : 'partial', lead: { name: name ?? '', company: company ?? '' }, missing, empty: [] } as unknown as LeadRead;
    },
  } as unknown as CrmAdapter;
  return { adapter, reads: () => reads };
}

function field(name: string, value: string): void {
  const dd = document.createElement('dd');
  dd.dataset.field = name;
  dd.textContent = value;
  document.body.append(dd);
}

/** The CRM shows the record's header (its fields not yet) and the content script starts its visit. */
function visit(): { controller: AbortController; reads: () => number; run: Promise<void> } {
  const controller = new AbortController();
  const { adapter, reads } = crm();
  const header = document.createElement('header');
  header.dataset.record = RECORD;
  document.body.append(header);
  return { controller, reads, run: runLeadRecord(adapter, RECORD, createPanelFrame(document, controller.signal), document, controller.signal) };
}

/** MutationObserver callbacks and the read they schedule run in microtasks: a task boundary lets them all run. */
const nextTask = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  document.body.replaceChildren();
  sent.length = 0;
});

describe('reading a record whose fields render after its header', () => {
  it('re-reads as fields arrive, and stops watching the page once a read finds them all', async () => {
    const { controller, reads, run } = visit();
    await nextTask();
    field('name', 'Sato');
    await nextTask();
    expect(sent.at(-1)).toMatchObject({ type: 'page.lead', read: { status: 'partial', lead: { name: 'Sato' } } });
    field('company', 'Acme');
    await nextTask();
    expect(sent.at(-1)).toMatchObject({ type: 'page.lead', read: { status: 'complete', lead: { name: 'Sato', company: 'Acme' } } });
    const after = reads();
    // the CRM goes on rendering (related lists, activity): no more reads of the page
    for (let i = 0; i < 20; i++) {
      document.body.append(document.createElement('li'));
      await nextTask();
    }
    expect(reads()).toBe(after);
    // and the visit's work is done, without waiting out the settle time (6 s; the test's limit is 5)
    await run;
    controller.abort();
  });

  it('keeps re-reading while a field is missing', async () => {
    const { controller, reads } = visit();
    await nextTask();
    field('name', 'Sato');
    await nextTask();
    const before = reads();
    document.body.append(document.createElement('li'));
    await nextTask();
    expect(reads()).toBe(before + 1);
    controller.abort();
  });
});
