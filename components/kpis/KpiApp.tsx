import { useMemo, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { getDb, readKv } from '../../lib/db';
import { computeKpis } from '../../lib/domain/kpis';
import { activeDefinition } from '../../lib/background/definition-store';
import { BACKEND_KV_KEY, BackendConfigSchema } from '../../lib/settings/backend';
import { useI18n } from '../shared/use-i18n';
import { KpiView } from './KpiView';
import { periodRange, type KpiPeriod } from '../../lib/domain/periods';

/**
 * The KPI page (an extension page, so it reads the extension's database directly): every event
 * this browser holds (the team's, once synced) folded by `computeKpis` for the chosen period.
 */
export function KpiApp() {
  const { t, lang } = useI18n();
  const [period, setPeriod] = useState<KpiPeriod>('this_month');
  const data = useLiveQuery(async () => {
    const db = getDb();
    const [rows, definition, backend] = await Promise.all([db.events.toArray(), activeDefinition(db), readKv(db, BACKEND_KV_KEY, BackendConfigSchema.nullable(), null)]);
    return { events: rows.map((r) => r.event), definition, localOnly: backend?.mode !== 'server' };
  }, []);
  const report = useMemo(() => {
    if (!data) return undefined;
    const now = new Date();
    const { from, to } = periodRange(period, now, data.definition.calendar.timeZone);
    return computeKpis(data.events, { from, to, now, definition: data.definition });
  }, [data, period]);
  if (!data || !report) return <p className="sal-muted">{t('panel.loading')}</p>;
  return <KpiView t={t} lang={lang} report={report} definition={data.definition} period={period} onPeriod={setPeriod} localOnly={data.localOnly} />;
}
