import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PanelView, type PanelViewProps } from '../../../components/panel/PanelView';
import { createTranslator } from '../../../lib/i18n';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { foldLead } from '../../../lib/domain/lifecycle';
import { computeClocks } from '../../../lib/domain/clocks';
import type { LeadEvent } from '../../../lib/domain/events';
import { accepted, handedOver, rejected, MARKETER, REP_A, REP_B } from '../../unit/domain/builders';

// Testing Library's events are synthetic (isTrusted = false); the panel refuses those in the
// browser, so here the gesture check is replaced by "yes" to exercise the flows.
vi.mock('../../../components/panel/gesture', () => ({ isUserGesture: () => true }));

const read: PanelViewProps['read'] = {
  crm: 'salesforce',
  recordId: '00Q5g00000AbCdEEAV',
  status: 'complete',
  lead: { name: '山田 太郎', company: '株式会社サクラテック', email: 'taro@sakuratech.co.jp' },
  missing: [],
};

function setup(events: LeadEvent[], overrides: Partial<PanelViewProps> = {}, lang: 'ja' | 'en' = 'ja') {
  const now = new Date('2026-11-24T10:00:00+09:00');
  const state = events.length ? foldLead(events) : null;
  const onDecide = vi.fn();
  render(
    <PanelView
      t={createTranslator(lang)}
      lang={lang}
      read={read}
      state={state}
      clocks={state ? computeClocks(state, DEFAULT_DEFINITION, now) : []}
      definition={DEFAULT_DEFINITION}
      actorId={REP_A.id}
      saving={false}
      error={null}
      onDecide={onDecide}
      {...overrides}
    />,
  );
  return { onDecide, user: userEvent.setup() };
}

const handoff = () => handedOver({ at: '2026-11-24T09:00:00+09:00', actor: MARKETER });

describe('PanelView', () => {
  it('pending: shows the acceptance countdown and records 受領', async () => {
    const { onDecide, user } = setup([handoff()]);
    expect(screen.getByTestId('lead-status')).toHaveTextContent('受領待ち');
    const clock = screen.getByText('受領期限').closest('li')!;
    expect(clock).toHaveAttribute('data-state', 'running');
    expect(within(clock).getByText(/残り 7時間 0分/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '受領' }));
    expect(onDecide).toHaveBeenCalledWith({ type: 'accepted', payload: { checklist: {} } });
  });

  it('reject needs a reason, and その他 needs a comment', async () => {
    const { onDecide, user } = setup([handoff()]);
    await user.click(screen.getByRole('button', { name: '却下' }));
    await user.click(screen.getByRole('button', { name: '却下する' }));
    expect(screen.getByRole('alert')).toHaveTextContent('却下理由を選択してください。');
    await user.selectOptions(screen.getByLabelText('却下理由'), 'その他');
    await user.click(screen.getByRole('button', { name: '却下する' }));
    expect(screen.getByRole('alert')).toHaveTextContent('この理由ではコメントが必要です。');
    expect(onDecide).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText('コメント'), '展示会の名刺交換のみ');
    await user.click(screen.getByRole('button', { name: '却下する' }));
    expect(onDecide).toHaveBeenCalledWith({ type: 'rejected', payload: { reasonCode: 'other', comment: '展示会の名刺交換のみ' } });
  });

  it('accepted: says who accepted and runs the first-contact clock instead', () => {
    setup([handoff(), accepted({ at: '2026-11-24T09:30:00+09:00', actor: REP_B })], {}, 'en');
    expect(screen.getByTestId('lead-status')).toHaveTextContent('Accepted (SAL)');
    expect(screen.getByText(/Accepted by 鈴木/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Accept' })).toBeNull();
    expect(screen.getByText(/First contact/).closest('li')).toHaveAttribute('data-state', 'running');
    expect(screen.getByText('Accept by').closest('li')).toHaveAttribute('data-state', 'met');
  });

  it('rejected: shows the reason and the comment as text', () => {
    setup([handoff(), rejected({ at: '2026-11-24T09:30:00+09:00' }, { reasonCode: 'other', comment: '<b>not bold</b>' })]);
    expect(screen.getByText(/あなた が .* に却下/)).toBeInTheDocument();
    expect(screen.getByText('その他')).toBeInTheDocument();
    expect(screen.getByText('<b>not bold</b>')).toBeInTheDocument();
  });

  it('a page it could not read says so and offers no decision', () => {
    setup([], { read: { ...read, status: 'none', lead: {}, missing: ['name', 'company'] } });
    expect(screen.getByRole('alert')).toHaveTextContent('このページからリード情報を読み取れませんでした。');
    expect(screen.queryByRole('button', { name: '受領' })).toBeNull();
  });

  it('shows a save error in the user language', () => {
    setup([handoff()], { error: 'disk full' }, 'en');
    expect(screen.getByRole('alert')).toHaveTextContent('Could not save: disk full');
  });
});
