import { useQuery } from '@tanstack/react-query';
import type { Lang, MessageKey, Translate } from '../../lib/i18n';
import { formatDateTime } from '../../lib/format/time';
import type { CrmReadHealth } from '../../lib/protocol/read-health';
import type { AdminClient } from '../../lib/sync/admin-client';
import { readHealthQuery } from './admin-queries';
import { Loaded } from './admin-parts';

/** The badge colour of each status (the pill colours the panel uses for accepted, contested and rejected). */
const PILL: Record<CrmReadHealth['status'], string> = { ok: 'sal-pill--accepted', partial: 'sal-pill--contested', failing: 'sal-pill--rejected' };

/** A field as the admin knows it: the lead field's label, a list read's part, or its name as the read gave it. */
function fieldLabel(field: string, t: Translate): string {
  for (const key of [`field.${field}`, `admin.readHealth.field.${field}`] as MessageKey[]) {
    const text = t(key);
    if (text !== key) return text;
  }
  return field;
}

/**
 * "読み取りの状態 / Read health": per CRM, whether the team's browsers read its pages (OK, 一部欠落,
 * 失敗), since when, the last day's counts and the fields missed most, as the server judges them
 * (`GET /v1/admin/read-health`).
 */
export function ReadHealthSection({ t, lang, api }: { t: Translate; lang: Lang; api: AdminClient }) {
  const query = useQuery(readHealthQuery(api));
  return (
    <section className="sal-card" aria-labelledby="admin-read-health">
      <h2 id="admin-read-health">{t('admin.readHealth.title')}</h2>
      <p className="sal-hint">{t('admin.readHealth.help')}</p>
      <Loaded query={query} items={query.data} t={t} empty={t('admin.readHealth.empty')}>
        {(crms) => <ReadHealthTable crms={crms} t={t} lang={lang} />}
      </Loaded>
    </section>
  );
}

/** The per-CRM table (presentational). */
export function ReadHealthTable({ crms, t, lang }: { crms: readonly CrmReadHealth[]; t: Translate; lang: Lang }) {
  return (
    <table className="sal-kpi-table" data-testid="admin-read-health">
      <thead>
        <tr>
          <th scope="col">{t('admin.readHealth.crm')}</th>
          <th scope="col">{t('admin.readHealth.status')}</th>
          <th scope="col">{t('admin.readHealth.reads')}</th>
          <th scope="col">{t('admin.readHealth.missing')}</th>
        </tr>
      </thead>
      <tbody>
        {crms.map((c) => (
          <tr key={c.crm}>
            <th scope="row">{t(`admin.readHealth.crm.${c.crm}`)}</th>
            <td>
              <span className={`sal-pill ${PILL[c.status]}`}>{t(`admin.readHealth.status.${c.status}`)}</span>{' '}
              <time dateTime={c.since}>{t('admin.readHealth.since', { at: formatDateTime(new Date(c.since), lang) })}</time>
            </td>
            <td>
              {t('admin.readHealth.counts', { day: c.day, ...c.counts })}
              <br />
              <span className="sal-muted">{t('admin.readHealth.members', { count: c.members, versions: c.adapterVersions.join(', ') || '—' })}</span>
            </td>
            <td>
              {c.topMissing.length === 0
                ? t('admin.readHealth.noMissing')
                : c.topMissing.map((m) => t('admin.readHealth.missingCount', { field: fieldLabel(m.field, t), count: m.count })).join(lang === 'ja' ? '、' : ', ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
