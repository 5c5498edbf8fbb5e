import { afterEach, describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { KpiPage } from '../../../components/kpis/KpiPage';
import { getDb, recordLocalEvent, writeKv } from '../../../lib/db';
import { prefsKv } from '../../../lib/settings/prefs';
import { accepted, handedOver, REP_A } from '../../unit/domain/builders';

/**
 * The KPI page with its two views over this browser's database (fake IndexedDB): the trends
 * read the events themselves (use-trend-source) and the links switch views by the URL fragment.
 */
afterEach(() => {
  window.location.hash = '';
});

async function seed() {
  const db = getDb();
  await writeKv(db, prefsKv, { lang: 'ja' });
  // a lead handed over and accepted seconds ago: in the running week whatever today is (but for
  // the first two seconds of a Monday in Tokyo)
  const at = new Date(Date.now() - 2_000);
  await recordLocalEvent(db, handedOver({ leadKey: 'hubspot:P1', at }, { source: 'webinar' }), at.getTime());
  await recordLocalEvent(db, accepted({ leadKey: 'hubspot:P1', at: new Date(at.getTime() + 1_000), actor: REP_A }), at.getTime());
}

describe('KPI page: KPIs and trends', () => {
  it('opens the trends at #trends, reads this browser’s events, and goes back to the KPIs by link', async () => {
    await seed();
    window.location.hash = '#trends';
    render(<KpiPage />);
    // the first live query opens the database (its upgrades run): slow on a busy machine
    expect(await screen.findByRole('heading', { level: 1, name: 'KPI の推移' }, { timeout: 10_000 })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'KPI ページ' });
    expect(within(nav).getByRole('link', { name: '推移' })).toHaveAttribute('aria-current', 'page');
    const volume = await screen.findByRole('table', { name: 'MQL と SAL の件数 (数値)' });
    const rows = within(volume).getAllByRole('row');
    // 13 weeks and the header; the running week is the last row, with the lead of an hour ago
    expect(rows).toHaveLength(14);
    expect(
      within(rows[13]!)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['1', '1']);

    await userEvent.setup().click(within(nav).getByRole('link', { name: '期間の KPI' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'SAL の KPI' })).toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: '期間の KPI' })).toHaveAttribute('aria-current', 'page');
  });
});
