import { useEffect, useState } from 'react';
import type { CustomCrmConfig } from '../../lib/crm/custom';
import type { Translate } from '../../lib/i18n';
import type { BackendConfig } from '../../lib/settings/backend';
import { BUILT_IN_CRM_IDS, NO_POLICY, builtInCrmEnabled, readManagedPolicy, subscribePolicy, type Policy } from '../../lib/settings/policy';
import type { CustomCrmApi } from './CustomCrmSection';

/**
 * The note beside a setting IT fixed by enterprise policy. The locked control names it with
 * `aria-describedby={id}`, so a screen reader says why the control cannot be changed.
 */
export function PolicyNotice({ t, id }: { t: Translate; id: string }) {
  return (
    <p id={id} className="sal-hint" data-testid="policy-notice">
      {t('policy.locked')}
    </p>
  );
}

/** The enterprise policy in force, kept current while the page is open; NO_POLICY until read. */
export function usePolicy(read: () => Promise<Policy> = readManagedPolicy, subscribe: (onChange: () => void) => () => void = subscribePolicy): Policy {
  const [policy, setPolicy] = useState<Policy>(NO_POLICY);
  useEffect(() => {
    let live = true;
    const refresh = () => void read().then((next) => live && setPolicy(next));
    refresh();
    const unsubscribe = subscribe(refresh);
    return () => {
      live = false;
      unsubscribe();
    };
  }, [read, subscribe]);
  return policy;
}

const BUILT_IN_NAMES: Record<(typeof BUILT_IN_CRM_IDS)[number], string> = { salesforce: 'Salesforce', hubspot: 'HubSpot', dynamics: 'Dynamics 365' };

/**
 * What the policy says about CRMs and sign-in, for the rep to read (nothing here is editable):
 * which built-in CRMs are on, the configured CRMs it sets, and the values it gave that were refused.
 */
export function PolicySummary({ t, policy }: { t: Translate; policy: Policy }) {
  const list = (items: string[]) => (items.length ? items.join(', ') : t('policy.crms.none'));
  const hasCrms = policy.builtInCrms !== undefined || policy.customCrms !== undefined;
  const writeback = policy.locked.has('writeback');
  if (!hasCrms && !writeback && policy.signInMethod !== 'oidc' && policy.problems.length === 0) return null;
  return (
    <section className="sal-card" aria-labelledby="policy-crms-title" data-testid="policy-summary">
      <h2 id="policy-crms-title">{t('policy.crms.title')}</h2>
      {policy.builtInCrms !== undefined && <p>{t('policy.crms.builtIn', { list: list(BUILT_IN_CRM_IDS.filter((id) => builtInCrmEnabled(id, policy)).map((id) => BUILT_IN_NAMES[id])) })}</p>}
      {policy.customCrms !== undefined && <p>{t('policy.crms.custom', { list: list(policy.customCrms.map((c) => c.host)) })}</p>}
      {hasCrms && <p className="sal-hint">{t('policy.locked')}</p>}
      {writeback && <p data-testid="policy-writeback">{t('policy.writeback')}</p>}
      {policy.signInMethod === 'oidc' && <p className="sal-warning">{t('policy.oidcPending')}</p>}
      {policy.problems.length > 0 && <p className="sal-warning">{t('policy.problems', { list: policy.problems.join('; ') })}</p>}
    </section>
  );
}

/**
 * The server URL the backend form shows locked: the policy's, or, when the policy only lists
 * `serverUrl` in `lockedSettings`, the one the rep saved (a rep in local mode has none to keep).
 */
export function lockedServerUrl(policy: Policy, stored: BackendConfig | null | undefined): string | undefined {
  if (policy.serverUrl !== undefined) return policy.serverUrl;
  return policy.locked.has('serverUrl') && stored?.mode === 'server' ? stored.url : undefined;
}

/**
 * CustomCrmSection's API when the policy locks the configured CRMs: it lists the policy's CRMs
 * (or the rep's own when the policy only locks them) and refuses to store, saying why.
 */
export function lockedCustomCrmApi(api: CustomCrmApi, policy: Policy, t: Translate): CustomCrmApi {
  if (!policy.locked.has('customCrms')) return api;
  const fromPolicy: CustomCrmConfig[] | undefined = policy.customCrms;
  return {
    ...api,
    load: fromPolicy ? () => Promise.resolve(fromPolicy) : api.load,
    store: () => Promise.reject(new Error(t('policy.customCrmsLocked'))),
  };
}
