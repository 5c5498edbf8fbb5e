// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CrmAdapter } from '../../../lib/crm/types';
import { createPanelFrame, PANEL_HEIGHT_MESSAGE, type PanelFrame } from '../../../lib/content/panel-frame';

// The background's replies are held by the test: the panel's placement must not wait for them
// on a first visit, and must on a later one (the frame then still shows the previous lead).
const replies: Array<() => void> = [];
vi.mock('../../../lib/messaging/client', () => ({
  sendRequest: vi.fn(() => new Promise((resolve) => replies.push(() => resolve(undefined)))),
}));
const { runLeadRecord } = await import('../../../lib/content/lead-record');

const RECORD = '00Q5g00000AbCdEEAV';

/** A CRM whose record header is `<header data-record="…">`; every read is complete. */
const adapter = {
  id: 'salesforce',
  readLead: () => ({ status: 'complete', lead: { name: 'x' }, missing: [] }),
  findRecordAnchor: (doc: Document, recordId: string) => doc.querySelector(`header[data-record="${recordId}"]`),
} as unknown as CrmAdapter;

/** What the CRM's own script does when its data arrives: the header and the rest in one task. */
function renderRecord(recordId: string): HTMLElement {
  const header = document.createElement('header');
  header.dataset.record = recordId;
  header.textContent = `record ${recordId}`;
  const body = document.createElement('section');
  document.body.append(header, body);
  return header;
}

const nextTask = () => new Promise((r) => setTimeout(r, 0));
const placedAfter = (frame: PanelFrame, anchor: Element) => anchor.nextElementSibling === frame.element && frame.element.style.display === 'block';

let controller: AbortController;
beforeEach(() => {
  controller = new AbortController();
  document.body.replaceChildren();
  replies.length = 0;
});
afterEach(() => controller.abort());

describe('panel placement (lib/content/lead-record.ts)', () => {
  it('places a new panel in the same microtask checkpoint as the header renders, before the background replies', async () => {
    const frame = createPanelFrame(document, controller.signal);
    const run = runLeadRecord(adapter, RECORD, frame, document, controller.signal);
    await nextTask();
    let placedBeforeNextTask = false;
    const header = renderRecord(RECORD);
    // a task queued by the page's render runs after the browser's style and layout of that render
    setTimeout(() => (placedBeforeNextTask = placedAfter(frame, header)));
    expect(placedAfter(frame, header)).toBe(false);
    await nextTask();
    expect(placedBeforeNextTask).toBe(true);
    // the lead went to the background first
    expect(replies).toHaveLength(1);
    replies[0]!();
    await run;
  });

  it('shows a panel that showed another record only once the background holds the new one', async () => {
    const frame = createPanelFrame(document, controller.signal);
    const a = renderRecord('00Q5g00000FgHiJEAV');
    const first = runLeadRecord(adapter, '00Q5g00000FgHiJEAV', frame, document, controller.signal);
    await nextTask();
    expect(placedAfter(frame, a)).toBe(true);
    replies.shift()!();
    await first;

    frame.hide();
    const b = renderRecord(RECORD);
    const second = runLeadRecord(adapter, RECORD, frame, document, controller.signal, { anchor: a, text: a.textContent! });
    await nextTask();
    expect(replies).toHaveLength(1);
    expect(frame.element.style.display).toBe('none');
    replies.shift()!();
    await second;
    expect(placedAfter(frame, b)).toBe(true);
  });
});

describe('panel frame height (lib/content/panel-frame.ts)', () => {
  const report = (frame: PanelFrame, height: number) => {
    const iframe = frame.element.querySelector('iframe')!;
    window.dispatchEvent(new MessageEvent('message', { data: { type: PANEL_HEIGHT_MESSAGE, height }, origin: new URL(iframe.src).origin, source: iframe.contentWindow }));
  };
  // the host carries the height (contain:strict); the iframe fills it
  const frameHeight = (frame: PanelFrame) => frame.element.style.height;

  it('grows at once, but shrinks only once the panel has stayed shorter for a moment', () => {
    vi.useFakeTimers();
    try {
      const frame = createPanelFrame(document, controller.signal);
      frame.showAfter(renderRecord(RECORD));
      expect(frameHeight(frame)).toBe('336px');
      expect(frame.element.querySelector('iframe')!.style.height).toBe('100%');
      // the panel loading: a transient small height, then its lead
      report(frame, 21);
      vi.advanceTimersByTime(20);
      report(frame, 412.4);
      expect(frameHeight(frame)).toBe('413px');
      vi.advanceTimersByTime(1000);
      expect(frameHeight(frame)).toBe('413px');
      // a shorter panel that stays so
      report(frame, 150);
      vi.advanceTimersByTime(100);
      expect(frameHeight(frame)).toBe('413px');
      vi.advanceTimersByTime(100);
      expect(frameHeight(frame)).toBe('150px');
      // bounded, and only from the panel's own window
      report(frame, 1e6);
      expect(frameHeight(frame)).toBe('2000px');
      window.dispatchEvent(new MessageEvent('message', { data: { type: PANEL_HEIGHT_MESSAGE, height: 500 }, origin: 'https://acme.lightning.force.com', source: window }));
      vi.advanceTimersByTime(1000);
      expect(frameHeight(frame)).toBe('2000px');
    } finally {
      vi.useRealTimers();
    }
  });
});
