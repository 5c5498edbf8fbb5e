// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { salesforceLightning } from '../../../lib/crm';
import { openShadowRoots } from '../../../lib/crm/dom';
import { NAMED_LEADS, SANDBOX_OWNER, leadDisplayName } from '../../sandbox/leads';
import { LIGHTNING_APP_JS, lightningData, lightningShell } from '../../sandbox/server';
import { renderSandboxPage } from './sandbox-page';

// The Lightning record page in synthetic, native and mixed shadow DOM, each with the markup of
// today and of releases that renamed or dropped the hooks (tests/sandbox/lightning/app.js),
// rendered by the sandbox app itself: every field is read on every variant, by the strategy meant
// for that markup (issue 16: one renamed hook costs a strategy, not the read).
const yamada = NAMED_LEADS[0]!;
const LEAD = {
  name: leadDisplayName(yamada),
  company: yamada.company,
  title: yamada.title,
  email: yamada.email,
  phone: yamada.phone,
  leadSource: yamada.leadSource,
  status: yamada.status,
  owner: SANDBOX_OWNER.name,
  score: yamada.score,
};
const FIELDS = Object.keys(LEAD) as (keyof typeof LEAD)[];

const page = (query: string) => renderSandboxPage(lightningShell(lightningData(0)), LIGHTNING_APP_JS, `/lightning/r/Lead/${yamada.id15}/view?${query}`);

describe.each([
  ['', 'synthetic'],
  ['open', 'native'],
  ['mixed', 'mixed'],
])('Lightning record page, sandboxShadow=%s (%s shadow DOM)', (shadow) => {
  it.each([
    ['', 'api-name'],
    ['renamed', 'field-label'],
    ['labels', 'label-text'],
  ])('markup %s: every field read by %s, the panel anchored on the highlights header', async (markup, strategy) => {
    const doc = await page(`sandboxShadow=${shadow}&sandboxMarkup=${markup}`);
    if (markup) expect(doc.querySelector('.test-id__field-value')).toBeNull(); // the variant did rename it
    const read = salesforceLightning.readLead(doc, yamada.id);
    expect(read.status).toBe('complete');
    expect(read.lead).toEqual(LEAD);
    expect(read.via).toEqual(Object.fromEntries(FIELDS.map((f) => [f, strategy])));
    expect(salesforceLightning.findRecordAnchor(doc, yamada.id)?.localName).toBe('records-lwc-highlights-panel');
    expect(salesforceLightning.lastAnchor).toBe('highlights');
  });
});

describe('Lightning strategies in order', () => {
  it('the API name wins over a field-label attribute that says otherwise', async () => {
    const doc = await page('sandboxShadow=');
    // a layout item whose field-label claims to be the company, placed first in the document
    doc
      .querySelector('records-lwc-detail-panel')!
      .insertAdjacentHTML('afterbegin', '<records-record-layout-item field-label="会社名"><span class="test-id__field-value">偽物株式会社</span></records-record-layout-item>');
    const read = salesforceLightning.readLead(doc, yamada.id);
    expect(read.lead.company).toBe(yamada.company);
    expect(read.via.company).toBe('api-name');
  });

  it('a field no strategy finds is missing, the rest is read, and the header still gives the name', async () => {
    const doc = await page('sandboxShadow=mixed&sandboxMarkup=labels');
    for (const label of Array.from(doc.querySelectorAll('records-record-layout-item')).flatMap((item) => Array.from((item.shadowRoot ?? item).querySelectorAll('.slds-form-element__label'))))
      if (label.textContent === 'リード状況' || label.textContent === '名前') label.textContent = '別の項目';
    const read = salesforceLightning.readLead(doc, yamada.id);
    expect(read.status).toBe('partial');
    expect(read.missing).toEqual(['status']);
    expect(read.lead.name).toBe(LEAD.name);
    expect(read.via.name).toBe('header');
    expect(read.lead.company).toBe(LEAD.company);
  });
});

// A read tries many strategies, each of which may search open shadow roots. Finding those roots
// means walking every element of the page (there is no selector for shadow hosts), so on a large
// record page a walk per strategy made the page cost grow with the page. The walk is for markup
// the light DOM does not have, and is done at most once per read.
describe('Lightning reads walk the page for shadow roots only when they must', () => {
  /** Counts whole-page walks (`querySelectorAll('*')` on the document or a record view) while `run` runs. */
  function pageWalks(doc: Document, run: () => void): number {
    let walks = 0;
    const views = new Set<unknown>([doc, ...doc.querySelectorAll('.windowViewMode-normal')]);
    const spy = (proto: { querySelectorAll: (s: string) => NodeListOf<Element> }) => {
      const original = proto.querySelectorAll;
      proto.querySelectorAll = function (this: unknown, selector: string) {
        if (selector === '*' && views.has(this)) walks++;
        return original.call(this, selector);
      };
      return () => (proto.querySelectorAll = original);
    };
    const restore = [spy(doc.defaultView!.Document.prototype), spy(doc.defaultView!.Element.prototype)];
    try {
      run();
    } finally {
      restore.forEach((r) => r());
    }
    return walks;
  }

  it('synthetic shadow (everything in the light DOM): no walk at all', async () => {
    const doc = await page('sandboxShadow=');
    const walks = pageWalks(doc, () => {
      expect(salesforceLightning.readLead(doc, yamada.id).lead).toEqual(LEAD);
      expect(salesforceLightning.findRecordAnchor(doc, yamada.id)).not.toBeNull();
    });
    expect(walks).toBe(0);
  });

  it('native shadow, and a field missing from the layout: one walk per read, however many strategies miss', async () => {
    const doc = await page('sandboxShadow=open');
    const scoreItems = '[data-target-selection-name$=".Score__c"], records-record-layout-item[field-label="スコア"]';
    for (const root of [doc, ...openShadowRoots(doc)]) for (const item of root.querySelectorAll(scoreItems)) item.remove();
    let read: ReturnType<typeof salesforceLightning.readLead> | undefined;
    const walks = pageWalks(doc, () => (read = salesforceLightning.readLead(doc, yamada.id)));
    expect(read!.lead.company).toBe(LEAD.company);
    expect(read!.lead.score).toBeUndefined();
    expect(walks).toBe(1);
  });
});
