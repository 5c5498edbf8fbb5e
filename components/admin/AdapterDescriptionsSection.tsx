import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Translate } from '../../lib/i18n';
import { DESCRIBED_UIS, type AdapterDescription, type DescribedUi } from '../../lib/crm/description';
import { BUNDLED_DESCRIPTIONS } from '../../lib/crm/descriptions';
import { AdapterDescriptionSchema } from '../../lib/protocol/adapter-description';
import type { AdminClient } from '../../lib/sync/admin-client';
import { parseJsonText } from '../shared/json-text';
import { adaptersQuery } from './admin-queries';
import { adminErrorText, Loaded, useAdminMutation } from './admin-parts';

/** A description's JSON as the editor shows it. */
const pretty = (d: AdapterDescription) => JSON.stringify(d, null, 2);

/**
 * What the admin typed, checked as the server and the extensions will check it, plus what only
 * this page knows: the row's UI, and that a version not above the bundled one would be stored but
 * never used (the extension keeps its own description then). Every problem is named, not only the
 * first.
 */
export function checkDescription(text: string, ui: DescribedUi, minVersion: number, t: Translate): { description: AdapterDescription | null; problems: string[] } {
  const parsed = parseJsonText(text, AdapterDescriptionSchema, (error) => t('admin.adapters.problem.json', { error }));
  if (!parsed.ok) return { description: null, problems: parsed.errors };
  const problems = invalidSelectors(parsed.value).map(({ path, selector }) => t('admin.adapters.problem.selector', { path, selector }));
  if (parsed.value.ui !== ui) problems.push(t('admin.adapters.problem.ui', { ui }));
  if (parsed.value.version < minVersion) problems.push(t('admin.adapters.problem.version', { min: minVersion }));
  return { description: problems.length ? null : parsed.value, problems };
}

/** The keys whose values (a string or a list of strings) are CSS selectors in a description. */
const SELECTOR_KEYS = new Set(['css', 'in', 'at', 'scope', 'page', 'exclude', 'active', 'rows', 'row', 'link', 'linkCell', 'cell', 'value', 'fallback']);

/**
 * Selectors the browser cannot parse, with where they are. The schema cannot tell (the service
 * worker that also validates descriptions has no DOM), and the content script would silently find
 * nothing with one; this page has a DOM, so it asks the browser's own parser.
 */
function invalidSelectors(description: AdapterDescription): { path: string; selector: string }[] {
  const probe = document.createDocumentFragment();
  const out: { path: string; selector: string }[] = [];
  const visit = (value: unknown, path: string[], selectorKey: boolean) => {
    if (typeof value === 'string') {
      if (!selectorKey) return;
      try {
        probe.querySelector(value);
      } catch {
        out.push({ path: path.join('.'), selector: value });
      }
    } else if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, String(i)], selectorKey));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, [...path, k], SELECTOR_KEYS.has(k));
  };
  visit(description, [], false);
  return out;
}

/**
 * "CRM の読み取り定義 / How CRM pages are read" (admins, issue 16): per built-in CRM UI, the
 * description bundled with the extension, the team's own if an admin saved one, and which of them
 * the team's browsers use (the higher version). An admin mends a selector a CRM release broke by
 * saving a new version here: data only (selectors, labels, patterns), checked before it is sent
 * and again by the server; browsers use it from the next page load after their next sync.
 */
export function AdapterDescriptionsSection({ t, api }: { t: Translate; api: AdminClient }) {
  const query = useQuery(adaptersQuery(api));
  const [editing, setEditing] = useState<DescribedUi | null>(null);
  return (
    <section className="sal-card" aria-labelledby="admin-adapters">
      <h2 id="admin-adapters">{t('admin.adapters.title')}</h2>
      <p className="sal-hint">{t('admin.adapters.help')}</p>
      <Loaded query={query} items={query.data ? [query.data] : undefined} t={t} empty="">
        {([team]) => (
          <>
            <table className="sal-kpi-table" data-testid="admin-adapters">
              <thead>
                <tr>
                  <th scope="col">{t('admin.adapters.ui')}</th>
                  <th scope="col">{t('admin.adapters.bundled')}</th>
                  <th scope="col">{t('admin.adapters.team')}</th>
                  <th scope="col">{t('admin.adapters.inUse')}</th>
                  <th scope="col">{t('admin.adapters.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {DESCRIBED_UIS.map((ui) => {
                  const bundled = BUNDLED_DESCRIPTIONS[ui];
                  const own = team!.find((d) => d.ui === ui);
                  const usesOwn = own !== undefined && own.version > bundled.version;
                  return (
                    <tr key={ui}>
                      <th scope="row">{t(`admin.adapters.ui.${ui}`)}</th>
                      <td>{t('admin.adapters.version', { version: bundled.version })}</td>
                      <td>{own ? t('admin.adapters.version', { version: own.version }) : t('admin.adapters.none')}</td>
                      <td>{usesOwn ? t('admin.adapters.usesTeam') : t('admin.adapters.usesBundled')}</td>
                      <td>
                        <button
                          type="button"
                          className="sal-btn"
                          aria-expanded={editing === ui}
                          aria-label={t('admin.adapters.editOf', { ui: t(`admin.adapters.ui.${ui}`) })}
                          onClick={() => setEditing(editing === ui ? null : ui)}
                        >
                          {t('admin.adapters.edit')}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {editing && (
              <DescriptionEditor key={editing} t={t} api={api} ui={editing} bundled={BUNDLED_DESCRIPTIONS[editing]} own={team!.find((d) => d.ui === editing)} onClose={() => setEditing(null)} />
            )}
          </>
        )}
      </Loaded>
    </section>
  );
}

function DescriptionEditor({
  t,
  api,
  ui,
  bundled,
  own,
  onClose,
}: {
  t: Translate;
  api: AdminClient;
  ui: DescribedUi;
  bundled: AdapterDescription;
  own: AdapterDescription | undefined;
  onClose: () => void;
}) {
  const id = useId();
  // the next version above both: the only kind the server stores and the extensions use
  const minVersion = Math.max(bundled.version, own?.version ?? 0) + 1;
  const [text, setText] = useState(() => pretty({ ...(own && own.version > bundled.version ? own : bundled), version: minVersion }));
  const [problems, setProblems] = useState<string[] | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const save = useAdminMutation(
    (d: AdapterDescription) => api.putAdapter(d),
    (d) => setSaved(d.version),
  );
  const check = () => {
    const result = checkDescription(text, ui, minVersion, t);
    setProblems(result.problems);
    return result.description;
  };
  const label = t(`admin.adapters.ui.${ui}`);
  return (
    <form
      className="sal-adapter-editor"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(null);
        const description = check();
        if (description) save.mutate(description);
      }}
    >
      <h3 id={`${id}-title`}>{t('admin.adapters.editor', { ui: label })}</h3>
      <p className="sal-hint" id={`${id}-help`}>
        {t('admin.adapters.editorHelp', { min: minVersion })}
      </p>
      <label htmlFor={`${id}-json`} className="sal-visually-hidden">
        {t('admin.adapters.editor', { ui: label })}
      </label>
      <textarea
        id={`${id}-json`}
        aria-describedby={`${id}-help${problems?.length ? ` ${id}-problems` : ''}`}
        aria-invalid={problems?.length ? true : undefined}
        spellCheck={false}
        rows={18}
        style={{ width: '100%', fontFamily: 'monospace', fontSize: '12px' }}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setProblems(null);
          setSaved(null);
        }}
      />
      {problems && problems.length > 0 && (
        <div role="alert" className="sal-error" id={`${id}-problems`}>
          <p>{t('admin.adapters.problems', { count: problems.length })}</p>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {problems && problems.length === 0 && !save.isPending && saved === null && !save.isError && (
        <p role="status" className="sal-muted">
          {t('admin.adapters.valid')}
        </p>
      )}
      {save.isError && (
        <p role="alert" className="sal-error">
          {t('admin.error', { error: adminErrorText(save.error, t) })}
        </p>
      )}
      {saved !== null && (
        <p role="status" className="sal-ok">
          {t('admin.adapters.saved', { version: saved })}
        </p>
      )}
      <div className="sal-actions">
        <button type="button" className="sal-btn" onClick={() => void check()}>
          {t('admin.adapters.check')}
        </button>
        <button type="submit" className="sal-btn sal-btn--brand" disabled={save.isPending}>
          {save.isPending ? t('admin.adapters.saving') : t('admin.adapters.save')}
        </button>
        <button type="button" className="sal-btn" onClick={onClose}>
          {t('admin.adapters.close')}
        </button>
      </div>
    </form>
  );
}
