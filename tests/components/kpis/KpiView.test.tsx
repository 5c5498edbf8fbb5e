import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { KpiView, type KpiAsOf } from '../../../components/kpis/KpiView';
import { computeKpis, type KpiOptions } from '../../../lib/domain/kpis';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { createTranslator, type Lang } from '../../../lib/i18n';
import type { LeadEvent } from '../../../lib/domain/events';
import { accepted, contacted, handedOver, jst, qualified, rejected, salesOriginated, REP_A, REP_B } from '../../unit/domain/builders';
import { OCTOBER, OCTOBER_EVENTS } from '../../unit/domain/kpi-scenario';

process.env.TZ = 'Asia/Tokyo';
const key = (n: number) => `salesforce:00Q5g00000AbC${String(n).padStart(3, '0')}EAV`.slice(0, 29);
const lead = (n: number) => ({ leadKey: key(n) });

/** November: 4 MQLs from two sources; REP_A accepts 2 (one contacted in time, then SQL), REP_B accepts 1 and rejects 1. */
function novemberEvents(): LeadEvent[] {
  return [
    handedOver({ at: jst('2026-11-02T10:00'), ...lead(1) }, { source: 'ウェビナー' }),
    accepted({ at: jst('2026-11-02T11:00'), actor: REP_A, ...lead(1) }),
    contacted({ at: jst('2026-11-02T15:00'), actor: REP_A, ...lead(1) }),
    qualified({ at: jst('2026-11-04T10:00'), actor: REP_A, ...lead(1) }),
    handedOver({ at: jst('2026-11-03T10:00'), ...lead(2) }, { source: 'ウェビナー' }),
    accepted({ at: jst('2026-11-04T10:00'), actor: REP_A, ...lead(2) }),
    handedOver({ at: jst('2026-11-05T10:00'), ...lead(3) }, { source: '展示会' }),
    accepted({ at: jst('2026-11-05T12:00'), actor: REP_B, ...lead(3) }),
    handedOver({ at: jst('2026-11-06T10:00'), ...lead(4) }, { source: '展示会' }),
    rejected({ at: jst('2026-11-06T11:00'), actor: REP_B, ...lead(4) }, { reasonCode: 'competitor' }),
  ];
}

const NOVEMBER: KpiOptions = { from: jst('2026-11-01T00:00'), to: jst('2026-12-01T00:00'), now: jst('2026-11-20T10:00') };

function setup(events: LeadEvent[], { lang = 'ja', localOnly = false, options = NOVEMBER, asOf }: { lang?: Lang; localOnly?: boolean; options?: KpiOptions; asOf?: KpiAsOf } = {}) {
  const report = computeKpis(events, { ...options, definition: DEFAULT_DEFINITION });
  const onPeriod = vi.fn();
  const onExport = vi.fn();
  const onAsOf = vi.fn();
  render(
    <KpiView
      t={createTranslator(lang)}
      lang={lang}
      report={report}
      definition={DEFAULT_DEFINITION}
      period="last_month"
      onPeriod={onPeriod}
      asOf={asOf}
      onAsOf={onAsOf}
      localOnly={localOnly}
      onExport={onExport}
    />,
  );
  return { onPeriod, onExport, onAsOf, user: userEvent.setup() };
}

/** The figure box whose label is `label`, inside the region named `region`. */
const figure = (region: RegExp | string, label: string) =>
  within(screen.getByRole('region', { name: region }))
    .getByText(label)
    .closest('div')!;
const COHORT_JA = '量・質・運用';
const COHORT_EN = 'Quantity · quality · operation';

describe('KPI page: October in Tokyo, seen on 12/01 (ja)', () => {
  const dec1 = () => setup(OCTOBER_EVENTS, { options: { ...OCTOBER, now: jst('2026-12-01T00:00') } });

  it('states the one cohort rule, labels the figures by hand-over date and keeps the backlog apart as "now"', () => {
    dec1();
    expect(
      screen.getByText(/数え方: この期間に引き渡されたリード \(営業起点の SAL は作成された日\) を、集計時点の状態まで追って数えます。期限超過だけは期間に関係なく現時点の件数です。/),
    ).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: COHORT_JA })).getByText('この期間に引き渡されたリード (引き渡し日基準)')).toBeInTheDocument();
    expect(screen.getByText('集計時点 2026/12/01 0:00')).toBeInTheDocument();
    // L5, L8, L9: the same figure whichever period is chosen, in its own "now" region
    const now = screen.getByRole('region', { name: '現時点 (期間に関係なし)' });
    expect(within(now).getByText('期限超過中 (現時点)').closest('div')).toHaveTextContent('3');
    expect(within(screen.getByRole('region', { name: COHORT_JA })).queryByText('期限超過中 (現時点)')).not.toBeInTheDocument();
  });

  it('shows an acceptance breakdown that adds up to the MQLs, with the rate’s denominator', () => {
    dec1();
    expect(within(figure(COHORT_JA, 'MQL (引き渡し)')).getByText('12')).toBeInTheDocument();
    const rate = figure(COHORT_JA, '受領率 (MQL→SAL)');
    expect(rate).toHaveTextContent('73%');
    expect(within(rate).getByText('受領 8 · 却下 3 · 対立中 1 · 未判断 0 = MQL 12')).toBeInTheDocument();
    expect(within(rate).getByText('分母: 判断済み 11 件 (受領＋却下)')).toBeInTheDocument();
    // 11 decided leads: judged, and 73 % is healthy, so no alarm
    expect(within(rate).queryByRole('note')).not.toBeInTheDocument();
    const sal = figure(COHORT_JA, 'SAL (受領)');
    expect(within(sal).getByText('9')).toBeInTheDocument();
    expect(within(sal).getByText('受領 8 + 営業起点 1')).toBeInTheDocument();
    expect(figure(COHORT_JA, 'SAL→受注率')).toHaveTextContent(/^SAL→受注率33% \?.*3 \/ 9$/);
    expect(figure(COHORT_JA, '初回接触の SLA 遵守率')).toHaveTextContent('期限内 8 / 期限到来 9 · 期限前 0');
  });

  it('says the closed month is still changing and when it last changed', () => {
    dec1();
    expect(screen.getByRole('status')).toHaveTextContent('この期間の引き渡し分の判断・結果がまだ届いています (未判断 0 · 対立中 1 · 進行中の SAL 3)。数字はまだ変わります。 最終更新 2026/11/25 10:00');
  });

  it('lists as rejection reasons the same 3 leads as the breakdown’s "rejected"', () => {
    dec1();
    expect(screen.getByText('この期間に引き渡され、集計時点で却下されているリード 3 件 (受領率の「却下」と同じリード)。')).toBeInTheDocument();
    const reasons = screen.getByRole('table', { name: '却下理由の内訳' });
    expect(within(reasons).getByRole('row', { name: /競合製品を使用中/ })).toHaveTextContent('267%');
    expect(within(reasons).getByRole('row', { name: /連絡先不備/ })).toHaveTextContent('133%');
    expect(within(reasons).queryByRole('row', { name: /架電NG/ })).not.toBeInTheDocument();
  });

  it('explains how each figure is counted on hover and keyboard focus', async () => {
    const { user } = dec1();
    const how = screen.getByRole('button', { name: '受領率 (MQL→SAL) の数え方' });
    expect(how).toHaveAccessibleDescription(/分母は判断済み \(受領＋却下\) のリードだけで、担当者の判断が分かれている「対立中」と「未判断」は含みません。/);
    expect(screen.getByRole('button', { name: '期限超過中 (現時点) の数え方' })).toHaveAccessibleDescription(/選んだ期間に関係なく/);
    expect(screen.getByRole('button', { name: 'SAL (受領) の数え方' })).toHaveAccessibleDescription(/受領した日ではなく引き渡された日で数えます。/);
    // every figure of the page has one, reachable with Tab
    expect(screen.getAllByRole('button', { name: /の数え方$/ })).toHaveLength(8);
    await user.tab(); // the period select
    await user.tab(); // the export button
    await user.tab();
    expect(screen.getByRole('button', { name: 'MQL (引き渡し) の数え方' })).toHaveFocus();
    // Escape dismisses the rule shown on focus, without moving the focus; leaving brings it back
    const tip = screen.getByText(/^この期間にマーケから引き渡されたリードの数。/);
    await user.keyboard('{Escape}');
    expect(tip).not.toBeVisible();
    expect(screen.getByRole('button', { name: 'MQL (引き渡し) の数え方' })).toHaveFocus();
    await user.tab();
    expect(tip).toBeVisible();
  });
});

describe('KPI page: October seen on 11/01 (ja)', () => {
  it('says "too few to judge" instead of a health band below 10 decided leads, overall and per rep', () => {
    setup(OCTOBER_EVENTS, { options: { ...OCTOBER, now: jst('2026-11-01T00:00') } });
    const rate = figure(COHORT_JA, '受領率 (MQL→SAL)');
    expect(rate).toHaveTextContent('78%');
    expect(within(rate).getByRole('note')).toHaveTextContent('判断済みが 10 件未満のため、受領率の健全性はまだ判定しません。');
    expect(rate).not.toHaveClass('sal-kpi--alarm');
    const byRep = screen.getByRole('table', { name: '担当者別' });
    expect(within(byRep).getByRole('row', { name: /田中/ })).toHaveTextContent('少なすぎて判定不可');
    expect(screen.getByRole('status')).toHaveTextContent('(未判断 2 · 対立中 1 · 進行中の SAL 4)');
    expect(screen.getByRole('status')).toHaveTextContent('最終更新 2026/10/31 23:30');
  });
});

describe('KPI page: a closed month as it stood when it closed (ja)', () => {
  it('offers the end of the period as the as-of time, and then says the figures are fixed', async () => {
    // the page of 12/01 showing October as of 11/01 00:00: the 11/01 figures (7 of 9), not the 12/01 ones (8 of 11)
    const { user, onAsOf } = setup(OCTOBER_EVENTS, { options: { ...OCTOBER, now: OCTOBER.to }, asOf: 'period_end' });
    expect(screen.getByLabelText('集計時点')).toHaveDisplayValue('期間の終わり (確定した数字)');
    expect(screen.getByText('集計時点 2026/11/01 0:00')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('期間の終わり (2026/11/01 0:00) の時点で固定した数字です。その後に届いた判断・結果は含みません。');
    expect(within(figure(COHORT_JA, '受領率 (MQL→SAL)')).getByText('分母: 判断済み 9 件 (受領＋却下)')).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('集計時点'), '現在');
    expect(onAsOf).toHaveBeenCalledWith('now');
  });

  it('offers no as-of choice for a period still running', () => {
    setup(novemberEvents());
    expect(screen.queryByLabelText('集計時点')).not.toBeInTheDocument();
  });
});

describe('KPI page (ja): health band and groups', () => {
  it('raises the "sieve" alarm on 10 of 10 accepted, not on 3 of 3', () => {
    const accepts = (n: number) =>
      Array.from({ length: n }, (_, i) => [handedOver({ at: jst('2026-11-09T10:00'), ...lead(20 + i) }), accepted({ at: jst('2026-11-09T11:00'), ...lead(20 + i) })]).flat();
    setup(accepts(10));
    expect(within(figure(COHORT_JA, '受領率 (MQL→SAL)')).getByRole('note')).toHaveTextContent('ザル');
    document.body.innerHTML = '';
    setup(accepts(3));
    expect(figure(COHORT_JA, '受領率 (MQL→SAL)')).toHaveTextContent('100%');
    expect(within(figure(COHORT_JA, '受領率 (MQL→SAL)')).getByRole('note')).toHaveTextContent('判定しません');
  });

  it('per-rep and per-source tables count the same leads as the headline', () => {
    setup(novemberEvents());
    const byRep = screen.getByRole('table', { name: '担当者別' });
    // 田中: 2 MQLs, 2 SALs, 2 of 2 decided accepted
    expect(within(byRep).getByRole('row', { name: /田中/ })).toHaveTextContent(/^田中22100% \(2 \/ 2\)少なすぎて判定不可/);
    expect(within(byRep).getByRole('row', { name: /鈴木/ })).toHaveTextContent('50% (1 / 2)');
    const bySource = screen.getByRole('table', { name: 'リードソース別' });
    expect(within(bySource).getByRole('row', { name: /ウェビナー/ })).toHaveTextContent('100%');
  });

  it('names a rep who decided before signing in by the end of their local id, and a sales-originated SAL by its signal', () => {
    const local = { id: 'local-01JD00000000000000000000K7', name: '' };
    setup([salesOriginated({ at: jst('2026-11-10T10:00'), actor: local, ...lead(9) }, { signal: 'intent' }), accepted({ at: jst('2026-11-10T10:00'), actor: local, ...lead(9) })]);
    expect(within(screen.getByRole('table', { name: '担当者別' })).getByRole('row', { name: /サインイン前の担当者 \(ID …00K7\)/ })).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'リードソース別' })).getByRole('row', { name: /営業起点: インテントシグナル/ })).toBeInTheDocument();
  });
});

describe('KPI page (en)', () => {
  it('October on 12/01: the cohort label, breakdown, denominator, settlement and "now" read in English', () => {
    setup(OCTOBER_EVENTS, { lang: 'en', options: { ...OCTOBER, now: jst('2026-12-01T00:00') } });
    expect(screen.getByText(/^How it counts: the leads handed over in this period/)).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: COHORT_EN })).getByText('Leads handed over in this period (by hand-over date)')).toBeInTheDocument();
    const rate = figure(COHORT_EN, 'Acceptance rate (MQL→SAL)');
    expect(within(rate).getByText('accepted 8 · rejected 3 · contested 1 · undecided 0 = 12 MQLs')).toBeInTheDocument();
    expect(within(rate).getByText('of 11 decided (accepted + rejected)')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent("Decisions and outcomes on this period's hand-overs are still arriving (0 undecided · 1 contested · 3 SALs in progress).");
    expect(screen.getByRole('status')).toHaveTextContent('Last changed Nov 25, 2026, 10:00 AM');
    expect(
      within(screen.getByRole('region', { name: 'Now (whatever the period)' }))
        .getByText('Overdue now')
        .closest('div'),
    ).toHaveTextContent('3');
    expect(screen.getByRole('button', { name: 'How Acceptance rate (MQL→SAL) is counted' })).toHaveAccessibleDescription(/The denominator is the decided leads only \(accepted \+ rejected\)/);
    expect(screen.getByRole('button', { name: 'How First contact within SLA is counted' })).toHaveAccessibleDescription(/holidays excluded/);
  });

  it('October on 11/01: too few to judge, and a settled month says so', () => {
    setup(OCTOBER_EVENTS, { lang: 'en', options: { ...OCTOBER, now: jst('2026-11-01T00:00') } });
    expect(within(figure(COHORT_EN, 'Acceptance rate (MQL→SAL)')).getByRole('note')).toHaveTextContent("Fewer than 10 decided leads: too few to judge the acceptance rate's health.");
    document.body.innerHTML = '';
    const settled = [handedOver({ at: jst('2026-11-02T10:00'), ...lead(1) }), rejected({ at: jst('2026-11-02T11:00'), ...lead(1) })];
    setup(settled, { lang: 'en', options: { ...NOVEMBER, now: jst('2026-12-03T10:00') } });
    expect(screen.getByRole('status')).toHaveTextContent('Settled: every lead handed over in this period is decided and every SAL is closed.');
  });

  it('empty period, local-only notice, choosing another period and saving the figures', async () => {
    const { onPeriod, onExport, user } = setup([], { lang: 'en', localOnly: true });
    expect(screen.getByText('No data for this period.')).toBeInTheDocument();
    expect(screen.getByText(/Local mode: only what this browser recorded/)).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Period'), 'This month');
    expect(onPeriod).toHaveBeenCalledWith('this_month');
    await user.click(screen.getByRole('button', { name: 'Save as CSV (figures as of now)' }));
    expect(onExport).toHaveBeenCalledOnce();
  });
});
