import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PanelView, type PanelViewProps } from '../../../components/panel/PanelView';
import { createTranslator, type Lang } from '../../../lib/i18n';
import { DEFAULT_DEFINITION, type SalDefinition } from '../../../lib/domain/definition';
import { foldLead } from '../../../lib/domain/lifecycle';
import { computeClocks } from '../../../lib/domain/sla-clocks';
import type { LeadEvent } from '../../../lib/domain/events';
import { accepted, contacted, handedOver, jst, progressUpdated, rejected, retracted, salesOriginated, won, MARKETER, REP_A, REP_B } from '../../unit/domain/builders';

// Testing Library's events are synthetic (isTrusted = false); the panel refuses those in the
// browser, so here the gesture check is replaced by "yes" to exercise the flows.
vi.mock('../../../components/panel/gesture', () => ({ isUserGesture: () => true }));

const goodRead: NonNullable<PanelViewProps['read']> = {
  crm: 'salesforce',
  recordId: '00Q5g00000AbCdEEAV',
  status: 'complete',
  lead: { name: '山田 太郎', company: '株式会社サクラテック', title: '営業部長', email: 'taro@sakuratech.co.jp', phone: '03-1234-5678', score: 82 },
  missing: [],
};
/** A lead that fails the default definition's data requirements three ways. */
const poorRead: NonNullable<PanelViewProps['read']> = {
  ...goodRead,
  lead: { name: '渡辺 健', company: '株式会社青葉フーズ', title: '購買部 担当', phone: '03-12', score: 12 },
};

// Deadlines are shown in the viewer's local zone; the reps here sit in Tokyo.
process.env.TZ = 'Asia/Tokyo';

const NOW = jst('2026-11-24T10:00'); // a Tuesday, a working day

interface Setup {
  read?: PanelViewProps['read'];
  lang?: Lang;
  now?: Date;
  definition?: SalDefinition;
  actorId?: string;
}

function setup(events: LeadEvent[], o: Setup = {}) {
  const now = o.now ?? NOW;
  const definition = o.definition ?? DEFAULT_DEFINITION;
  const lang = o.lang ?? 'ja';
  const state = events.length ? foldLead(events, { undoWindowMinutes: definition.undoWindowMinutes }) : null;
  const onDecide = vi.fn();
  render(
    <PanelView
      t={createTranslator(lang)}
      lang={lang}
      read={o.read === undefined ? goodRead : o.read}
      state={state}
      clocks={state ? computeClocks(state, definition, now) : []}
      definition={definition}
      actorId={o.actorId ?? REP_A.id}
      now={now}
      saving={false}
      error={null}
      onDecide={onDecide}
    />,
  );
  return { onDecide, user: userEvent.setup() };
}

const handoff = () => handedOver({ at: jst('2026-11-24T09:00'), actor: MARKETER });
const accept = (actor = REP_A, at = '2026-11-24T09:30') => accepted({ at: jst(at), actor }, { temperature: 'warm', comment: '予算感あり' });

describe('pending', () => {
  it('ja: shows the data checks from the page, takes the checklist (BANT), temperature and comment, and accepts in one click', async () => {
    const { onDecide, user } = setup([handoff()], { read: poorRead });
    expect(screen.getByTestId('lead-status')).toHaveTextContent('受領待ち');
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent('渡辺 健 · 株式会社青葉フーズ');
    const checks = screen.getByRole('region', { name: 'データ要件 (ページから判定)' });
    expect(within(checks).getByText('メール未入力')).toBeInTheDocument();
    expect(within(checks).getByText('電話番号が不正')).toBeInTheDocument();
    expect(within(checks).getByText('スコアが基準未満 (12 < 50)')).toBeInTheDocument();

    const bant = screen.getByRole('group', { name: /BANT条件を満たす/ });
    expect(bant).toHaveTextContent('2 項目以上 · 0/4 項目');
    await user.click(screen.getByLabelText('決裁者である'));
    await user.click(within(bant).getByLabelText('予算'));
    await user.click(within(bant).getByLabelText('ニーズ'));
    expect(bant).toHaveTextContent('2/4 項目');
    await user.click(screen.getByLabelText('ホット'));
    await user.type(screen.getByLabelText('コメント (任意)'), '来期導入を検討中');
    await user.click(screen.getByRole('button', { name: '受領' }));
    expect(onDecide).toHaveBeenCalledTimes(1);
    expect(onDecide).toHaveBeenCalledWith({
      type: 'accepted',
      payload: { checklist: { decision_maker: true, 'bant.budget': true, 'bant.need': true }, temperature: 'hot', comment: '来期導入を検討中' },
    });
  });

  it('en: a complete lead passes the data checks and Accept works without answering anything', async () => {
    const { onDecide, user } = setup([handoff()], { lang: 'en' });
    expect(screen.getByTestId('lead-status')).toHaveTextContent('Waiting for acceptance');
    expect(screen.getByText(/All data requirements are met/)).toBeInTheDocument();
    expect(screen.getByRole('group', { name: /Meets BANT/ })).toHaveTextContent('at least 2 · 0 of 4');
    await user.click(screen.getByRole('button', { name: 'Accept' }));
    expect(onDecide).toHaveBeenCalledWith({ type: 'accepted', payload: { checklist: {} } });
  });

  it('is keyboard operable: Tab reaches 受領 and Enter records it', async () => {
    const { onDecide, user } = setup([handoff()]);
    const accept = screen.getByRole('button', { name: '受領' });
    for (let i = 0; i < 30 && document.activeElement !== accept; i++) await user.tab();
    expect(accept).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(onDecide).toHaveBeenCalledWith({ type: 'accepted', payload: { checklist: {} } });
  });
});

describe('reject', () => {
  it('ja: a reason is required, その他 without a comment is refused with a clear message, then it records reason, temperature and comment', async () => {
    const { onDecide, user } = setup([handoff()]);
    await user.click(screen.getByRole('button', { name: '却下' }));
    await user.click(screen.getByRole('button', { name: '却下する' }));
    expect(screen.getByRole('alert')).toHaveTextContent('却下理由を選択してください。');
    const reasons = within(screen.getByLabelText('却下理由'))
      .getAllByRole('option')
      .map((o) => o.textContent);
    for (const r of ['対応済', '架電NG', '競合製品を使用中', '決裁者ではない', '予算なし', 'ニーズ不明確', '連絡先不備', '重複', 'その他']) expect(reasons).toContain(r);
    await user.selectOptions(screen.getByLabelText('却下理由'), 'その他');
    await user.click(screen.getByRole('button', { name: '却下する' }));
    expect(screen.getByRole('alert')).toHaveTextContent('この理由ではコメントが必要です。');
    expect(screen.getByLabelText('コメント *')).toHaveAttribute('aria-invalid', 'true');
    expect(onDecide).not.toHaveBeenCalled();
    await user.click(screen.getByLabelText('コールド'));
    await user.type(screen.getByLabelText('コメント *'), '展示会の名刺交換のみ');
    await user.click(screen.getByRole('button', { name: '却下する' }));
    expect(onDecide).toHaveBeenCalledWith({ type: 'rejected', payload: { reasonCode: 'other', temperature: 'cold', comment: '展示会の名刺交換のみ' } });
  });

  it('en: a reason the team configured as comment-required is refused without one', async () => {
    const definition: SalDefinition = {
      ...DEFAULT_DEFINITION,
      rejectReasons: DEFAULT_DEFINITION.rejectReasons.map((r) => (r.code === 'duplicate' ? { ...r, commentRequired: true } : r)),
    };
    const { onDecide, user } = setup([handoff()], { lang: 'en', definition });
    await user.click(screen.getByRole('button', { name: 'Reject' }));
    await user.selectOptions(screen.getByLabelText('Reject reason'), 'Duplicate');
    await user.click(screen.getByRole('button', { name: 'Reject lead' }));
    expect(screen.getByRole('alert')).toHaveTextContent('This reason needs a comment.');
    expect(onDecide).not.toHaveBeenCalled();
    await user.selectOptions(screen.getByLabelText('Reject reason'), 'Do not call');
    await user.click(screen.getByRole('button', { name: 'Reject lead' }));
    expect(onDecide).toHaveBeenCalledWith({ type: 'rejected', payload: { reasonCode: 'do_not_call' } });
  });

  it('cancel goes back to the pending controls', async () => {
    const { user } = setup([handoff()]);
    await user.click(screen.getByRole('button', { name: '却下' }));
    await user.click(screen.getByRole('button', { name: 'キャンセル' }));
    expect(screen.getByRole('button', { name: '受領' })).toBeInTheDocument();
  });
});

describe('accepted', () => {
  it('ja: says who accepted with temperature and comment, opens the first-contact form and logs an email', async () => {
    const { onDecide, user } = setup([handoff(), accept(REP_B)]);
    expect(screen.getByTestId('lead-status')).toHaveTextContent('受領済 (SAL)');
    expect(screen.getByText(/鈴木 が .* に受領/)).toBeInTheDocument();
    const decision = document.querySelector('[data-decision="accepted"]')!;
    expect(decision).toHaveTextContent('温度感: ウォーム');
    expect(decision).toHaveTextContent('予算感あり');
    expect(screen.queryByRole('button', { name: '受領' })).toBeNull();
    expect(document.querySelector('[data-clock="first_contact"]')).toHaveAttribute('data-state', 'running');
    expect(document.querySelector('[data-clock="acceptance"]')).toHaveAttribute('data-state', 'met');
    expect(screen.getByRole('button', { name: 'SQL化' })).toBeDisabled();
    expect(screen.getByText('SQL化は初回接触の記録後にできます。')).toBeInTheDocument();
    const form = screen.getByRole('form', { name: '初回接触を記録' });
    await user.click(within(form).getByLabelText('メール'));
    await user.type(within(form).getByLabelText('コメント (任意)'), '資料送付');
    await user.click(screen.getByRole('button', { name: '接触を記録する' }));
    expect(onDecide).toHaveBeenCalledWith({ type: 'contacted', payload: { channel: 'email', comment: '資料送付' } });
  });

  it('ja: a status update needs a note', async () => {
    const { onDecide, user } = setup([handoff(), accept()]);
    await user.click(screen.getByRole('button', { name: '状況を更新' }));
    await user.click(screen.getByRole('button', { name: '状況を更新する' }));
    expect(screen.getByRole('alert')).toHaveTextContent('状況メモを入力してください。');
    await user.type(screen.getByLabelText('状況メモ'), '来週デモ予定');
    await user.click(screen.getByRole('button', { name: '状況を更新する' }));
    expect(onDecide).toHaveBeenCalledWith({ type: 'progress_updated', payload: { note: '来週デモ予定' } });
  });

  it('en: after the first contact: SQL, won, back to nurture and lost', async () => {
    const events = [handoff(), accept(), contacted({ at: jst('2026-11-24T09:40') })];
    const { onDecide, user } = setup(events, { lang: 'en' });
    expect(screen.getByTestId('lead-status')).toHaveTextContent('First contact made');
    expect(document.querySelector('[data-clock="first_contact"]')).toHaveAttribute('data-state', 'met');
    await user.click(screen.getByRole('button', { name: 'Mark as SQL' }));
    expect(onDecide).toHaveBeenLastCalledWith({ type: 'qualified', payload: {} });
    await user.click(screen.getByRole('button', { name: 'Won' }));
    expect(onDecide).toHaveBeenLastCalledWith({ type: 'won', payload: {} });
    await user.click(screen.getByRole('button', { name: 'Back to nurture' }));
    await user.selectOptions(screen.getByLabelText('Reason'), 'No response');
    await user.click(screen.getByRole('button', { name: 'Send back' }));
    expect(onDecide).toHaveBeenLastCalledWith({ type: 'recycled', payload: { reason: 'no_response' } });
    await user.click(screen.getByRole('button', { name: 'Lost' }));
    await user.type(screen.getByLabelText('Reason lost (optional)'), 'Chose a competitor');
    await user.click(screen.getByRole('button', { name: 'Mark as lost' }));
    expect(onDecide).toHaveBeenLastCalledWith({ type: 'lost', payload: { reason: 'Chose a competitor' } });
  });

  it('ja: an SQL shows SQL化済 and the weekly status clock restarted by the last progress', () => {
    const events = [handoff(), accept(), contacted({ at: jst('2026-11-24T09:40') }), progressUpdated({ at: jst('2026-11-24T09:50') })];
    setup(events);
    expect(document.querySelector('[data-clock="status_update"]')).toHaveAttribute('data-state', 'running');
    expect(screen.getByText(/初回接触済/)).toBeInTheDocument();
  });
});

describe('rejected', () => {
  it('ja: shows reason, comment, temperature, who and when (markup as text), and reopens', async () => {
    const events = [handoff(), rejected({ at: jst('2026-11-24T09:30') }, { reasonCode: 'other', temperature: 'cold', comment: '<b>not bold</b>' })];
    const { onDecide, user } = setup(events);
    expect(screen.getByTestId('lead-status')).toHaveTextContent('却下済');
    expect(screen.getByText(/あなた が 11\/24\(火\) 09:30 に却下/)).toBeInTheDocument();
    expect(screen.getAllByText('その他').length).toBeGreaterThan(0);
    expect(screen.getByText('温度感: コールド')).toBeInTheDocument();
    expect(screen.getAllByText('<b>not bold</b>').length).toBeGreaterThan(0);
    expect(document.querySelector('b')).toBeNull();
    await user.click(screen.getByRole('button', { name: '再オープン' }));
    expect(onDecide).toHaveBeenCalledWith({ type: 'reopened', payload: {} });
  });

  it('en: the rejection by another rep shows their name and offers reopen', () => {
    setup([handoff(), rejected({ at: jst('2026-11-24T09:30'), actor: REP_B }, { reasonCode: 'competitor' })], { lang: 'en' });
    expect(screen.getByText(/Rejected by 鈴木 at/)).toBeInTheDocument();
    expect(screen.getAllByText('Uses a competitor').length).toBeGreaterThan(0);
    expect(screen.getByRole('button', { name: 'Reopen' })).toBeEnabled();
  });
});

describe('contested', () => {
  for (const lang of ['ja', 'en'] as const) {
    it(`${lang}: shows both decisions with who made them and lets the rep change theirs`, async () => {
      const events = [handoff(), accept(REP_A), rejected({ at: jst('2026-11-24T09:35'), actor: REP_B }, { reasonCode: 'duplicate' })];
      const { onDecide, user } = setup(events, { lang });
      expect(screen.getByTestId('lead-status')).toHaveTextContent(lang === 'ja' ? '判断が分かれています' : 'Reps disagree');
      expect(document.querySelector('[data-decision="accepted"]')).toHaveTextContent(lang === 'ja' ? 'あなた が' : 'Accepted by you');
      expect(document.querySelector('[data-decision="rejected"]')).toHaveTextContent('鈴木');
      expect(document.querySelector('[data-decision="rejected"]')).toHaveTextContent(lang === 'ja' ? '重複' : 'Duplicate');
      await user.click(screen.getByRole('button', { name: lang === 'ja' ? '却下' : 'Reject' }));
      expect(screen.getByLabelText(lang === 'ja' ? '却下理由' : 'Reject reason')).toBeInTheDocument();
      expect(onDecide).not.toHaveBeenCalled();
    });
  }
});

describe('undo', () => {
  it('ja: the rep can undo their own last action within the window', async () => {
    const decision = accept(REP_A, '2026-11-24T09:58');
    const { onDecide, user } = setup([handoff(), decision]);
    expect(screen.getByText('直前の操作「受領」を取り消す (あと 8分 0秒)')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /直前の操作「受領」を取り消す/ }));
    expect(onDecide).toHaveBeenCalledWith({ type: 'retracted', payload: { targetEventId: decision.id } });
  });

  it('en: no undo once the window has passed', () => {
    setup([handoff(), accept(REP_A, '2026-11-24T09:30')], { lang: 'en' });
    expect(screen.queryByRole('button', { name: /Undo/ })).toBeNull();
  });

  it('no undo for another rep’s decision', () => {
    setup([handoff(), accept(REP_B, '2026-11-24T09:58')]);
    expect(screen.queryByRole('button', { name: /取り消す/ })).toBeNull();
  });
});

describe('history', () => {
  it('ja: lists who did what and when, with the definition version, undone events marked', () => {
    const first = accepted({ at: jst('2026-11-24T09:10'), actor: REP_A });
    const events = [handoff(), first, retracted(first, { at: jst('2026-11-24T09:12'), actor: REP_A }), accepted({ at: jst('2026-11-24T09:20'), actor: REP_B, definitionVersion: 2 })];
    setup(events);
    const list = screen.getByRole('list', { name: '履歴' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(4);
    expect(items[0]).toHaveTextContent('受領');
    expect(items[0]).toHaveTextContent('鈴木');
    expect(items[0]).toHaveTextContent('定義 v2');
    expect(items[2]).toHaveTextContent('取り消し済');
    expect(items[2]).toHaveAttribute('data-effect', 'retracted');
    expect(items[3]).toHaveTextContent('マーケティングから引き渡し');
    expect(items[3]).toHaveTextContent('11/24(火) 09:00');
  });

  it('en: event names in English', () => {
    setup([handoff(), accept()], { lang: 'en' });
    const items = within(screen.getByRole('list', { name: 'History' })).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Accepted');
    expect(items[0]).toHaveTextContent('you');
    expect(items[0]).toHaveTextContent('definition v1');
  });
});

describe('sales-originated (untracked lead)', () => {
  it('ja: a lead never handed over offers 営業起点 SAL, which needs a signal', async () => {
    const { onDecide, user } = setup([]);
    expect(screen.getByTestId('lead-status')).toHaveTextContent('引き渡し記録なし');
    expect(screen.queryByRole('button', { name: '受領' })).toBeNull();
    await user.click(screen.getByRole('button', { name: '営業起点 SAL として登録' }));
    expect(screen.getByRole('alert')).toHaveTextContent('きっかけを選択してください。');
    await user.selectOptions(screen.getByLabelText('きっかけ'), 'ABM 対象アカウント');
    await user.click(screen.getByLabelText('ホット'));
    await user.click(screen.getByRole('button', { name: '営業起点 SAL として登録' }));
    expect(onDecide).toHaveBeenCalledWith({ type: 'sales_originated', payload: { signal: 'abm', temperature: 'hot' } });
  });

  it('en: a registered sales-originated SAL shows its signal and has no acceptance clock', () => {
    setup([salesOriginated({ at: jst('2026-11-24T09:30') }, { signal: 'intent' })], { lang: 'en' });
    expect(screen.getByTestId('sales-originated')).toHaveTextContent('Sales-originated · Intent signal');
    expect(screen.getByTestId('lead-status')).toHaveTextContent('Accepted (SAL)');
    expect(document.querySelector('[data-clock="acceptance"]')).toBeNull();
    expect(document.querySelector('[data-clock="first_contact"]')).not.toBeNull();
  });
});

describe('countdowns', () => {
  it('ja: amber in warning, red when breached, deadline in local time with the business-hours note', () => {
    // handed over 09:00 Tue, 8 business hours → due 17:00; warning from 15:00
    setup([handoff()], { now: jst('2026-11-24T15:30') });
    const clock = document.querySelector('[data-clock="acceptance"]')!;
    expect(clock).toHaveAttribute('data-state', 'warning');
    expect(clock).toHaveClass('sal-clock--warning');
    expect(clock).toHaveTextContent('まもなく期限です');
    expect(clock).toHaveTextContent('残り 1時間 30分');
    expect(clock).toHaveTextContent('期限 11/24(火) 17:00 (ローカル時刻) · 営業時間で計算');
    expect(within(clock as HTMLElement).getByRole('timer')).toHaveAccessibleName('受領期限: 残り 1時間 30分');
  });

  it('en: breached shows the overdue time', () => {
    setup([handoff()], { now: jst('2026-11-25T10:00'), lang: 'en' });
    const clock = document.querySelector('[data-clock="acceptance"]')!;
    expect(clock).toHaveAttribute('data-state', 'breached');
    expect(clock).toHaveClass('sal-clock--breached');
    expect(clock).toHaveTextContent('Past the deadline');
    expect(clock).toHaveTextContent('2h 0m overdue');
    expect(clock).toHaveTextContent('counts business hours');
  });
});

describe('reading the page', () => {
  it('ja: a page it could not read says so and offers no decision', () => {
    setup([handoff()], { read: { ...goodRead, status: 'none', lead: {}, missing: ['name', 'company'] } });
    expect(screen.getByRole('alert')).toHaveTextContent('このページからリード情報を読み取れませんでした。');
    expect(screen.queryByRole('button', { name: '受領' })).toBeNull();
  });

  it('en: a partly read page says which fields are missing and still works', () => {
    setup([handoff()], { read: { ...goodRead, status: 'partial', missing: ['email', 'phone'] }, lang: 'en' });
    expect(screen.getByText(/Some fields could not be read: Email, Phone/)).toHaveAttribute('role', 'status');
    expect(screen.getByRole('button', { name: 'Accept' })).toBeEnabled();
  });

  it('keeps what the rep entered when the decision is refused (e.g. a full disk)', async () => {
    const state = foldLead([handoff()], { undoWindowMinutes: DEFAULT_DEFINITION.undoWindowMinutes });
    const onDecide = vi.fn();
    const props = {
      t: createTranslator('ja'),
      lang: 'ja' as const,
      read: goodRead,
      state,
      clocks: computeClocks(state, DEFAULT_DEFINITION, NOW),
      definition: DEFAULT_DEFINITION,
      actorId: REP_A.id,
      now: NOW,
      onDecide,
    };
    const { rerender } = render(<PanelView {...props} saving={false} error={null} />);
    const user = userEvent.setup();
    await user.click(screen.getByLabelText('ホット'));
    await user.type(screen.getByLabelText('コメント (任意)'), '来期導入を検討中');
    await user.click(screen.getByRole('button', { name: '受領' }));
    expect(onDecide).toHaveBeenCalledOnce();
    rerender(<PanelView {...props} saving={true} error={null} />);
    rerender(<PanelView {...props} saving={false} error={{ code: 'storage_full' }} />);
    expect(screen.getByTestId('decision-error')).toHaveTextContent('ブラウザの保存領域がいっぱい');
    // read out once by the panel's polite live region
    expect(screen.getByRole('status')).toHaveTextContent('ブラウザの保存領域がいっぱい');
    expect(screen.getByLabelText('コメント (任意)')).toHaveValue('来期導入を検討中');
    expect(screen.getByLabelText('ホット')).toBeChecked();
    // pressing again sends the same decision
    await user.click(screen.getByRole('button', { name: '受領' }));
    expect(onDecide).toHaveBeenLastCalledWith(onDecide.mock.calls[0]![0]);
  });

  it.each([
    ['en', { code: 'storage_full' }, "Not saved: the browser's storage is full. Free up space and press again; what you entered is still here."],
    ['ja', { code: 'storage_full' }, 'ブラウザの保存領域がいっぱいのため保存できませんでした'],
    ['en', { code: 'unreachable', detail: 'Extension context invalidated.' }, 'Could not reach SAL Bridge; the extension may have been updated. Reload the page.'],
    ['ja', { code: 'lead_not_shown' }, 'このタブのリードが切り替わったため保存しませんでした'],
    ['ja', { code: 'forbidden_role', detail: 'marketer' }, 'あなたのロール (マーケティング) ではこの操作を記録できません'],
    ['en', { code: 'forbidden_role', detail: 'manager' }, 'Your role (manager) may not record this. Ask your team admin.'],
    ['en', { code: 'invalid_event', detail: 'payload.comment: Too long' }, 'Not saved: the entry is not valid (payload.comment: Too long).'],
    // a code the panel does not know still says what happened, with the background's words
    ['en', { code: 'unexpected', detail: 'boom' }, 'Could not save: boom'],
  ] as const)('%s: a refused decision (%o) says why and what to do', (lang, error, text) => {
    render(
      <PanelView
        t={createTranslator(lang)}
        lang={lang}
        read={goodRead}
        state={null}
        clocks={[]}
        definition={DEFAULT_DEFINITION}
        actorId={REP_A.id}
        now={NOW}
        saving={false}
        error={error}
        onDecide={() => undefined}
      />,
    );
    expect(screen.getByTestId('decision-error')).toHaveTextContent(text);
    expect(screen.getByRole('status')).toHaveTextContent(text);
  });
});

describe('closed', () => {
  it('ja/en: a won lead says it is closed and offers no more actions', () => {
    const events = [handoff(), accept(), contacted({ at: jst('2026-11-24T09:40') }), won({ at: jst('2026-11-24T09:45') })];
    setup(events);
    expect(screen.getByTestId('lead-status')).toHaveTextContent('受注');
    expect(screen.getByText(/このリードはクローズしました/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'SQL化' })).toBeNull();
  });
});

describe('PanelView clock rules', () => {
  it("states each clock's agreed length from the definition", () => {
    setup([handoff()]);
    expect(screen.getByText('受領期限').closest('li')).toHaveTextContent('SLA 8営業時間');
  });
});
