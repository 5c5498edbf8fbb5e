import { useEffect, useId, useState, type FormEvent } from 'react';
import { createCustomAdapter, customMatchPattern, type CustomCrmConfig } from '../../lib/crm/custom';
import { CUSTOM_CRM_EXAMPLE, CustomCrmConfigSchema, withCustomCrm, withoutCustomCrm, type CustomCrms } from '../../lib/settings/custom-crms';
import type { Translate } from '../../lib/i18n';
import { parseJsonText } from '../shared/json-text';

/** The extension APIs the section uses (browser ones in the options page, fakes in tests). */
export interface CustomCrmApi {
  load(): Promise<CustomCrmConfig[]>;
  store(value: CustomCrms): Promise<void>;
  /** Calls back when the stored CRMs or the granted permissions change elsewhere. */
  subscribe(onChange: () => void): () => void;
  hasAccess(pattern: string): Promise<boolean>;
  /** Must be called synchronously from the user's click (Chrome's rule for permission prompts). */
  requestAccess(pattern: string): Promise<boolean>;
  revokeAccess(pattern: string): Promise<void>;
}

type Notice = { kind: 'ok' | 'error'; text: string } | null;
type Row = { config: CustomCrmConfig; granted: boolean };

/**
 * Checks the editor's text: JSON, the stored shape, then the adapter's own rules (URL patterns,
 * named id group, CSS selectors checked against this document). Every problem is listed.
 */
export function checkCustomCrmText(text: string, t: Translate, doc: Document = document): { ok: true; config: CustomCrmConfig } | { ok: false; errors: string[] } {
  const parsed = parseJsonText(text, CustomCrmConfigSchema, (detail) => t('customCrm.error.json', { detail }));
  if (!parsed.ok) return parsed;
  const built = createCustomAdapter(parsed.value, doc);
  return built.ok ? { ok: true, config: parsed.value } : { ok: false, errors: built.errors };
}

/**
 * Options: the CRMs SAL Bridge works on by configuration (any CRM with lead pages at stable
 * URLs). Saving asks Chrome for access to exactly that host; without it the CRM stays listed as
 * "not allowed" with a button to allow it.
 */
export function CustomCrmSection({ t, api }: { t: Translate; api: CustomCrmApi }) {
  const [rows, setRows] = useState<Row[] | undefined>(undefined);
  const [editing, setEditing] = useState<{ text: string; replaces: string | null } | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const ids = { title: useId(), editor: useId() };

  useEffect(() => {
    let live = true;
    const refresh = () =>
      void api
        .load()
        .then((configs) => Promise.all(configs.map(async (config) => ({ config, granted: await api.hasAccess(customMatchPattern(config)) }))))
        .then((next) => live && setRows(next))
        .catch((error: unknown) => live && setNotice({ kind: 'error', text: String(error) }));
    refresh();
    const unsubscribe = api.subscribe(refresh);
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api]);

  const configs = rows?.map((r) => r.config) ?? [];

  const onSave = (event: FormEvent) => {
    event.preventDefault();
    if (!editing) return;
    const checked = checkCustomCrmText(editing.text, t);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors([]);
    const { config } = checked;
    const pattern = customMatchPattern(config);
    // asked inside the click; the answer comes while the configuration is being stored
    const access = api.requestAccess(pattern).catch(() => false);
    setBusy(true);
    void (async () => {
      try {
        const others = configs.filter((c) => c.slug !== config.slug && c.slug !== editing.replaces);
        await api.store(withCustomCrm(others, config));
        const granted = await access;
        setEditing(null);
        setNotice(granted ? { kind: 'ok', text: t('customCrm.saved', { host: config.host }) } : { kind: 'error', text: t('customCrm.savedNoAccess', { host: config.host }) });
      } catch (error) {
        setNotice({ kind: 'error', text: t('customCrm.saveFailed', { detail: error instanceof Error ? error.message : String(error) }) });
      } finally {
        setBusy(false);
      }
    })();
  };

  const onAllow = (config: CustomCrmConfig) => {
    void api.requestAccess(customMatchPattern(config)).then(
      (granted) => setNotice(granted ? { kind: 'ok', text: t('customCrm.saved', { host: config.host }) } : { kind: 'error', text: t('customCrm.savedNoAccess', { host: config.host }) }),
      () => undefined,
    );
  };

  const onRemove = (config: CustomCrmConfig) => {
    setBusy(true);
    void (async () => {
      try {
        const rest = configs.filter((c) => c.slug !== config.slug);
        await api.store(withoutCustomCrm(configs, config.slug));
        // the host may serve another configured CRM: keep its access then
        const pattern = customMatchPattern(config);
        if (!rest.some((c) => customMatchPattern(c) === pattern)) await api.revokeAccess(pattern);
        setNotice({ kind: 'ok', text: t('customCrm.removed', { host: config.host }) });
      } catch (error) {
        setNotice({ kind: 'error', text: t('customCrm.saveFailed', { detail: error instanceof Error ? error.message : String(error) }) });
      } finally {
        setBusy(false);
      }
    })();
  };

  return (
    <section className="sal-card" aria-labelledby={ids.title} data-testid="custom-crms">
      <h2 id={ids.title}>{t('customCrm.title')}</h2>
      <p className="sal-hint">{t('customCrm.intro')}</p>
      {rows === undefined ? (
        <p className="sal-muted">{t('panel.loading')}</p>
      ) : rows.length === 0 ? (
        <p className="sal-muted">{t('customCrm.empty')}</p>
      ) : (
        <ul className="sal-custom-crms">
          {rows.map(({ config, granted }) => (
            <li key={config.slug} data-slug={config.slug}>
              <strong>{config.slug}</strong> <code>{config.host}</code> <span className={granted ? 'sal-ok' : 'sal-error'}>{granted ? t('customCrm.granted') : t('customCrm.notGranted')}</span>
              <span className="sal-actions">
                {!granted && (
                  <button type="button" className="sal-btn" onClick={() => onAllow(config)}>
                    {t('customCrm.allow')}
                  </button>
                )}
                <button
                  type="button"
                  className="sal-btn"
                  disabled={busy}
                  onClick={() => (setErrors([]), setEditing({ text: JSON.stringify(config, null, 2), replaces: config.slug }))}
                  aria-label={t('customCrm.editNamed', { slug: config.slug })}
                >
                  {t('customCrm.edit')}
                </button>
                <button type="button" className="sal-btn" disabled={busy} onClick={() => onRemove(config)} aria-label={t('customCrm.removeNamed', { slug: config.slug })}>
                  {t('customCrm.remove')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {editing ? (
        <form onSubmit={onSave}>
          <label htmlFor={ids.editor}>{t('customCrm.editor')}</label>
          <textarea
            id={ids.editor}
            rows={16}
            spellCheck={false}
            value={editing.text}
            onChange={(e) => setEditing({ ...editing, text: e.target.value })}
            aria-invalid={errors.length > 0}
            aria-describedby={errors.length > 0 ? `${ids.editor}-errors` : undefined}
          />
          {errors.length > 0 && (
            <ul id={`${ids.editor}-errors`} className="sal-error" role="alert">
              {errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          )}
          <div className="sal-actions">
            <button type="submit" className="sal-btn sal-btn--brand" disabled={busy}>
              {busy ? t('panel.saving') : t('customCrm.save')}
            </button>
            <button type="button" className="sal-btn" onClick={() => (setEditing(null), setErrors([]))}>
              {t('customCrm.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div className="sal-actions">
          <button type="button" className="sal-btn" onClick={() => (setNotice(null), setEditing({ text: JSON.stringify(CUSTOM_CRM_EXAMPLE, null, 2), replaces: null }))}>
            {t('customCrm.add')}
          </button>
        </div>
      )}
      {notice && (
        <p className={notice.kind === 'ok' ? 'sal-ok' : 'sal-error'} role={notice.kind === 'ok' ? 'status' : 'alert'} data-testid="custom-crm-notice">
          {notice.text}
        </p>
      )}
    </section>
  );
}
