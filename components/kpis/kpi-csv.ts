import type { KpiGroup, KpiReport } from '../../lib/domain/kpis';
import type { GroupNames } from './group-names';
import { csvText } from '../../lib/format/csv';

/**
 * The KPI report as CSV, for the lead review's minutes: a file keeps the figures as they were at
 * the report's `now` (the page itself moves as decisions arrive). One row per group (overall,
 * each rep, each source, each hand-off source kind); every row repeats the period, the as-of instant and the last change
 * (ISO-8601 UTC), so a row read alone still says what it counts. Rates are fractions (0..1),
 * empty when there is no denominator; `health` is empty when too few leads are decided.
 */
export function kpiReportCsv(report: KpiReport, names: GroupNames & { overall: string }): string {
  const header = [
    'scope',
    'name',
    'mql',
    'sal',
    'accepted',
    'rejected',
    'contested',
    'undecided',
    'decided',
    'acceptance_rate',
    'health',
    'first_contact_on_time',
    'first_contact_due',
    'sql',
    'won',
    'overdue_now',
    'period_from',
    'period_to',
    'as_of',
    'last_changed',
  ];
  const meta = [report.period.from.toISOString(), report.period.to.toISOString(), report.period.now.toISOString(), report.lastChangedAt?.toISOString() ?? ''];
  const row = (scope: string, name: string, g: KpiGroup) => {
    const a = g.acceptance;
    return [
      scope,
      name,
      g.mqlCount,
      g.salCount,
      a.accepted,
      a.rejected,
      a.contested,
      a.undecided,
      a.decided,
      a.rate ?? '',
      a.band ?? '',
      g.firstContact.withinSla,
      g.firstContact.withinSla + g.firstContact.late,
      g.salToSql.count,
      g.salToClose.count,
      g.overdueBacklog.total,
      ...meta,
    ];
  };
  const rows = [
    header,
    row('overall', names.overall, report.overall),
    ...Object.entries(report.byRep).map(([k, g]) => row('rep', names.rep(k), g)),
    ...Object.entries(report.bySource).map(([k, g]) => row('source', names.source(k), g)),
    ...Object.entries(report.bySourceKind).map(([k, g]) => row('source_kind', names.sourceKind(k), g)),
  ];
  return csvText(rows);
}
