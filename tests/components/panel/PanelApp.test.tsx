import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PanelApp } from '../../../components/panel/PanelApp';
import { sendRequest } from '../../../lib/messaging/client';
import { tabLeadKey, type ResponseMap, type TabLead } from '../../../lib/messaging/protocol';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { handedOver, jst, MARKETER, REP_A } from '../../unit/domain/builders';

// Testing Library's events are synthetic; the browser-only gesture check is replaced by "yes" here
// (tests/e2e/keyboard.test.ts presses the real keys).
vi.mock('../../../components/panel/gesture', () => ({ isUserGesture: () => true }));
vi.mock('../../../lib/messaging/client', () => ({ sendRequest: vi.fn() }));

const LEAD_KEY = 'salesforce:00Q5g00000AbCdEEAV';
const TAB_LEAD: TabLead = {
  leadKey: LEAD_KEY,
  url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view',
  at: 0,
  read: {
    crm: 'salesforce',
    recordId: '00Q5g00000AbCdEEAV',
    status: 'complete',
    lead: { name: '山田 太郎', company: '株式会社サクラテック', title: '営業部長', email: 'taro@sakuratech.co.jp', phone: '03-1234-5678', score: 82 },
    missing: [],
  },
};

/** The background's replies; `panel.record` answers with what `record` resolves to. */
function answer(record: () => Promise<ResponseMap['panel.record']>): void {
  vi.mocked(sendRequest).mockImplementation(((request: { type: string }) => {
    switch (request.type) {
      case 'panel.hello':
        return Promise.resolve({ ok: true, tabId: 7 });
      case 'panel.context':
        return Promise.resolve({ definition: DEFAULT_DEFINITION, actorId: REP_A.id, role: null, lang: 'ja', signedOut: false });
      case 'panel.leadEvents':
        return Promise.resolve({ events: [handedOver({ at: jst('2026-11-24T09:00'), actor: MARKETER })] });
      case 'panel.writebacks':
        return Promise.resolve({ writebacks: [] });
      case 'panel.record':
        return record();
      default:
        return Promise.reject(new Error(`unexpected ${request.type}`));
    }
  }) as typeof sendRequest);
}

async function renderPanel() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <PanelApp />
    </QueryClientProvider>,
  );
  return screen.findByRole('button', { name: '受領' }, { timeout: 3000 });
}

const announcer = () => screen.getByTestId('panel-announcer');

describe('a decision from the panel', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    vi.mocked(sendRequest).mockReset();
    await fakeBrowser.storage.session.set({ [tabLeadKey(7)]: TAB_LEAD });
  });

  it('recorded at once: says so, without a saving state coming and going', async () => {
    answer(() => Promise.resolve({ ok: true, eventId: 'e1' }));
    const user = userEvent.setup();
    await user.click(await renderPanel());
    await waitFor(() => expect(announcer()).toHaveTextContent('受領しました'));
    expect(vi.mocked(sendRequest)).toHaveBeenCalledWith(expect.objectContaining({ type: 'panel.record', leadKey: LEAD_KEY, draft: expect.objectContaining({ type: 'accepted' }) }));
    // past the moment a slow write would show it
    await new Promise((r) => setTimeout(r, 150));
    expect(screen.queryByText('保存中…')).not.toBeInTheDocument();
  });

  it('a slow write shows the saving state and disables the decision until it is recorded; a second click sends nothing', async () => {
    let reply!: (r: ResponseMap['panel.record']) => void;
    answer(() => new Promise((resolve) => (reply = resolve)));
    const user = userEvent.setup();
    const accept = await renderPanel();
    await user.click(accept);
    await user.click(accept);
    expect(await screen.findByText('保存中…')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '受領' })).toBeDisabled();
    expect(vi.mocked(sendRequest).mock.calls.filter(([r]) => r.type === 'panel.record')).toHaveLength(1);
    reply({ ok: true, eventId: 'e1' });
    await waitFor(() => expect(announcer()).toHaveTextContent('受領しました'));
    expect(screen.queryByText('保存中…')).not.toBeInTheDocument();
  });

  it('refused: says why, announces no decision, and the rep can press again', async () => {
    answer(() => Promise.resolve({ ok: false, error: 'storage_full' }));
    const user = userEvent.setup();
    await user.click(await renderPanel());
    expect(await screen.findByTestId('decision-error')).toHaveTextContent('ブラウザの保存領域がいっぱい');
    expect(announcer()).not.toHaveTextContent('受領しました');
    await user.click(screen.getByRole('button', { name: '受領' }));
    await waitFor(() => expect(vi.mocked(sendRequest).mock.calls.filter(([r]) => r.type === 'panel.record')).toHaveLength(2));
  });
});
