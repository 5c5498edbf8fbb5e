import { describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ReviewView, REVIEW_PAGE_SIZE, type ReviewState, type ReviewViewProps } from '../../../components/review/ReviewView';
import { reviewLabels } from '../../../components/review/labels';
import { usePrinting } from '../../../components/review/use-printing';
import { computeReview, type ReviewItem } from '../../../lib/domain/review';
import { computeMarketingSla } from '../../../lib/domain/marketing-sla';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import type { LeadEvent } from '../../../lib/domain/events';
import { createTranslator, type Lang } from '../../../lib/i18n';
import { A, D, events, H, options } from '../../unit/domain/review-scenario';
import { handedOver, rejected, REP_A } from '../../unit/domain/builders';

const ready = (evs: readonly LeadEvent[] = events, onlyUnreviewed = false): ReviewState => ({
  status: 'ready',
  report: computeReview(evs, { ...options, onlyUnreviewed }),
  marketingSla: computeMarketingSla(evs, options),
  definition: DEFAULT_DEFINITION,
  localOnly: false,
});

const CRM_URL = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000LeadAAAA/view';

function setup(state: ReviewState, lang: Lang = 'ja', over: Partial<ReviewViewProps> = {}) {
  const t = createTranslator(lang);
  const props: ReviewViewProps = {
    t,
    lang,
    state,
    labels: reviewLabels(t, lang, DEFAULT_DEFINITION),
    period: 'last_30_days',
    onPeriod: vi.fn(),
    onlyUnreviewed: false,
    onOnlyUnreviewed: vi.fn(),
    cannotRecordAs: null,
    onRecord: vi.fn(() => Promise.resolve({ ok: true as const })),
    onExport: vi.fn(),
    exportError: null,
    onPrint: vi.fn(),
    printing: false,
    urlOf: (item: ReviewItem) => (item.leadKey === A ? CRM_URL : null),
    ...over,
  };
  render(<ReviewView {...props} />);
  return { props, user: userEvent.setup() };
}

const leadCard = (name: string | RegExp) => screen.getByRole('article', { name });

describe('the review meeting page: states', () => {
  it.each([
    ['ja', '読み込み中', 'データを読み込めませんでした: disk gone', 'この期間に検討が必要なリードはありません。'],
    ['en', 'Loading the leads', 'Could not read the data: disk gone', 'No lead needs discussion in this period.'],
  ] as const)('%s: loading, error and empty', (lang, loading, error, empty) => {
    setup({ status: 'loading' }, lang);
    expect(screen.getByRole('status')).toHaveTextContent(loading);
    for (const b of screen.getAllByRole('button')) expect(b).toBeDisabled();
    cleanup();
    setup({ status: 'error', message: 'disk gone' }, lang);
    expect(screen.getByRole('alert')).toHaveTextContent(error);
    cleanup();
    setup(ready([]), lang);
    expect(screen.getByText(empty)).toBeInTheDocument();
    expect(screen.queryAllByRole('article')).toEqual([]);
  });

  it('says when every lead has an outcome (only unreviewed)', () => {
    setup(ready([...events.filter((e) => e.leadKey === H)], true), 'ja', { onlyUnreviewed: true });
    expect(screen.getByText('この期間のリードはすべて結論が記録されています。')).toBeInTheDocument();
  });
});

describe('the review meeting page: the leads', () => {
  it('ja: groups by reason with each lead’s decisions, comments, temperature, source, rationale and CRM link', () => {
    setup(ready());
    const t = createTranslator('ja');
    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(headings).toEqual([
      '却下: 架電NG (1 件)',
      '却下: 連絡先不備 (1 件)',
      '担当者間で判断が対立 (1 件)',
      `ナーチャリングへ差し戻し: ${t('recycle.not_ready')} (1 件)`,
      `期限超過: ${t('clock.acceptance')} (1 件)`,
      'SLA: 双方の責任',
    ]);
    const a = leadCard(/山田 太郎/);
    expect(within(a).getByText('ホワイトペーパー2件DL、スコア80')).toBeInTheDocument();
    expect(within(a).getByText('web')).toBeInTheDocument();
    expect(within(a).getByText(t('temperature.cold'))).toBeInTheDocument();
    expect(within(a).getByText('電話番号が不通')).toBeInTheDocument();
    expect(within(a).getByText('セミナー参加')).toBeInTheDocument();
    expect(within(a).getByRole('link', { name: 'CRM で開く' })).toHaveAttribute('href', CRM_URL);
    expect(within(a).getByRole('link', { name: 'CRM で開く' })).toHaveAttribute('rel', 'noopener noreferrer');
    // a lead without a known CRM page says so instead of a dead link
    const d = screen.getAllByRole('article').find((x) => x.getAttribute('data-lead-key') === D)!;
    expect(within(d).getByText('このリードの CRM ページは不明です')).toBeInTheDocument();
    expect(screen.getByText('検討対象 5 件 · 結論記録済み 1 件', { exact: false })).toBeInTheDocument();
    // the outcome already recorded on H
    const h = screen.getAllByRole('article').find((x) => x.getAttribute('data-lead-key') === H)!;
    expect(within(h).getByText(/ナーチャリングを継続 — 佐藤 \(MA\)/)).toBeInTheDocument();
    expect(within(h).getByText('半年後に再アプローチ')).toBeInTheDocument();
  });

  it('en: the same page in English, and marketing’s side of the SLA', () => {
    setup(ready(), 'en');
    expect(screen.getByRole('heading', { level: 2, name: 'Rejected: Bad contact data (1 lead(s))' })).toBeInTheDocument();
    expect(within(leadCard(/山田 太郎/)).getByRole('link', { name: 'Open in the CRM' })).toHaveAttribute('href', CRM_URL);
    const sla = screen.getByRole('region', { name: 'Both sides of the SLA' });
    expect(within(sla).getByText('Rejections reviewed within 7 days')).toBeInTheDocument();
    expect(within(sla).getByRole('table', { name: 'By source' })).toBeInTheDocument();
    expect(within(sla).getByRole('table', { name: 'By sender' })).toBeInTheDocument();
  });

  it('draws a page of leads per group and more on request', async () => {
    const many: LeadEvent[] = [];
    for (let i = 0; i < REVIEW_PAGE_SIZE + 5; i++) {
      const leadKey = `hubspot:${9000 + i}`;
      many.push(handedOver({ at: '2026-11-10T01:00:00Z', leadKey }), rejected({ at: '2026-11-10T02:00:00Z', leadKey, actor: REP_A }));
    }
    const { user } = setup(ready(many), 'en');
    // counted by element, not by role: role queries over 55 cards are slow in jsdom
    expect(document.querySelectorAll('article')).toHaveLength(REVIEW_PAGE_SIZE);
    await user.click(screen.getByText('Show 5 more (5 not shown)'));
    expect(document.querySelectorAll('article')).toHaveLength(REVIEW_PAGE_SIZE + 5);
  }, 20_000);
});

describe('the review meeting page: printing', () => {
  /** The page as `ReviewApp` wires it: printing follows the window's print events. */
  function Printable(props: ReviewViewProps) {
    return <ReviewView {...props} printing={usePrinting()} />;
  }

  it('prints every lead of a group, not only the page shown, and keeps a note being typed', async () => {
    const many: LeadEvent[] = [];
    for (let i = 0; i < REVIEW_PAGE_SIZE + 5; i++) {
      const leadKey = `hubspot:${9000 + i}`;
      many.push(handedOver({ at: '2026-11-10T01:00:00Z', leadKey }), rejected({ at: '2026-11-10T02:00:00Z', leadKey, actor: REP_A }));
    }
    const { props, user } = setup(ready(many), 'en');
    cleanup();
    render(<Printable {...props} />);
    // counted by element, not by role: role queries over many cards are slow in jsdom
    const note = document.querySelector('textarea')!;
    await user.type(note, 'call back in May');
    // what the browser lays out: the DOM as it stands when the print event has been handled
    let printed: string[] = [];
    const layout = () => (printed = [...document.querySelectorAll('article')].map((a) => a.getAttribute('data-lead-key')!));
    window.addEventListener('beforeprint', layout);
    act(() => void window.dispatchEvent(new Event('beforeprint')));
    window.removeEventListener('beforeprint', layout);
    expect(printed).toHaveLength(REVIEW_PAGE_SIZE + 5);
    expect(new Set(printed).size).toBe(REVIEW_PAGE_SIZE + 5);
    expect(screen.queryByText('Show 5 more (5 not shown)')).toBeNull();
    // the leads drawn only for the printout have no form; the shown ones keep theirs
    expect(document.querySelectorAll('textarea')).toHaveLength(REVIEW_PAGE_SIZE);
    act(() => void window.dispatchEvent(new Event('afterprint')));
    expect(document.querySelectorAll('article')).toHaveLength(REVIEW_PAGE_SIZE);
    expect(document.querySelector('textarea')).toHaveValue('call back in May');
    expect(screen.getByText('Show 5 more (5 not shown)')).toBeInTheDocument();
  }, 20_000);
});

describe('the review meeting page: recording and exporting', () => {
  it('ja: records the agreed outcome and note with the keyboard, and says so', async () => {
    const { props, user } = setup(ready());
    const a = leadCard(/山田 太郎/);
    const submit = within(a).getByRole('button', { name: '結論を記録' });
    expect(submit).toBeDisabled();
    await user.selectOptions(within(a).getByLabelText('合意した結論'), 'データを修正する');
    await user.type(within(a).getByLabelText('メモ'), '電話番号を確認して再送');
    within(a).getByLabelText('メモ').focus();
    await user.tab();
    expect(submit).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(props.onRecord).toHaveBeenCalledWith(A, 'fix_data', '電話番号を確認して再送');
    expect(await within(a).findByText('結論を記録しました: データを修正する')).toBeInTheDocument();
    expect(within(a).getByLabelText('メモ')).toHaveValue('');
  });

  it('en: a refusal is shown, the form keeps what was typed', async () => {
    const { user } = setup(ready(), 'en', { onRecord: vi.fn(() => Promise.resolve({ ok: false as const, error: 'forbidden_role' })) });
    const a = leadCard(/山田 太郎/);
    await user.selectOptions(within(a).getByLabelText('Outcome agreed'), 'Close');
    await user.type(within(a).getByLabelText('Note'), 'no budget this year');
    await user.click(within(a).getByRole('button', { name: 'Record the outcome' }));
    expect(await within(a).findByText('Not recorded: forbidden_role')).toBeInTheDocument();
    expect(within(a).getByLabelText('Note')).toHaveValue('no budget this year');
  });

  it('a role that may not record sees the list without forms', () => {
    setup(ready(), 'en', { cannotRecordAs: 'rep' });
    expect(screen.queryAllByRole('button', { name: 'Record the outcome' })).toEqual([]);
    expect(screen.getAllByText('Your role (rep) cannot record outcomes; marketers, managers and admins can.').length).toBe(5);
  });

  it('exports UTF-8 or Shift_JIS, prints, and shows an export failure', async () => {
    const { props, user } = setup(ready(), 'ja', { exportError: 'quota' });
    await user.click(screen.getByRole('button', { name: 'CSV で保存 (UTF-8)' }));
    await user.click(screen.getByRole('button', { name: 'CSV で保存 (Shift_JIS・旧 Excel 向け)' }));
    await user.click(screen.getByRole('button', { name: '印刷' }));
    expect(props.onExport).toHaveBeenNthCalledWith(1, 'utf-8');
    expect(props.onExport).toHaveBeenNthCalledWith(2, 'shift_jis');
    expect(props.onPrint).toHaveBeenCalledOnce();
    expect(screen.getByRole('alert')).toHaveTextContent('CSV を保存できませんでした: quota');
  });

  it('changes the period and the unreviewed filter', async () => {
    const { props, user } = setup(ready(), 'en');
    await user.selectOptions(screen.getByLabelText('Period'), 'Last month');
    await user.click(screen.getByLabelText('Only leads without an outcome'));
    expect(props.onPeriod).toHaveBeenCalledWith('last_month');
    expect(props.onOnlyUnreviewed).toHaveBeenCalledWith(true);
  });
});
