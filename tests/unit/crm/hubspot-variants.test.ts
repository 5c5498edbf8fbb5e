// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { hubspot, readHubSpotLead } from '../../../lib/crm/hubspot';
import { NAMED_LEADS, leadDisplayName } from '../../sandbox/leads';
import { HUBSPOT_APP_JS, hubSpotContactId, hubSpotContactPath, hubSpotShell } from '../../sandbox/hubspot';
import { renderSandboxPage } from './sandbox-page';

// The record page's markup variants seen on real HubSpot pages (see hubspot-app.js), rendered by
// the sandbox app itself: each field is read on each, by the strategy meant for that variant.
const yamada = NAMED_LEADS[0]!;
const ID = hubSpotContactId(yamada);
// what the sandbox serves for this person (lead status in HubSpot's Japanese option label)
const LEAD = {
  name: leadDisplayName(yamada),
  company: yamada.company,
  title: yamada.title,
  email: yamada.email,
  phone: yamada.phone,
  leadSource: yamada.leadSource,
  status: '新規',
  owner: yamada.owner,
  score: yamada.score,
};
// every property by its editor's hook; dropdowns by their rendered text, never by a class name
const PROPERTIES = { company: 'property', title: 'property', email: 'property', phone: 'property', leadSource: 'property', status: 'property', owner: 'property', score: 'property' } as const;

describe.each([
  // [query, name strategy]
  ['', 'highlightTitle'],
  ['sandboxName=record-label', 'highlight-record-label'],
  ['sandboxClasses=renamed', 'highlightTitle'],
  ['sandboxName=record-label&sandboxClasses=renamed', 'highlight-record-label'],
  // native shadow: the name and every property behind open shadow roots; mixed: every other one
  ['sandboxShadow=open', 'highlightTitle'],
  ['sandboxShadow=mixed&sandboxName=record-label', 'highlight-record-label'],
])('HubSpot record page ?%s', (query, nameBy) => {
  it(`reads every field; the name by ${nameBy}`, async () => {
    const doc = await renderSandboxPage(hubSpotShell(0), HUBSPOT_APP_JS, `${hubSpotContactPath(yamada)}${query ? `?${query}` : ''}`);
    const read = readHubSpotLead(doc, ID);
    expect(read.status).toBe('complete');
    expect(read.lead).toEqual(LEAD);
    expect(read.via).toEqual({ name: nameBy, ...PROPERTIES });
    if (query.includes('renamed')) expect(doc.querySelector('.private-dropdown__item__label')).toBeNull(); // the variant did rename it
    expect(hubspot.findRecordAnchor(doc, ID)?.getAttribute('role')).toBe('tablist');
  });
});

describe('HubSpot strategies in order', () => {
  it('a property editor that lost its hook is read by its accessible name, or by the label next to it', async () => {
    const doc = await renderSandboxPage(hubSpotShell(0), HUBSPOT_APP_JS, `${hubSpotContactPath(yamada)}?sandboxShadow=mixed`);
    const editor = (name: string) =>
      [doc, ...Array.from(doc.querySelectorAll('hs-property'), (h) => h.shadowRoot!)].map((r) => r.querySelector(`[data-selenium-test="property-input-${name}"]`)).find(Boolean)!;
    editor('email').removeAttribute('data-selenium-test'); // an input: still named by aria-label
    editor('hs_lead_status').removeAttribute('data-selenium-test'); // a dropdown: only its label is left
    const read = readHubSpotLead(doc, ID);
    expect(read.lead).toEqual(LEAD);
    expect(read.via).toMatchObject({ email: 'aria-label', status: 'label', company: 'property' });
  });
});

describe('HubSpot name strategies', () => {
  it('without either name hook the name is missing, the other fields are read, and the panel waits for the name', async () => {
    const doc = await renderSandboxPage(hubSpotShell(0), HUBSPOT_APP_JS, `${hubSpotContactPath(yamada)}?sandboxName=record-label`);
    doc.querySelector('[data-test-id="highlight-record-label"]')!.remove();
    const read = readHubSpotLead(doc, ID);
    expect(read.status).toBe('partial');
    expect(read.missing).toEqual(['name']);
    expect(read.lead.email).toBe(LEAD.email);
    expect(hubspot.findRecordAnchor(doc, ID)).toBeNull();
    expect(hubspot.findRecordAnchor(doc, ID, { fallback: true })?.getAttribute('role')).toBe('tablist');
  });
});
