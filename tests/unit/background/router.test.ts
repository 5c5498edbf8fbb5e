import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { registerMessageRouter, verifySender, type Handlers } from '../../../lib/background/router';
import { customAdapters } from '../../../lib/crm/custom';
import { CUSTOM_CRM_CONFIG } from '../../sandbox/custom-crm';

const EXT = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/';
const ID = 'abcdefghijklmnopabcdefghijklmnop';
const leadPage = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view';

describe('verifySender', () => {
  it('accepts page messages only from our content script in the top frame of a CRM tab', () => {
    expect(verifySender('page.lead', { id: ID, url: leadPage, tab: { id: 7 } as never, frameId: 0 }, EXT, ID)).toMatchObject({ kind: 'page', tabId: 7 });
    expect(verifySender('page.lead', { id: ID, url: leadPage, tab: { id: 7 } as never, frameId: 3 }, EXT, ID)).toBeNull();
    expect(verifySender('page.lead', { id: ID, url: 'https://evil.example.com/', tab: { id: 7 } as never, frameId: 0 }, EXT, ID)).toBeNull();
    expect(verifySender('page.lead', { id: 'another-extension', url: leadPage, tab: { id: 7 } as never, frameId: 0 }, EXT, ID)).toBeNull();
    expect(verifySender('page.lead', { id: ID, url: leadPage, frameId: 0 }, EXT, ID)).toBeNull();
  });

  it('judges a page by the tab URL the user sees now (SPA navigation keeps the first sender.url)', () => {
    const moved = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000FgHiJ/view';
    const verified = verifySender('page.lead', { id: ID, url: leadPage, tab: { id: 7, url: moved } as never, frameId: 0 }, EXT, ID);
    expect(verified?.url.href).toBe(moved);
    // a tab that moved to another site is not a CRM page any more
    expect(verifySender('page.lead', { id: ID, url: leadPage, tab: { id: 7, url: 'https://evil.example.com/' } as never, frameId: 0 }, EXT, ID)).toBeNull();
  });

  it('accepts decisions and app messages only from our own extension pages', () => {
    expect(verifySender('panel.record', { id: ID, url: `${EXT}panel.html`, tab: { id: 7 } as never, frameId: 5 }, EXT, ID)).toMatchObject({ kind: 'extension', tabId: 7 });
    // a content script (CRM page URL) cannot record a decision, even from our own extension id
    expect(verifySender('panel.record', { id: ID, url: leadPage, tab: { id: 7 } as never, frameId: 0 }, EXT, ID)).toBeNull();
    expect(verifySender('app.syncNow', { id: ID, url: `${EXT}popup.html` }, EXT, ID)).toMatchObject({ kind: 'extension', tabId: null });
  });

  it('knows the panel reached through its per-session dynamic URL, and passes on the tab URL it sits in', () => {
    const dynamic = 'chrome-extension://f1c864fc-5e68-4e73-abc7-d9f6eb5debb2/panel.html';
    const verified = verifySender('panel.record', { id: ID, url: dynamic, tab: { id: 7, url: leadPage } as never, frameId: 5 }, EXT, ID);
    expect(verified).toMatchObject({ kind: 'extension', tabId: 7, frameId: 5 });
    expect(verified?.kind === 'extension' && verified.tabUrl?.href).toBe(leadPage);
    // the same document from another extension is not ours
    expect(verifySender('panel.record', { id: 'another-extension', url: dynamic, tab: { id: 7 } as never, frameId: 5 }, EXT, ID)).toBeNull();
  });

  it("accepts page messages from a configured CRM's pages only when that CRM is passed in", () => {
    const page = 'https://leads.example-crm.test/app/leads/1001';
    const sender = { id: ID, url: page, tab: { id: 7, url: page } as never, frameId: 0 };
    expect(verifySender('page.lead', sender, EXT, ID)).toBeNull();
    const custom = customAdapters([CUSTOM_CRM_CONFIG]);
    expect(verifySender('page.lead', sender, EXT, ID, custom)).toMatchObject({ kind: 'page', tabId: 7 });
    // another host is still refused, and a configured CRM page still cannot record a decision
    expect(verifySender('page.lead', { ...sender, url: 'https://evil.example.com/', tab: { id: 7, url: 'https://evil.example.com/' } as never }, EXT, ID, custom)).toBeNull();
    expect(verifySender('panel.record', sender, EXT, ID, custom)).toBeNull();
  });
});

describe('registerMessageRouter', () => {
  beforeEach(() => fakeBrowser.reset());

  it('answers a malformed request of ours from a checked sender with why, and leaves others unanswered', async () => {
    const base = browser.runtime.getURL('/');
    const record = vi.fn(async () => ({ ok: true as const, eventId: 'e' }));
    registerMessageRouter({ 'panel.record': record } as unknown as Handlers);
    const panel = { id: browser.runtime.id, url: `${base}panel.html`, tab: { id: 7 } as never, frameId: 5 };
    const bad = { type: 'panel.record', leadKey: 'salesforce:00Q5g00000AbCdEEAV', draft: { type: 'contacted', payload: {} }, ancestorOrigins: [] };
    const [answer] = await fakeBrowser.runtime.onMessage.trigger(bad, panel, () => undefined);
    expect(answer).toMatchObject({ ok: false, error: 'invalid_request', issues: [expect.stringContaining('draft.payload.channel')] });
    expect(record).not.toHaveBeenCalled();
    // the same from a web page's content script: refused, no answer at all
    expect(await fakeBrowser.runtime.onMessage.trigger(bad, { ...panel, url: leadPage, frameId: 0 }, () => undefined)).toEqual([undefined]);
    // not one of ours: no answer
    expect(await fakeBrowser.runtime.onMessage.trigger({ type: 'other.thing' }, panel, () => undefined)).toEqual([undefined]);
    const good = { ...bad, draft: { type: 'contacted', payload: { channel: 'call' } } };
    expect(await fakeBrowser.runtime.onMessage.trigger(good, panel, () => undefined)).toEqual([{ ok: true, eventId: 'e' }]);
    expect(record).toHaveBeenCalledOnce();
  });
});
