import type { Lang, Translate } from '../../lib/i18n';
import { formatDateTime } from '../../lib/format/time';
import type { TeamSettingsInfo } from '../../lib/sync/team-settings';

/** Says whose SAL definition is in force: the team's (managed on the server) or the built-in one. */
export function TeamSettingsView({ info, t, lang }: { info: TeamSettingsInfo | null; t: Translate; lang: Lang }) {
  if (!info)
    return (
      <p className="sal-muted" data-testid="team-settings">
        {t('sync.teamSettings.unknown')}
      </p>
    );
  if (!info.managed)
    return (
      <p className="sal-muted" data-testid="team-settings">
        {t('sync.teamSettings.default')}
      </p>
    );
  return (
    <p data-testid="team-settings">
      <strong className="sal-ok">{t('sync.teamSettings.managedBadge')}</strong> {t('sync.teamSettings.managed', { revision: info.revision })}
      {info.updatedAt && <span className="sal-muted"> · {t('sync.teamSettings.updated', { at: formatDateTime(new Date(info.updatedAt), lang), by: info.updatedBy ?? '—' })}</span>}
    </p>
  );
}
