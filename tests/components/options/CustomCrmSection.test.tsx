import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CustomCrmSection, type CustomCrmApi } from '../../../components/options/CustomCrmSection';
import { createTranslator, type Lang } from '../../../lib/i18n';
import type { CustomCrmConfig } from '../../../lib/crm/custom';
import { CUSTOM_CRM_CONFIG } from '../../sandbox/custom-crm';

/** Storage and permissions in memory; `answer` is what the user says to the permission prompt. */
function fakeApi(initial: CustomCrmConfig[], granted: string[], answer = true) {
  let crms = initial;
  const listeners = new Set<() => void>();
  const api: CustomCrmApi = {
    load: vi.fn(() => Promise.resolve(crms)),
    store: vi.fn((value) => {
      crms = value.crms;
      listeners.forEach((l) => l());
      return Promise.resolve();
    }),
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    hasAccess: (p) => Promise.resolve(granted.includes(p)),
    requestAccess: vi.fn((p: string) => {
      if (answer) granted.push(p);
      return Promise.resolve(answer);
    }),
    revokeAccess: vi.fn((p: string) => {
      granted.splice(granted.indexOf(p), 1);
      return Promise.resolve();
    }),
  };
  return { api, stored: () => crms };
}

const setup = (api: CustomCrmApi, lang: Lang = 'ja') => {
  render(<CustomCrmSection t={createTranslator(lang)} api={api} />);
  return userEvent.setup();
};

describe('options: other CRMs by configuration', () => {
  it('ja: empty, then a broken configuration lists every problem and stores nothing', async () => {
    const { api } = fakeApi([], []);
    const user = setup(api);
    expect(await screen.findByText('設定された CRM はありません。')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'CRM を追加' }));
    const editor = screen.getByLabelText('設定 (JSON)');
    expect((editor as HTMLTextAreaElement).value).toContain('"recordUrl"');
    await user.clear(editor);
    await user.click(editor);
    await user.paste('{ "slug": "x" ');
    await user.click(screen.getByRole('button', { name: '検証して保存' }));
    expect(screen.getByRole('alert')).toHaveTextContent('JSON として読めません');
    await user.clear(editor);
    await user.paste(JSON.stringify({ ...CUSTOM_CRM_CONFIG, slug: 'Bad Slug', anchor: '[[', recordUrl: '^/x/(\\d+)$' }));
    await user.click(screen.getByRole('button', { name: '検証して保存' }));
    const problems = within(screen.getByRole('alert'));
    expect(problems.getByText(/^slug:/)).toBeInTheDocument();
    expect(problems.getByText(/^recordUrl: needs a named group/)).toBeInTheDocument();
    expect(problems.getByText(/^anchor: not a valid CSS selector/)).toBeInTheDocument();
    expect(editor).toHaveAttribute('aria-invalid', 'true');
    expect(api.store).not.toHaveBeenCalled();
    expect(api.requestAccess).not.toHaveBeenCalled();
  });

  it('ja: a good one asks for its host only, is stored and listed as allowed', async () => {
    const { api, stored } = fakeApi([], []);
    const user = setup(api);
    await user.click(await screen.findByRole('button', { name: 'CRM を追加' }));
    const editor = screen.getByLabelText('設定 (JSON)');
    await user.clear(editor);
    await user.paste(JSON.stringify(CUSTOM_CRM_CONFIG));
    await user.click(screen.getByRole('button', { name: '検証して保存' }));
    expect(await screen.findByRole('status')).toHaveTextContent('保存しました。leads.example-crm.test で有効です。');
    expect(api.requestAccess).toHaveBeenCalledWith('https://leads.example-crm.test/*');
    expect(stored()).toEqual([CUSTOM_CRM_CONFIG]);
    expect(await screen.findByText('アクセス許可済み')).toBeInTheDocument();
  });

  it('en: refused access keeps the configuration, says it is inactive and offers to allow it', async () => {
    const { api } = fakeApi([], [], false);
    const user = setup(api, 'en');
    await user.click(await screen.findByRole('button', { name: 'Add a CRM' }));
    const editor = screen.getByLabelText('Configuration (JSON)');
    await user.clear(editor);
    await user.paste(JSON.stringify(CUSTOM_CRM_CONFIG));
    await user.click(screen.getByRole('button', { name: 'Check and save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('access to leads.example-crm.test was not allowed');
    expect(await screen.findByText('Access not allowed (inactive)')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Allow access' })).toBeInTheDocument();
  });

  it('en: removing a CRM revokes its host and empties the list', async () => {
    const { api, stored } = fakeApi([CUSTOM_CRM_CONFIG], ['https://leads.example-crm.test/*']);
    const user = setup(api, 'en');
    await user.click(await screen.findByRole('button', { name: 'Remove example-crm' }));
    expect(await screen.findByText('No CRM configured.')).toBeInTheDocument();
    expect(stored()).toEqual([]);
    expect(api.revokeAccess).toHaveBeenCalledWith('https://leads.example-crm.test/*');
  });
});
