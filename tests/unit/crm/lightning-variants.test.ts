// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { salesforceLightning } from '../../../lib/crm';
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
