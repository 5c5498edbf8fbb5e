import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { KpiView } from '../../../components/kpis/KpiView';
import { computeKpis } from '../../../lib/domain/kpis';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { createTranslator, type Lang } from '../../../lib/i18n';
import type { LeadEvent } from '../../../lib/domain/events';
import { accepted, contacted, handedOver, jst, qualified, rejected, salesOriginated, REP_A, REP_B } from '../../unit/domain/builders';

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

function setup(events: LeadEvent[], lang: Lang = 'ja', localOnly = false) {
  const report = computeKpis(events, { from: jst('2026-11-01T00:00'), to: jst('2026-12-01T00:00'), now: jst('2026-11-20T10:00'), definition: DEFAULT_DEFINITION });
  const onPeriod = vi.fn();
  render(<KpiView t={createTranslator(lang)} lang={lang} report={report} definition={DEFAULT_DEFINITION} period="this_month" onPeriod={onPeriod} localOnly={localOnly} />);
  return { onPeriod, user: userEvent.setup() };
}

const figure = (label: string) =>
  within(screen.getByRole('region', { name: /量・質・運用|Quantity/ }))
    .getByText(label)
    .closest('div')!;

describe('KPI page', () => {
  it('ja: headline figures, rejection reasons and per-rep / per-source tables from the events', () => {
    setup(novemberEvents());
    expect(within(figure('MQL (引き渡し)')).getByText('4')).toBeInTheDocument();
    expect(within(figure('SAL (受領)')).getByText('3')).toBeInTheDocument();
    expect(figure('受領率 (MQL→SAL)')).toHaveTextContent('75%');
    expect(figure('受領率 (MQL→SAL)')).toHaveTextContent('受領 3 · 却下 1 · 未判断 0');
    expect(figure('SAL→SQL 転換率')).toHaveTextContent('33% 1 / 3');
    const reasons = screen.getByRole('table', { name: '却下理由の内訳' });
    expect(within(reasons).getByRole('row', { name: /競合製品を使用中/ })).toHaveTextContent('1100%');
    const byRep = screen.getByRole('table', { name: '担当者別' });
    expect(within(byRep).getByRole('row', { name: /田中/ })).toHaveTextContent('田中22');
    expect(within(byRep).getByRole('row', { name: /鈴木/ })).toHaveTextContent('50%');
    const bySource = screen.getByRole('table', { name: 'リードソース別' });
    expect(within(bySource).getByRole('row', { name: /ウェビナー/ })).toHaveTextContent('100%');
  });

  it('ja: a 100 % acceptance rate raises the "sieve" alarm', () => {
    const allAccepted = novemberEvents().filter((e) => e.type !== 'rejected' && !(e.type === 'handed_over' && e.leadKey === key(4)));
    setup(allAccepted);
    expect(figure('受領率 (MQL→SAL)')).toHaveTextContent('100%');
    expect(within(figure('受領率 (MQL→SAL)')).getByRole('note')).toHaveTextContent('ザル');
  });

  it('ja: names a rep who decided before signing in, and a sales-originated SAL by its signal', () => {
    const local = { id: 'local-01JD0000000000000000000000', name: '' };
    setup([salesOriginated({ at: jst('2026-11-10T10:00'), actor: local, ...lead(9) }, { signal: 'intent' }), accepted({ at: jst('2026-11-10T10:00'), actor: local, ...lead(9) })]);
    expect(within(screen.getByRole('table', { name: '担当者別' })).getByRole('row', { name: /このブラウザの担当者/ })).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'リードソース別' })).getByRole('row', { name: /営業起点: インテントシグナル/ })).toBeInTheDocument();
  });

  it('en: empty period, local-only notice, and choosing another period', async () => {
    const { onPeriod, user } = setup([], 'en', true);
    expect(screen.getByText('No data for this period.')).toBeInTheDocument();
    expect(screen.getByText(/Local mode: only what this browser recorded/)).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Period'), 'Last month');
    expect(onPeriod).toHaveBeenCalledWith('last_month');
  });
});
