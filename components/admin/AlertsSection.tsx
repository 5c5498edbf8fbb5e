import { useId, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Lang, Translate } from '../../lib/i18n';
import { formatDateTime } from '../../lib/format/time';
import {
  ALERT_CHANNELS,
  AlertClockSchema,
  AlertDigestSchema,
  AlertLevelSchema,
  DEFAULT_DIGEST_TIME,
  type AlertChannel,
  type AlertDigest,
  type AlertDeliveryStatus,
  type AlertRules,
  type AlertSettingsResponse,
  type PutAlertSettingsRequest,
} from '../../lib/protocol/alerts';
import type { AdminClient } from '../../lib/sync/admin-client';
import { alertDeliveriesQuery, alertSettingsQuery } from './admin-queries';
import { adminErrorText, Loaded, useAdminMutation } from './admin-parts';

const CLOCKS = AlertClockSchema.options;
const LEVELS = AlertLevelSchema.options;
const FILTERS = ['all', 'failed', 'pending', 'sent'] as const;
type Filter = (typeof FILTERS)[number];

/**
 * What the form edits. A channel's URL (and the webhook's secret) is a credential the server never
 * sends back (it shows a masked URL): an empty field keeps what is stored, a typed one replaces
 * it, and "remove" clears the channel.
 */
interface Draft {
  enabled: boolean;
  urls: Record<AlertChannel, string>;
  secret: string;
  remove: Record<AlertChannel, boolean>;
  /** The rules without the digest (edited apart: its time is typed, so it may be invalid for a while). */
  rules: Omit<AlertRules, 'digest'>;
  digest: AlertDigest;
  /** Whether the stored rules have a digest (then it is always sent, so turning it off is saved). */
  hadDigest: boolean;
}

const draftOf = (s: AlertSettingsResponse): Draft => ({
  enabled: s.enabled,
  urls: { slack: '', teams: '', webhook: '' },
  secret: '',
  remove: { slack: false, teams: false, webhook: false },
  rules: { clocks: s.rules.clocks, levels: s.rules.levels, outsideBusinessHours: s.rules.outsideBusinessHours, language: s.rules.language },
  digest: s.rules.digest ?? { enabled: false, time: DEFAULT_DIGEST_TIME },
  hadDigest: s.rules.digest !== undefined,
});

/** The save request for a draft: only the channels the admin touched are sent; the digest once it is on or was stored. */
export function alertSettingsRequest(draft: Draft): PutAlertSettingsRequest {
  const channels: PutAlertSettingsRequest['channels'] = {};
  for (const channel of ALERT_CHANNELS) {
    const url = draft.urls[channel].trim();
    if (draft.remove[channel]) channels[channel] = null;
    else if (channel === 'webhook' && (url || draft.secret)) channels.webhook = { url, secret: draft.secret };
    else if (channel !== 'webhook' && url) channels[channel] = { url };
  }
  return { enabled: draft.enabled, channels, rules: draft.digest.enabled || draft.hadDigest ? { ...draft.rules, digest: draft.digest } : draft.rules };
}

const toggle = <T,>(list: readonly T[], value: T, on: boolean): T[] => (on ? [...new Set([...list, value])] : list.filter((v) => v !== value));

/**
 * The team's SLA alerts (admins): where the server posts when a lead's clock nears or passes its
 * deadline (Slack, Microsoft Teams, a signed webhook), which clocks and levels, whether outside
 * business hours, and the delivery log with each failure's reason — the only place an admin
 * learns that a channel stopped accepting posts.
 */
export function AlertsSection({ t, lang, api }: { t: Translate; lang: Lang; api: AdminClient }) {
  const settings = useQuery(alertSettingsQuery(api));
  return (
    <section className="sal-card" aria-labelledby="admin-alerts">
      <h2 id="admin-alerts">{t('admin.alerts.title')}</h2>
      <p className="sal-hint">{t('admin.alerts.help')}</p>
      <Loaded query={settings} items={settings.data ? [settings.data] : undefined} t={t} empty="">
        {([stored]) => <AlertSettingsForm t={t} lang={lang} api={api} stored={stored!} />}
      </Loaded>
      <Deliveries t={t} lang={lang} api={api} />
    </section>
  );
}

function AlertSettingsForm({ t, lang, api, stored }: { t: Translate; lang: Lang; api: AdminClient; stored: AlertSettingsResponse }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(stored));
  const [saved, setSaved] = useState(false);
  const base = useId();
  const id = (name: string) => `${base}-${name}`;
  const save = useAdminMutation(
    (request: PutAlertSettingsRequest) => api.putAlertSettings(request),
    (answer) => {
      // the typed URLs and secret are stored now: the fields empty again ("keep"), the masked URLs show at once
      client.setQueryData(alertSettingsQuery(api).queryKey, answer);
      setDraft(draftOf(answer));
      setSaved(true);
    },
  );
  const edit = (change: (d: Draft) => Draft) => {
    setSaved(false);
    setDraft(change);
  };
  const badTime = !AlertDigestSchema.shape.time.safeParse(draft.digest.time).success;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    // an unsendable time is said next to its field (the server would refuse it with a 400)
    if (badTime) return;
    save.mutate(alertSettingsRequest(draft));
  };
  const anyChannel = ALERT_CHANNELS.some((c) => (stored.channels[c] !== null && !draft.remove[c]) || draft.urls[c].trim() !== '');
  return (
    <form onSubmit={onSubmit} data-testid="admin-alerts-form">
      <label className="sal-check-item">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => edit((d) => ({ ...d, enabled: e.target.checked }))} />
        {t('admin.alerts.enabled')}
      </label>
      {stored.enabledAt && stored.enabled && <p className="sal-hint">{t('admin.alerts.since', { at: formatDateTime(new Date(stored.enabledAt), lang) })}</p>}
      {draft.enabled && !anyChannel && (
        <p className="sal-warning" role="status">
          {t('admin.alerts.noChannel')}
        </p>
      )}
      <fieldset className="sal-check-group">
        <legend>{t('admin.alerts.channels')}</legend>
        {ALERT_CHANNELS.map((channel) => {
          const current = stored.channels[channel];
          return (
            <div key={channel} className="sal-field-stack">
              <label htmlFor={id(`url-${channel}`)}>{t(`admin.alerts.channel.${channel}`)}</label>
              <p className="sal-hint" id={id(`current-${channel}`)}>
                {current ? t('admin.alerts.current', { url: current.url }) : t('admin.alerts.notSet')}
              </p>
              <input
                id={id(`url-${channel}`)}
                type="url"
                inputMode="url"
                autoComplete="off"
                placeholder={current ? t('admin.alerts.keepPlaceholder') : 'https://'}
                aria-describedby={id(`current-${channel}`)}
                value={draft.urls[channel]}
                disabled={draft.remove[channel]}
                onChange={(e) => edit((d) => ({ ...d, urls: { ...d.urls, [channel]: e.target.value } }))}
              />
              {channel === 'webhook' && (
                <>
                  <label htmlFor={id('secret')}>{t('admin.alerts.secret')}</label>
                  <input
                    id={id('secret')}
                    type="password"
                    autoComplete="new-password"
                    minLength={16}
                    value={draft.secret}
                    disabled={draft.remove.webhook}
                    onChange={(e) => edit((d) => ({ ...d, secret: e.target.value }))}
                  />
                  <p className="sal-hint">{t('admin.alerts.secretHint')}</p>
                </>
              )}
              {current && (
                <label className="sal-check-item">
                  <input type="checkbox" checked={draft.remove[channel]} onChange={(e) => edit((d) => ({ ...d, remove: { ...d.remove, [channel]: e.target.checked } }))} />
                  {t('admin.alerts.remove', { channel: t(`admin.alerts.channel.${channel}`) })}
                </label>
              )}
            </div>
          );
        })}
      </fieldset>
      <fieldset className="sal-check-group">
        <legend>{t('admin.alerts.clocks')}</legend>
        {CLOCKS.map((clock) => (
          <label key={clock} className="sal-check-item">
            <input
              type="checkbox"
              checked={draft.rules.clocks.includes(clock)}
              onChange={(e) => edit((d) => ({ ...d, rules: { ...d.rules, clocks: toggle(d.rules.clocks, clock, e.target.checked) } }))}
            />
            {t(`clock.${clock}`)}
          </label>
        ))}
      </fieldset>
      <fieldset className="sal-check-group">
        <legend>{t('admin.alerts.levels')}</legend>
        {LEVELS.map((level) => (
          <label key={level} className="sal-check-item">
            <input
              type="checkbox"
              checked={draft.rules.levels.includes(level)}
              onChange={(e) => edit((d) => ({ ...d, rules: { ...d.rules, levels: toggle(d.rules.levels, level, e.target.checked) } }))}
            />
            {t(`admin.alerts.level.${level}`)}
          </label>
        ))}
      </fieldset>
      <label className="sal-check-item">
        <input type="checkbox" checked={draft.rules.outsideBusinessHours} onChange={(e) => edit((d) => ({ ...d, rules: { ...d.rules, outsideBusinessHours: e.target.checked } }))} />
        {t('admin.alerts.outsideHours')}
      </label>
      <label htmlFor={id('language')}>{t('admin.alerts.language')}</label>
      <select id={id('language')} value={draft.rules.language} onChange={(e) => edit((d) => ({ ...d, rules: { ...d.rules, language: e.target.value as AlertRules['language'] } }))}>
        <option value="ja">日本語</option>
        <option value="en">English</option>
      </select>
      <fieldset className="sal-check-group" data-testid="admin-alerts-digest">
        <legend>{t('admin.alerts.digest')}</legend>
        <p className="sal-hint" id={id('digest-hint')}>
          {t('admin.alerts.digest.hint')}
        </p>
        <label className="sal-check-item">
          <input type="checkbox" aria-describedby={id('digest-hint')} checked={draft.digest.enabled} onChange={(e) => edit((d) => ({ ...d, digest: { ...d.digest, enabled: e.target.checked } }))} />
          {t('admin.alerts.digest.enabled')}
        </label>
        <label htmlFor={id('digest-time')}>{t('admin.alerts.digest.time')}</label>
        <input
          id={id('digest-time')}
          type="time"
          step={60}
          required
          aria-invalid={badTime}
          aria-describedby={badTime ? id('digest-bad-time') : undefined}
          value={draft.digest.time}
          onChange={(e) => edit((d) => ({ ...d, digest: { ...d.digest, time: e.target.value } }))}
        />
        {badTime && (
          <p role="alert" className="sal-error" id={id('digest-bad-time')}>
            {t('admin.alerts.digest.badTime')}
          </p>
        )}
      </fieldset>
      <div className="sal-actions">
        <button type="submit" className="sal-btn sal-btn--brand" disabled={save.isPending && !saved}>
          {save.isPending && !saved ? t('admin.alerts.saving') : t('admin.alerts.save')}
        </button>
      </div>
      {saved && (
        <p role="status" className="sal-ok">
          {t('admin.alerts.saved')}
        </p>
      )}
      {save.isError && (
        <p role="alert" className="sal-error">
          {t('admin.failed', { error: adminErrorText(save.error, t) })}
        </p>
      )}
    </form>
  );
}

function Deliveries({ t, lang, api }: { t: Translate; lang: Lang; api: AdminClient }) {
  const [filter, setFilter] = useState<Filter>('all');
  const query = useQuery(alertDeliveriesQuery(api, filter === 'all' ? undefined : (filter as AlertDeliveryStatus)));
  const filterId = useId();
  return (
    <div data-testid="admin-alert-deliveries">
      <h3>{t('admin.alerts.deliveries')}</h3>
      <label htmlFor={filterId}>{t('admin.alerts.filter')}</label>
      <select id={filterId} value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
        {FILTERS.map((f) => (
          <option key={f} value={f}>
            {t(`admin.alerts.filter.${f}`)}
          </option>
        ))}
      </select>
      <Loaded query={query} items={query.data} t={t} empty={t('admin.alerts.noDeliveries')}>
        {(deliveries) => (
          <table className="sal-kpi-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.alerts.col.when')}</th>
                <th scope="col">{t('admin.alerts.col.channel')}</th>
                <th scope="col">{t('admin.alerts.col.lead')}</th>
                <th scope="col">{t('admin.alerts.col.clock')}</th>
                <th scope="col">{t('admin.alerts.col.status')}</th>
                <th scope="col">{t('admin.alerts.col.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id} data-status={d.status}>
                  <td>
                    <time dateTime={d.createdAt}>{formatDateTime(new Date(d.createdAt), lang)}</time>
                  </td>
                  <td>{t(`admin.alerts.channel.${d.channel}`)}</td>
                  <td>{d.kind === 'digest' ? t('admin.alerts.digest') : (d.leadName ?? d.leadKey)}</td>
                  <td>{d.clock && d.level ? `${t(`clock.${d.clock}`)} · ${t(`admin.alerts.level.${d.level}`)}` : '—'}</td>
                  <td>{t(`admin.alerts.status.${d.status}`)}</td>
                  <td>
                    {d.status === 'sent' && d.sentAt
                      ? formatDateTime(new Date(d.sentAt), lang)
                      : [d.attempts > 0 ? t('admin.alerts.attempts', { count: d.attempts }) : null, d.lastStatus !== null ? `HTTP ${d.lastStatus}` : null, d.lastError].filter(Boolean).join(' · ') ||
                        '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Loaded>
    </div>
  );
}
