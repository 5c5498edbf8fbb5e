import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PanelView, type PanelViewProps } from '../../../components/panel/PanelView';
import { createTranslator, type Lang } from '../../../lib/i18n';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { foldLead } from '../../../lib/domain/lifecycle';
import { computeClocks } from '../../../lib/domain/sla-clocks';
import type { LeadEvent } from '../../../lib/domain/events';
import type { Role } from '../../../lib/domain/roles';
import { handedOver, jst, recycled, MARKETER, REP_A } from '../../unit/domain/builders';

// Testing Library's events are synthetic (isTrusted = false); the panel refuses those in the
// browser, so here the gesture check is replaced by "yes" to exercise the flows.
vi.mock('../../../components/panel/gesture', () => ({ isUserGesture: () => true }));

process.env.TZ = 'Asia/Tokyo';
const NOW = jst('2026-11-24T10:00');

const read: NonNullable<PanelViewProps['read']> = {
  crm: 'salesforce',
  recordId: '00Q5g00000AbCdEEAV',
  status: 'complete',
  lead: { name: '山田 太郎', company: '株式会社サクラテック', title: '営業部長', email: 'taro@sakuratech.co.jp', phone: '03-1234-5678', score: 82 },
  missing: [],
};

function setup(events: LeadEvent[], o: { lang?: Lang; role?: Role | null; actorId?: string } = {}) {
  const lang = o.lang ?? 'ja';
  const state = events.length ? foldLead(events) : null;
  const onDecide = vi.fn();
  render(
    <PanelView
      t={createTranslator(lang)}
      lang={lang}
      read={read}
      state={state}
      clocks={state ? computeClocks(state, DEFAULT_DEFINITION, NOW) : []}
      definition={DEFAULT_DEFINITION}
      actorId={o.actorId ?? REP_A.id}
      role={o.role ?? null}
      now={NOW}
      saving={false}
      error={null}
      onDecide={onDecide}
    />,
  );
  return { onDecide, user: userEvent.setup({ delay: null }) };
}

const agentHandoff = () =>
  handedOver(
    { at: jst('2026-11-24T09:00'), actor: MARKETER },
    { by: 'Nurture agent', sourceKind: 'agent', rationale: { why: '価格ページを3回閲覧', score: 91, intentTopic: 'pricing' }, note: '来週の展示会にも来場予定' },
  );

describe('where a hand-off came from, above 受領 / 却下', () => {
  it('ja: shows the source, the sender, the rationale and the note before the decision buttons', () => {
    setup([agentHandoff()], { role: 'rep' });
    const source = screen.getByRole('region', { name: '引き渡し元' });
    expect(source).toHaveTextContent('AI エージェント');
    expect(source).toHaveTextContent('Nurture agent');
    expect(within(source).getByText('理由: 価格ページを3回閲覧')).toBeInTheDocument();
    expect(within(source).getByText('送り手のスコア: 91')).toBeInTheDocument();
    expect(within(source).getByText('インテント: pricing')).toBeInTheDocument();
    expect(within(source).getByText('メモ: 来週の展示会にも来場予定')).toBeInTheDocument();
    const accept = screen.getByRole('button', { name: '受領' });
    // the source is read first: it precedes the button in the document
    expect(source.compareDocumentPosition(accept) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('en: names a CRM rule as the source and gives its reason', () => {
    const rule = handedOver({ at: jst('2026-11-24T09:00'), actor: { id: 'crm-rule', name: '' } }, { by: 'crm-rule', sourceKind: 'crm-rule', rationale: { why: 'status = MQL' } });
    setup([rule], { lang: 'en' });
    const source = screen.getByRole('region', { name: 'Handed over via' });
    expect(source).toHaveTextContent('CRM rule');
    expect(source).not.toHaveTextContent('crm-rule');
    expect(within(source).getByText('Why: status = MQL')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Accept' })).toBeInTheDocument();
  });

  it('says so when an older hand-off recorded no source', () => {
    setup([handedOver({ at: jst('2026-11-24T09:00'), actor: MARKETER })]);
    expect(screen.getByRole('region', { name: '引き渡し元' })).toHaveTextContent('引き渡し元の記録なし');
  });
});

describe('a marketer in the panel', () => {
  it('ja: hands an untracked lead over with a note, and is not offered the sales-originated form', async () => {
    const { onDecide, user } = setup([], { role: 'marketer', actorId: MARKETER.id });
    const form = screen.getByRole('form', { name: '営業に引き渡す' });
    await user.type(within(form).getByLabelText('営業へのメモ (任意)'), '展示会で名刺交換、予算あり');
    await user.click(within(form).getByRole('button', { name: '営業に引き渡す' }));
    expect(onDecide).toHaveBeenCalledWith({ type: 'handed_over', payload: { by: '', sourceKind: 'panel', note: '展示会で名刺交換、予算あり' } });
    expect(screen.queryByRole('form', { name: '営業起点 SAL として登録' })).not.toBeInTheDocument();
  });

  it('en: sees the source and "waiting for sales" on a pending lead, never Accept / Reject', () => {
    setup([agentHandoff()], { role: 'marketer', actorId: MARKETER.id, lang: 'en' });
    expect(screen.getByRole('region', { name: 'Handed over via' })).toHaveTextContent('AI agent');
    expect(screen.getByText('Waiting for sales to accept or reject.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Accept' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reject' })).not.toBeInTheDocument();
  });

  it('en: hands a recycled lead over again (a new cycle), without a note', async () => {
    const { onDecide, user } = setup([agentHandoff(), recycled({ at: jst('2026-11-24T09:30') })], { role: 'marketer', actorId: MARKETER.id, lang: 'en' });
    await user.click(screen.getByRole('button', { name: 'Hand over to sales' }));
    expect(onDecide).toHaveBeenCalledWith({ type: 'handed_over', payload: { by: '', sourceKind: 'panel' } });
  });

  it('a rep is offered no hand-off form, but the sales-originated form as before', () => {
    setup([], { role: 'rep' });
    expect(screen.queryByRole('form', { name: '営業に引き渡す' })).not.toBeInTheDocument();
    expect(screen.getByRole('form', { name: '営業起点 SAL として登録' })).toBeInTheDocument();
  });

  it('an admin may do both: hand over, or register a sales-originated SAL', () => {
    setup([], { role: 'admin' });
    expect(screen.getByRole('form', { name: '営業に引き渡す' })).toBeInTheDocument();
    expect(screen.getByRole('form', { name: '営業起点 SAL として登録' })).toBeInTheDocument();
  });
});
