// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { dynamics, readDynamicsLead } from '../../../lib/crm/dynamics';
import { NAMED_LEADS, leadDisplayName } from '../../sandbox/leads';
import { DYNAMICS_APP_JS, dynamicsRecordPath, dynamicsShell } from '../../sandbox/dynamics';
import { renderSandboxPage } from './sandbox-page';

// Every header layout real Dynamics 365 forms have (see `headerFields` in
// tests/sandbox/dynamics-app.js), rendered by the sandbox app itself: each field is read on each,
// and the strategy that read it is the one meant for that layout.
const yamada = NAMED_LEADS[0]!;
const ID = dynamicsRecordPath(yamada).split('&id=')[1]!;
const HEADER_FIELDS = { leadSource: 'Web', status: '新規', owner: '佐藤 健一' } as const;
const BODY = { name: leadDisplayName(yamada), company: yamada.company, title: yamada.title, email: yamada.email, phone: yamada.phone };

const page = (header: string) => renderSandboxPage(dynamicsShell(0), DYNAMICS_APP_JS, `${dynamicsRecordPath(yamada)}${header ? `&sandboxHeader=${header}` : ''}`);

describe.each([
  // [layout, strategy for the header fields, shadow roots on the page]
  ['', 'popout', 'none: the default sandbox page, named items in the light DOM'],
  ['uci', 'header', 'native: list and items behind open shadow roots, values slotted'],
  ['uci-light', 'header', 'synthetic: the same elements without shadow roots'],
  ['unnamed', 'label', 'none: older unnamed header items'],
  ['unnamed-shadow', 'label', 'mixed: unnamed items behind shadow roots, labels slotted'],
  ['popout', 'popout', 'none: only the pop-out the user expanded'],
])('Dynamics header layout %s', (layout, strategy, shadows) => {
  it(`reads every field; header fields by ${strategy} (shadow roots: ${shadows})`, async () => {
    const doc = await page(layout);
    const read = readDynamicsLead(doc, ID);
    expect(read.status).toBe('complete');
    expect(read.lead).toEqual({ ...BODY, ...HEADER_FIELDS });
    expect(read.via).toEqual({ name: 'title', company: 'body', title: 'body', email: 'body', phone: 'body', leadSource: strategy, status: strategy, owner: strategy });
    expect(dynamics.findRecordAnchor(doc, ID)?.getAttribute('data-id')).toBe('form-header');
  });
});

describe('Dynamics header strategies in order', () => {
  it('the always-visible uci item wins over the pop-out, the pop-out over a label', async () => {
    const doc = await page('uci');
    // the user expanded the pop-out with a stale value: the always-visible item still wins
    doc
      .querySelector('[data-id="form-header"]')!
      .insertAdjacentHTML('beforeend', '<div data-id="header_statuscode"><div data-id="header_statuscode.fieldControl-option-set-select">古い値</div></div>');
    expect(readDynamicsLead(doc, ID).lead.status).toBe('新規');
    expect(readDynamicsLead(doc, ID).via.status).toBe('header');
  });

  it('a field no strategy finds is missing and the rest of the lead is still read', async () => {
    const doc = await page('uci');
    const list = doc.querySelector('uci-header-control-list')!;
    list.shadowRoot!.querySelector('[data-name="header_statuscode"]')!.remove();
    const read = readDynamicsLead(doc, ID);
    expect(read.status).toBe('partial');
    expect(read.missing).toEqual(['status']);
    expect(read.lead).toEqual({ ...BODY, leadSource: 'Web', owner: '佐藤 健一' });
  });

  it('a header item shown empty ("---") is empty, not missing', async () => {
    const doc = await page('unnamed-shadow');
    const items = doc.querySelector('uci-header-control-list')!.shadowRoot!.querySelectorAll('uci-header-control-list-item');
    items[0]!.querySelector('[slot="value"]')!.textContent = '---';
    const read = readDynamicsLead(doc, ID);
    expect(read.empty).toEqual(['leadSource']);
    expect(read.lead.leadSource).toBeUndefined();
    expect(read.status).toBe('complete');
  });
});
