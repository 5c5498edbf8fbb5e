import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ReadHealthSection } from '../../../components/admin/ReadHealthSection';
import { formatDateTime } from '../../../lib/format/time';
import { createTranslator, type Lang } from '../../../lib/i18n';
import type { CrmReadHealth } from '../../../lib/protocol/read-health';
import type { AdminClient } from '../../../lib/sync/admin-client';
import { ApiError, SyncError } from '../../../lib/sync/errors';
import { sectionClient } from './admin-client-fake';

/**
 * The admin page's read-health section as an admin reads it, in both languages: each CRM's
 * badge, since when, the day's counts and the fields missed most; and its loading, empty and
 * error states.
 */

const CRMS: CrmReadHealth[] = [
  {
    crm: 'dynamics',
    status: 'partial',
    since: '2026-11-27T00:00:00.000Z',
    day: '2026-11-30',
    counts: { reads: 40, ok: 4, partial: 36, failing: 0 },
    topMissing: [
      { field: 'leadSource', count: 36 },
      { field: 'status', count: 36 },
    ],
    members: 3,
    adapterVersions: ['1.4.0'],
  },
  { crm: 'hubspot', status: 'ok', since: '2026-11-01T00:00:00.000Z', day: '2026-11-30', counts: { reads: 25, ok: 25, partial: 0, failing: 0 }, topMissing: [], members: 2, adapterVersions: ['1.4.0'] },
  {
    crm: 'salesforce',
    status: 'failing',
    since: '2026-11-29T01:15:00.000Z',
    day: '2026-11-30',
    counts: { reads: 20, ok: 6, partial: 0, failing: 14 },
    topMissing: [{ field: 'name', count: 14 }],
    members: 4,
    adapterVersions: ['1.4.0', '1.3.2'],
  },
];

/** An admin client whose read-health answer the test decides (everything else is not this section's). */
function client(readHealth: AdminClient['readHealth']): AdminClient {
  return sectionClient({ readHealth });
}

function show(lang: Lang, api: AdminClient) {
  const t = createTranslator(lang);
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <ReadHealthSection t={t} lang={lang} api={api} />
    </QueryClientProvider>,
  );
  return t;
}

describe.each(['ja', 'en'] as const)('read health on the admin page (%s)', (lang) => {
  it('shows each CRM with its badge, since when, its counts and the fields missed most', async () => {
    const t = show(
      lang,
      client(async () => ({ windowDays: 30, crms: CRMS })),
    );
    expect(screen.getByRole('heading', { name: t('admin.readHealth.title') })).toBeTruthy();
    const table = await screen.findByTestId('admin-read-health');
    const row = (crm: CrmReadHealth['crm']) =>
      within(table)
        .getByRole('rowheader', { name: t(`admin.readHealth.crm.${crm}`) })
        .closest('tr')!;

    const salesforce = row('salesforce');
    expect(within(salesforce).getByText(t('admin.readHealth.status.failing'))).toBeTruthy();
    expect(salesforce.textContent).toContain(t('admin.readHealth.since', { at: formatDateTime(new Date('2026-11-29T01:15:00.000Z'), lang) }));
    expect(salesforce.textContent).toContain(t('admin.readHealth.counts', { day: '2026-11-30', reads: 20, ok: 6, partial: 0, failing: 14 }));
    expect(salesforce.textContent).toContain(t('admin.readHealth.members', { count: 4, versions: '1.4.0, 1.3.2' }));
    expect(salesforce.textContent).toContain(t('admin.readHealth.missingCount', { field: t('field.name'), count: 14 }));

    const dynamics = row('dynamics');
    expect(within(dynamics).getByText(t('admin.readHealth.status.partial'))).toBeTruthy();
    expect(dynamics.textContent).toContain(t('admin.readHealth.missingCount', { field: t('field.leadSource'), count: 36 }));
    expect(dynamics.textContent).toContain(t('admin.readHealth.missingCount', { field: t('field.status'), count: 36 }));

    const hubspot = row('hubspot');
    expect(within(hubspot).getByText(t('admin.readHealth.status.ok'))).toBeTruthy();
    expect(hubspot.textContent).toContain(t('admin.readHealth.noMissing'));
    // the words an admin reads, in this language
    expect(table.textContent).toContain(lang === 'ja' ? '失敗' : 'Failing');
    expect(table.textContent).toContain(lang === 'ja' ? '一部欠落' : 'Partial');
  });

  it('says it is loading, then that no reads were reported yet', async () => {
    let answer: (value: { windowDays: number; crms: CrmReadHealth[] }) => void = () => undefined;
    const t = show(
      lang,
      client(() => new Promise((resolve) => (answer = resolve))),
    );
    expect(screen.getByRole('status').textContent).toBe(t('admin.loading'));
    answer({ windowDays: 30, crms: [] });
    expect(await screen.findByText(t('admin.readHealth.empty'))).toBeTruthy();
    expect(screen.queryByTestId('admin-read-health')).toBeNull();
  });

  it("shows the server's refusal or the network's failure, and loads again on retry", async () => {
    let calls = 0;
    const t = show(
      lang,
      client(async () => {
        calls++;
        if (calls === 1) throw new ApiError(403, 'forbidden', 'only a team admin may read the read health');
        if (calls === 2) throw new SyncError('offline', 'network down');
        return { windowDays: 30, crms: CRMS.slice(0, 1) };
      }),
    );
    const user = userEvent.setup();
    expect((await screen.findByRole('alert')).textContent).toContain(t('admin.error', { error: t('admin.forbidden') }));
    await user.click(screen.getByRole('button', { name: t('admin.retry') }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain(t('error.offline')));
    await user.click(screen.getByRole('button', { name: t('admin.retry') }));
    expect(await screen.findByTestId('admin-read-health')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
