import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { AdapterDescriptionsSection } from '../../../components/admin/AdapterDescriptionsSection';
import type { AdapterDescription } from '../../../lib/crm/description';
import { BUNDLED_DESCRIPTIONS } from '../../../lib/crm/descriptions';
import { createTranslator, type Lang } from '../../../lib/i18n';
import type { AdminClient } from '../../../lib/sync/admin-client';
import { ApiError } from '../../../lib/sync/errors';
import { sectionClient } from './admin-client-fake';

/**
 * The admin page's "how CRM pages are read" section as an admin uses it, in both languages: which
 * description each CRM screen uses, editing one, every problem named before anything is sent, a
 * save that switches the screen to the team's version, and the server's refusal shown.
 */

const LIGHTNING = BUNDLED_DESCRIPTIONS['salesforce-lightning'];

function fakeServer(options: { refuse?: boolean } = {}) {
  let stored: AdapterDescription[] = [];
  const sent: AdapterDescription[] = [];
  const api = sectionClient({
    adapters: async () => ({ descriptions: [...stored] }),
    putAdapter: async (d) => {
      sent.push(d);
      if (options.refuse) throw new ApiError(409, 'conflict', `version must be above ${d.version}`);
      stored = [...stored.filter((x) => x.ui !== d.ui), d];
      return d;
    },
  });
  return { api, sent };
}

function show(lang: Lang, api: AdminClient) {
  const t = createTranslator(lang);
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } })}>
      <AdapterDescriptionsSection t={t} api={api} />
    </QueryClientProvider>,
  );
  return t;
}

const rowOf = (table: HTMLElement, name: string) => within(table).getByRole('rowheader', { name }).closest('tr')!;

describe.each(['ja', 'en'] as const)('adapter descriptions on the admin page (%s)', (lang) => {
  it('lists every CRM screen with the bundled version in use while the team has none', async () => {
    const server = fakeServer();
    const t = show(lang, server.api);
    const table = await screen.findByTestId('admin-adapters');
    for (const ui of ['salesforce-lightning', 'salesforce-classic', 'hubspot', 'dynamics-365'] as const) {
      const row = rowOf(table, t(`admin.adapters.ui.${ui}`));
      expect(row.textContent).toContain(t('admin.adapters.version', { version: BUNDLED_DESCRIPTIONS[ui].version }));
      expect(row.textContent).toContain(t('admin.adapters.none'));
      expect(row.textContent).toContain(t('admin.adapters.usesBundled'));
    }
  });

  it('names every problem before sending anything, then saves a fixed selector and uses the team version', async () => {
    const server = fakeServer();
    const t = show(lang, server.api);
    const user = userEvent.setup();
    const table = await screen.findByTestId('admin-adapters');
    const name = t('admin.adapters.ui.salesforce-lightning');
    await user.click(within(table).getByRole('button', { name: t('admin.adapters.editOf', { ui: name }) }));
    const editor = screen.getByRole('textbox', { name: t('admin.adapters.editor', { ui: name }) }) as HTMLTextAreaElement;
    // prefilled with the bundled description, numbered above it
    expect(JSON.parse(editor.value)).toEqual({ ...LIGHTNING, version: LIGHTNING.version + 1 });

    fireEvent.change(editor, { target: { value: '{"ui": ' } });
    await user.click(screen.getByRole('button', { name: t('admin.adapters.save') }));
    expect(screen.getByRole('alert').textContent).toContain(t('admin.adapters.problem.json', { error: '' }).trim().slice(0, 6));

    // the wrong screen and a version that would never be used: both named
    fireEvent.change(editor, { target: { value: JSON.stringify({ ...LIGHTNING, ui: 'hubspot', version: LIGHTNING.version }) } });
    await user.click(screen.getByRole('button', { name: t('admin.adapters.check') }));
    const problems = within(screen.getByRole('alert'))
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(problems).toEqual([t('admin.adapters.problem.ui', { ui: 'salesforce-lightning' }), t('admin.adapters.problem.version', { min: LIGHTNING.version + 1 })]);

    // a selector the browser cannot parse would silently find nothing on every page: named with where it is
    fireEvent.change(editor, { target: { value: JSON.stringify({ ...LIGHTNING, version: LIGHTNING.version + 1, scope: 'main[[[' }) } });
    await user.click(screen.getByRole('button', { name: t('admin.adapters.check') }));
    expect(
      within(screen.getByRole('alert'))
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([t('admin.adapters.problem.selector', { path: 'scope', selector: 'main[[[' })]);

    // what the schema refuses (code is not data): named with where it is
    fireEvent.change(editor, { target: { value: JSON.stringify({ ...LIGHTNING, version: LIGHTNING.version + 1, script: 'alert(1)' }) } });
    await user.click(screen.getByRole('button', { name: t('admin.adapters.save') }));
    expect(screen.getByRole('alert').textContent).toContain('script');
    expect(server.sent).toEqual([]);

    const fixed: AdapterDescription = { ...LIGHTNING, version: LIGHTNING.version + 1, anchor: { ...LIGHTNING.anchor, find: [{ name: 'highlights', css: 'records-highlights3', deep: true }] } };
    fireEvent.change(editor, { target: { value: JSON.stringify(fixed) } });
    await user.click(screen.getByRole('button', { name: t('admin.adapters.save') }));
    expect(await screen.findByText(t('admin.adapters.saved', { version: fixed.version }))).toBeTruthy();
    expect(server.sent).toEqual([fixed]);
    const row = rowOf(await screen.findByTestId('admin-adapters'), name);
    await within(row).findByText(t('admin.adapters.usesTeam'));
    expect(row.textContent).toContain(t('admin.adapters.version', { version: fixed.version }));
  });

  it("shows the server's refusal and keeps what the admin typed", async () => {
    const server = fakeServer({ refuse: true });
    const t = show(lang, server.api);
    const user = userEvent.setup();
    const name = t('admin.adapters.ui.hubspot');
    await user.click(within(await screen.findByTestId('admin-adapters')).getByRole('button', { name: t('admin.adapters.editOf', { ui: name }) }));
    const editor = screen.getByRole('textbox', { name: t('admin.adapters.editor', { ui: name }) }) as HTMLTextAreaElement;
    const typed = editor.value;
    await user.click(screen.getByRole('button', { name: t('admin.adapters.save') }));
    expect((await screen.findByRole('alert')).textContent).toContain('version must be above');
    expect(editor.value).toBe(typed);
  });
});
