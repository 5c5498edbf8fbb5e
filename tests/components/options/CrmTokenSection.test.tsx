import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CrmTokenSection } from '../../../components/options/CrmTokenSection';
import { createTranslator } from '../../../lib/i18n';

describe('CrmTokenSection', () => {
  it('saves the HubSpot token typed, clears the field and never shows the token again (ja)', async () => {
    const saveHubSpotToken = vi.fn(async () => true);
    const { rerender } = render(<CrmTokenSection t={createTranslator('ja')} configured={false} api={{ saveHubSpotToken }} />);
    const field = screen.getByLabelText('HubSpot 用トークン (非公開アプリ / OAuth)');
    expect(screen.getByRole('button', { name: 'トークンを登録' })).toHaveProperty('disabled', true);
    await userEvent.type(field, ' pat-na1-secret ');
    await userEvent.click(screen.getByRole('button', { name: 'トークンを登録' }));
    expect(saveHubSpotToken).toHaveBeenCalledWith('pat-na1-secret');
    expect(screen.getByRole('status').textContent).toBe('保存しました');
    expect((field as HTMLInputElement).value).toBe('');
    rerender(<CrmTokenSection t={createTranslator('ja')} configured api={{ saveHubSpotToken }} />);
    expect((field as HTMLInputElement).placeholder).toBe('設定済み (変更する場合は入力)');
    expect(document.body.textContent).not.toContain('pat-na1-secret');
  });

  it('says so when the API permission is refused, and removes a token (en)', async () => {
    const saveHubSpotToken = vi.fn(async (token: string | null) => token === null);
    render(<CrmTokenSection t={createTranslator('en')} configured api={{ saveHubSpotToken }} />);
    await userEvent.type(screen.getByLabelText('HubSpot private app / OAuth token'), 'pat-x');
    await userEvent.click(screen.getByRole('button', { name: 'Set token' }));
    expect(screen.getByRole('status').textContent).toBe('Access to the HubSpot API was not allowed; nothing was saved');
    await userEvent.click(screen.getByRole('button', { name: 'Clear token' }));
    expect(saveHubSpotToken).toHaveBeenLastCalledWith(null);
    expect(screen.getByRole('status').textContent).toBe('Removed');
  });
});
