import { useCallback, useMemo, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { getDb, orderForFold, readKv } from '../../lib/db';
import { computeKpis } from '../../lib/domain/kpis';
import { activeDefinition } from '../../lib/db/reads';
import { backendKv } from '../../lib/settings/backend';
import { useI18n } from '../shared/use-i18n';
import { KpiView, type KpiAsOf } from './KpiView';
import { periodRange, type KpiPeriod } from '../../lib/domain/periods';
import { kpiReportCsv } from './kpi-csv';
import { groupNames } from './group-names';
// the KPI page's own styles (tooltips of "how this is counted"), beside the shared page.css its entrypoint loads
import './kpis.css';

/**
 * The KPI page (an extension page, so it reads the extension's database directly): every event
 * this browser holds (the team's, once synced) folded by `computeKpis` for the chosen period, as
 * of the moment the data was read.
 */
export function KpiApp() {
  const { t, lang } = useI18n();
  const [period, setPeriod] = useState<KpiPeriod>('this_month');
  const [asOf, setAsOf] = useState<KpiAsOf>('now');
  const data = useLiveQuery(async () => {
    const db = getDb();
    const [rows, definition, backend] = await Promise.all([db.events.toArray(), activeDefinition(db), readKv(db, backendKv)]);
    // each lead's events in fold order (server sequence, then this browser's pending ones), as the panel folds them
    return { events: orderForFold(rows), definition, localOnly: backend?.mode !== 'server' };
  }, []);
  const view = useMemo(() => {
    if (!data) return undefined;
    const now = new Date();
    const { from, to } = periodRange(period, now, data.definition.calendar.timeZone);
    const closed = to.getTime() < now.getTime();
    // a closed period can be read as it stood when it closed: events after its end left out
    const report = computeKpis(data.events, { from, to, now: closed && asOf === 'period_end' ? to : now, definition: data.definition });
    return { report, closed };
  }, [data, period, asOf]);
  const report = view?.report;
  const exportCsv = useCallback(() => {
    if (!report) return;
    const csv = kpiReportCsv(report, { ...groupNames(report, t), overall: t('kpi.overall') });
    // a BOM so Excel (the review meeting's tool) reads the Japanese names as UTF-8
    const url = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `sal-kpis_${period}_${report.period.now.toISOString().slice(0, 16).replace(':', '')}.csv`;
    link.click();
    URL.revokeObjectURL(url);
  }, [report, period, t]);
  if (!data || !view || !report) return <p className="sal-muted">{t('panel.loading')}</p>;
  return (
    <KpiView
      t={t}
      lang={lang}
      report={report}
      definition={data.definition}
      period={period}
      onPeriod={setPeriod}
      asOf={view.closed ? asOf : undefined}
      onAsOf={setAsOf}
      localOnly={data.localOnly}
      onExport={exportCsv}
    />
  );
}
