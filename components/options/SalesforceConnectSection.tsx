import { useCallback, useEffect, useId, useState } from 'react';
import type { Translate } from '../../lib/i18n';
import { sendRequest } from '../../lib/messaging/client';
import type { ResponseMap, SalesforceConnectionsInfo } from '../../lib/messaging/protocol';

/** What the section asks the service worker (injected: tests run it without a browser). */
export interface SalesforceConnectApi {
  info(): Promise<SalesforceConnectionsInfo>;
  /** Opens Salesforce's sign-in window for the org (a My Domain or Lightning URL) and keeps the tokens in the worker. */
  connect(org: string): Promise<ResponseMap['app.salesforceConnect']>;
  disconnect(org: string): Promise<ResponseMap['app.salesforceDisconnect']>;
}

const workerApi: SalesforceConnectApi = {
  info: () => sendRequest({ type: 'app.salesforceConnections' }),
  connect: (org) => sendRequest({ type: 'app.salesforceConnect', org }),
  disconnect: (org) => sendRequest({ type: 'app.salesforceDisconnect', org }),
};

const ERRORS = ['unknown_org', 'not_configured', 'denied', 'state_mismatch', 'exchange_failed'] as const;

/**
 * Salesforce orgs that refuse the rep's cookie session for the API (API Access Control) take
 * write-backs through OAuth instead: the team's connected app (set by the team's admin in the
 * write-back settings, or by policy), and a connection per org made here. Lists the orgs whose
 * write-backs wait for a connection, each with its button, and the connected ones with 切断.
 * No token ever reaches this page: the worker runs the sign-in window and keeps them.
 */
export function SalesforceConnectSection({ t, api = workerApi }: { t: Translate; api?: SalesforceConnectApi }) {
  const id = useId();
  const [info, setInfo] = useState<SalesforceConnectionsInfo | null>(null);
  const [org, setOrg] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => api.info().then(setInfo, () => setInfo(null)), [api]);
  useEffect(() => void load(), [load]);
  if (!info) return null;

  const connect = async (target: string) => {
    setBusy(true);
    setNotice(null);
    try {
      const result = await api.connect(target);
      if (result.ok) {
        setOrg('');
        setNotice(t('sfConnect.connected', { org: result.origin }));
      } else {
        const reason = (ERRORS as readonly string[]).includes(result.error) ? t(`sfConnect.error.${result.error as (typeof ERRORS)[number]}`) : result.error;
        setNotice(t('sfConnect.failed', { reason, message: result.message }));
      }
    } finally {
      setBusy(false);
      await load();
    }
  };
  const disconnect = async (target: string) => {
    await api.disconnect(target);
    setNotice(t('sfConnect.disconnected', { org: target }));
    await load();
  };

  return (
    <section className="sal-card" aria-labelledby={`${id}-title`} data-testid="salesforce-connect">
      <h2 id={`${id}-title`}>{t('sfConnect.title')}</h2>
      <p className="sal-hint">{t('sfConnect.hint')}</p>
      {info.clientId === null ? (
        <p>{t('sfConnect.notConfigured')}</p>
      ) : (
        <p>
          {t('sfConnect.app', { clientId: info.clientId })}
          {info.byPolicy && ` (${t('policy.locked')})`}
        </p>
      )}
      <p className="sal-hint">{t('sfConnect.redirect', { uri: info.redirectUri })}</p>
      {info.waiting.length > 0 && (
        <div role="group" aria-label={t('sfConnect.waiting')}>
          <p className="sal-warning">{t('sfConnect.waiting')}</p>
          <ul>
            {info.waiting.map((origin) => (
              <li key={origin}>
                {origin}{' '}
                <button type="button" className="sal-btn sal-btn--brand" disabled={busy || info.clientId === null} onClick={() => void connect(origin)}>
                  {t('sfConnect.connect')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {info.connected.length > 0 && (
        <ul aria-label={t('sfConnect.connectedList')}>
          {info.connected.map((c) => (
            <li key={c.origin}>
              {t('sfConnect.since', { org: c.origin, at: new Date(c.connectedAt).toLocaleString() })}{' '}
              <button type="button" className="sal-btn" onClick={() => void disconnect(c.origin)}>
                {t('sfConnect.disconnect', { org: c.origin })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {info.clientId !== null && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (org.trim()) void connect(org.trim());
          }}
        >
          <label htmlFor={id}>{t('sfConnect.org')}</label>
          <input id={id} type="url" placeholder="https://example.my.salesforce.com" value={org} onChange={(e) => setOrg(e.target.value)} />
          <button type="submit" className="sal-btn" disabled={busy || org.trim() === ''}>
            {t('sfConnect.connect')}
          </button>
        </form>
      )}
      {notice && (
        <p role="status" className="sal-hint">
          {notice}
        </p>
      )}
    </section>
  );
}
