import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TrendsView, type TrendsState } from '../../../components/trends/TrendsView';
import { computeTrends, type TrendScope } from '../../../lib/domain/trends';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { createTranslator, type Lang } from '../../../lib/i18n';
import type { LeadEvent } from '../../../lib/domain/events';
import { REP_B } from '../../unit/domain/builders';
import { acrossWeeks, decidedAt, TREND_NOW } from '../../unit/domain/trend-scenario';

/** Three weeks: 10 leads of 11/09 all accepted (100 %: the sieve alarm), then the two leads across the 11/23 boundary. */
const events = (): LeadEvent[] => [...decidedAt('2026-11-09T10:00', 10, 0), ...acrossWeeks()];

const ready = (evs: LeadEvent[], scope: TrendScope = { kind: 'team' }): TrendsState => ({
  status: 'ready',
  report: computeTrends(evs, { granularity: 'week', count: 3, now: TREND_NOW, definition: DEFAULT_DEFINITION, scope }),
  definition: DEFAULT_DEFINITION,
  localOnly: false,
});

function setup(state: TrendsState, lang: Lang = 'ja') {
  const onGranularity = vi.fn();
  const onScope = vi.fn();
  render(<TrendsView t={createTranslator(lang)} lang={lang} state={state} granularity="week" onGranularity={onGranularity} scope={{ kind: 'team' }} onScope={onScope} />);
  return { onGranularity, onScope, user: userEvent.setup() };
}

/**
 * The cells of the row whose header matches `row`, in the table named `table` (its caption). Rows
 * are found by their header's text: role queries on every row are slow in jsdom on a busy machine.
 */
function cells(table: string, row: RegExp): Array<string | null> {
  const rows = [...screen.getByRole('table', { name: table }).querySelectorAll('tbody tr')];
  const found = rows.find((r) => row.test(r.querySelector('th[scope="row"]')?.textContent ?? ''));
  if (!found) throw new Error(`no row ${String(row)} in ${table}: ${rows.map((r) => r.querySelector('th')?.textContent).join(' | ')}`);
  return [...found.querySelectorAll('td')].map((c) => c.textContent);
}

// Four charts and four 3-week tables per render, queried by role: a few seconds on the shared
// 2-core machine, more for the file's first render; the default 5 s left no margin.
vi.setConfig({ testTimeout: 20_000 });

describe('Trends view (ja)', () => {
  it('shows each week’s MQLs and SALs by hand-over week in a table beside the chart', () => {
    setup(ready(events()));
    expect(screen.getByRole('heading', { level: 1, name: 'KPI の推移' })).toBeInTheDocument();
    expect(cells('MQL と SAL の件数 (数値)', /2026\/11\/09/)).toEqual(['10', '10']);
    // handed over on Sunday, accepted on Monday: the SAL belongs to the week of 11/16
    expect(cells('MQL と SAL の件数 (数値)', /2026\/11\/16/)).toEqual(['1', '1']);
    expect(cells('MQL と SAL の件数 (数値)', /2026\/11\/23.*\(集計中\)/)).toEqual(['1', '0']);
    const chart = screen.getByRole('img', { name: /^MQL と SAL の件数/ });
    expect(chart).toHaveAccessibleName(expect.stringContaining('MQL (引き渡し): 11/9 10 → 11/23 1 (最小 1、最大 10)。'));
  });

  it('marks the 100 % week as a sieve and draws the band', () => {
    setup(ready(events()));
    expect(cells('受領率と健全性 (数値)', /2026\/11\/09/)).toEqual(['100%', '10 / 10', 'ザルの疑い']);
    expect(cells('受領率と健全性 (数値)', /2026\/11\/23/)).toEqual(['0%', '0 / 1', '少なすぎて判定不可']);
    expect(screen.getByText('受領率 100% は判定がザル、10% 未満はマーケと営業の認識のずれを示します (判断済み 10 件以上の期間だけ判定)。')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /^受領率と健全性/ })).toHaveAccessibleName(expect.stringContaining('最大 100%'));
  });

  it('shows SAL → SQL and first contact within SLA with their counts, and the rejection reasons per week', () => {
    setup(ready(events()));
    expect(cells('SAL→SQL 転換率と初回接触の SLA 遵守率 (数値)', /2026\/11\/16/)).toEqual(['100%', '1 / 1', '100%', '1 / 1']);
    expect(cells('SAL→SQL 転換率と初回接触の SLA 遵守率 (数値)', /2026\/11\/23/)).toEqual(['—', '0 / 0', '—', '0 / 0']);
    const reasons = screen.getByRole('table', { name: '却下理由の推移 (数値)' });
    expect(within(reasons).getByRole('columnheader', { name: '競合製品を使用中' })).toBeInTheDocument();
    expect(cells('却下理由の推移 (数値)', /2026\/11\/23/)).toEqual(['1', '1']);
    expect(cells('却下理由の推移 (数値)', /2026\/11\/09/)).toEqual(['0', '0']);
    // a count axis has whole numbers only: one rejection at most gives the ticks 0 and 1
    const axis = screen.getByRole('img', { name: /^却下理由の推移/ }).querySelectorAll('.sal-chart__axes text[text-anchor="end"]');
    expect([...axis].map((x) => x.textContent)).toEqual(['0', '1']);
  });

  it('offers the reps and sources as filters and the weekly/monthly switch', async () => {
    const { user, onScope, onGranularity } = setup(ready(events()));
    const scope = screen.getByRole('combobox', { name: '対象' });
    expect(within(scope).getByRole('group', { name: '担当者別' })).toHaveTextContent('田中鈴木');
    await user.selectOptions(scope, '鈴木');
    expect(onScope).toHaveBeenCalledWith({ kind: 'rep', key: REP_B.id });
    await user.selectOptions(scope, 'expo');
    expect(onScope).toHaveBeenLastCalledWith({ kind: 'source', key: 'expo' });
    await user.selectOptions(screen.getByRole('combobox', { name: '単位' }), '月次 (直近 12 か月)');
    expect(onGranularity).toHaveBeenCalledWith('month');
  });

  it('shows one rep’s weeks when filtered', () => {
    setup(ready(events(), { kind: 'rep', key: REP_B.id }));
    expect(cells('MQL と SAL の件数 (数値)', /2026\/11\/09/)).toEqual(['0', '0']);
    expect(cells('MQL と SAL の件数 (数値)', /2026\/11\/23/)).toEqual(['1', '0']);
  });

  it('says so when no lead was handed over in the range, with no chart or table', () => {
    setup(ready([]));
    expect(screen.getByText('この範囲に引き渡されたリードはありません。')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
  });

  it('shows loading and error states', () => {
    setup({ status: 'loading' });
    expect(screen.getByRole('status')).toHaveTextContent('読み込み中…');
    expect(screen.getByRole('main')).toHaveAttribute('aria-busy', 'true');
    setup({ status: 'error', message: 'QuotaExceededError' });
    expect(screen.getByRole('alert')).toHaveTextContent('データを読み込めませんでした: QuotaExceededError');
  });
});

describe('Trends view (en)', () => {
  it('shows the same numbers with English labels and dates', () => {
    setup(ready(events()), 'en');
    expect(screen.getByRole('heading', { level: 1, name: 'KPI trends' })).toBeInTheDocument();
    expect(cells('MQLs and SALs (numbers)', /Nov 9, 2026/)).toEqual(['10', '10']);
    expect(cells('MQLs and SALs (numbers)', /Nov 23, 2026.*\(in progress\)/)).toEqual(['1', '0']);
    expect(cells('Acceptance rate and its health (numbers)', /Nov 9, 2026/)).toEqual(['100%', '10 / 10', 'Sieve?']);
    expect(within(screen.getByRole('table', { name: 'Rejection reasons over time (numbers)' })).getByRole('columnheader', { name: 'Uses a competitor' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /^MQLs and SALs/ })).toHaveAccessibleName(expect.stringContaining('MQLs (handed over): 10 in 11/9, 1 in 11/23 (lowest 1, highest 10).'));
  });

  it('labels monthly buckets by month, the running one in progress', () => {
    const report = computeTrends(events(), { granularity: 'month', count: 2, now: TREND_NOW, definition: DEFAULT_DEFINITION });
    setup({ status: 'ready', report, definition: DEFAULT_DEFINITION, localOnly: false }, 'en');
    expect(within(screen.getByRole('table', { name: 'MQLs and SALs (numbers)' })).getByRole('columnheader', { name: 'Month' })).toBeInTheDocument();
    expect(cells('MQLs and SALs (numbers)', /October 2026/)).toEqual(['0', '0']);
    expect(cells('MQLs and SALs (numbers)', /November 2026.*\(in progress\)/)).toEqual(['12', '11']);
  });

  it('shows the empty, loading and error states in English', () => {
    setup(ready([]), 'en');
    expect(screen.getByText('No lead was handed over in this range.')).toBeInTheDocument();
    setup({ status: 'loading' }, 'en');
    expect(screen.getByRole('status')).toHaveTextContent('Loading…');
    setup({ status: 'error', message: 'boom' }, 'en');
    expect(screen.getByRole('alert')).toHaveTextContent('Could not read the data: boom');
  });
});
