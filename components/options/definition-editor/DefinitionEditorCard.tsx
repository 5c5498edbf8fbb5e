import { useMemo } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { SalDatabase } from '../../../lib/db/schema';
import type { BackendConfig } from '../../../lib/settings/backend';
import type { Lang, Translate } from '../../../lib/i18n';
import { createHttpBackendClient } from '../../../lib/sync/http-client';
import { refreshSession } from '../../../lib/sync/session';
import { createSettingsClient } from '../../../lib/sync/settings-client';
import { DefinitionEditor, errorText } from './DefinitionEditor';
import { createLocalDefinitionSource, createServerDefinitionSource, definitionQuery, type DefinitionSource } from './definition-source';

export interface DefinitionEditorCardProps {
  db: SalDatabase;
  t: Translate;
  lang: Lang;
  /** The saved backend (undefined while it loads). */
  backend: BackendConfig | null | undefined;
  /** The signed-in member's role in server mode (null: not known yet). */
  role: string | null;
  customTargets: readonly string[];
  /** Asks the service worker for a sync round (after a server save). */
  syncNow(): void;
}

/**
 * The options page's definition editor, wired: in server mode the team's settings through the
 * server (admins edit, everyone else reads), in local mode this browser's definition.
 * Loading and load failures are shown here; the editor itself has the form's states.
 */
export function DefinitionEditorCard({ db, t, lang, backend, role, customTargets, syncNow }: DefinitionEditorCardProps) {
  const server = backend?.mode === 'server' ? backend : null;
  const url = server?.url;
  const token = server?.token;
  const hasSession = server?.session !== undefined;
  const source: DefinitionSource | null = useMemo(() => {
    if (backend === undefined) return null;
    if (!url || !token) return createLocalDefinitionSource(db);
    const fetchImpl = fetch.bind(globalThis);
    const http = createHttpBackendClient(url, token, fetchImpl, Date.now, hasSession ? { refresh: () => refreshSession(db, token, fetchImpl) } : {});
    return createServerDefinitionSource(createSettingsClient(http), db, syncNow);
  }, [db, backend, url, token, hasSession, syncNow]);
  const client = useQueryClient();
  const query = useQuery({ ...definitionQuery(source ?? createLocalDefinitionSource(db)), enabled: source !== null });

  if (!source) return null;
  const title = <h2>{t('def.title')}</h2>;
  if (query.isPending)
    return (
      <section className="sal-card" aria-busy="true" data-testid="definition-editor">
        {title}
        <p className="sal-muted" role="status">
          {t('def.loading')}
        </p>
      </section>
    );
  if (query.isError)
    return (
      <section className="sal-card" data-testid="definition-editor">
        {title}
        <div role="alert" className="sal-error">
          <p>{t('def.loadFailed', { error: errorText(query.error, t) })}</p>
          <button type="button" className="sal-btn" onClick={() => void query.refetch()}>
            {t('def.loadAgain')}
          </button>
        </div>
      </section>
    );
  return (
    <DefinitionEditor
      t={t}
      lang={lang}
      snapshot={query.data}
      mode={source.mode}
      canEdit={source.mode === 'local' || role === 'admin'}
      customTargets={customTargets}
      now={() => new Date()}
      onSave={async (definition, base) => {
        const result = await source.save(definition, base);
        client.setQueryData(definitionQuery(source).queryKey, result.snapshot);
        return result;
      }}
      onReload={async () => (await query.refetch({ throwOnError: true })).data}
    />
  );
}
