import { useId, useState } from 'react';
import type { Translate } from '../../lib/i18n';

/** What the section does beyond rendering (injected: tests run it without a browser). */
export interface CrmTokenApi {
  /**
   * Asks for the HubSpot API's host permission (inside the user's click) and stores the token in
   * this browser (null removes it). Resolves false when the permission is refused; nothing is stored then.
   */
  saveHubSpotToken(token: string | null): Promise<boolean>;
}

/**
 * The HubSpot token decisions are written back with (lib/writeback/hubspot.ts): a private app's
 * or OAuth access token with `crm.objects.contacts.write` (or `crm.objects.leads.write`). It is
 * kept in this browser only and sent only to HubSpot's API; the field never shows it again.
 */
export function CrmTokenSection({ t, configured, api }: { t: Translate; configured: boolean; api: CrmTokenApi }) {
  const id = useId();
  const [token, setToken] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const save = async (value: string | null) => {
    setNotice(null);
    const ok = await api.saveHubSpotToken(value);
    if (ok) setToken('');
    setNotice(t(ok ? (value === null ? 'crmToken.removed' : 'crmToken.saved') : 'crmToken.denied'));
  };
  return (
    <section className="sal-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('crmToken.title')}</h2>
      <p className="sal-hint">{t('crmToken.hint')}</p>
      <label htmlFor={id}>{t('crmToken.hubspot')}</label>
      <input id={id} type="password" autoComplete="off" value={token} placeholder={configured ? t('crmToken.configured') : ''} onChange={(e) => setToken(e.target.value)} />
      <button type="button" className="sal-btn" disabled={token.trim() === ''} onClick={() => void save(token.trim())}>
        {t('crmToken.save')}
      </button>
      {configured && (
        <button type="button" className="sal-btn" onClick={() => void save(null)}>
          {t('crmToken.remove')}
        </button>
      )}
      {notice && (
        <p role="status" className="sal-hint">
          {notice}
        </p>
      )}
    </section>
  );
}
