import { useId } from 'react';
import type { MarketingSlaGroup, MarketingSlaReport } from '../../lib/domain/marketing-sla';
import type { Lang, Translate } from '../../lib/i18n';
import type { ReviewLabels } from './labels';

const percent = (rate: number | null, lang: Lang) => (rate === null ? '—' : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(rate));

/** One table of marketing's side: a row per source or sender. */
function GroupTable({ caption, column, rows, t, lang }: { caption: string; column: string; rows: [string, MarketingSlaGroup][]; t: Translate; lang: Lang }) {
  return (
    <table className="sal-kpi-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{column}</th>
          <th scope="col">{t('msla.handOffs')}</th>
          <th scope="col">{t('msla.dataRate')}</th>
          <th scope="col">{t('msla.duplicates')}</th>
          <th scope="col">{t('msla.rejectedContact')}</th>
          <th scope="col">{t('msla.rejectedDuplicate')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, g]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{g.handOffs}</td>
            <td>
              {percent(g.dataRate, lang)} <span className="sal-hint">({t('msla.dataDetail', { met: g.dataMet, failed: g.dataFailed, unknown: g.dataUnknown })})</span>
            </td>
            <td>{g.duplicates}</td>
            <td>{g.rejectedForMarketing.bad_contact_data}</td>
            <td>{g.rejectedForMarketing.duplicate}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Both sides of the SLA for the meeting's period: marketing's hand-off quality (data requirements,
 * duplicates, rejections for bad contact data or duplicates) overall, per source and per sender,
 * and the meeting's own SLA on reviewing rejections.
 */
export function MarketingSlaView({ t, lang, report, labels }: { t: Translate; lang: Lang; report: MarketingSlaReport; labels: ReviewLabels | null }) {
  const id = useId();
  const o = report.overall;
  const r = report.reviews;
  return (
    <section className="sal-card sal-review__sla" aria-labelledby={id}>
      <h2 id={id}>{t('msla.title')}</h2>
      <p className="sal-hint">{t('msla.lead')}</p>
      <dl className="sal-review__facts">
        <dt>{t('msla.reviewSla', { days: r.withinDays })}</dt>
        <dd>
          {percent(r.rate, lang)} <span className="sal-hint">({t('msla.reviewDetail', r.counts)})</span>
        </dd>
      </dl>
      {o.handOffs === 0 ? (
        <p className="sal-muted">{t('msla.empty')}</p>
      ) : (
        <>
          <dl className="sal-review__facts">
            <dt>{t('msla.handOffs')}</dt>
            <dd>{o.handOffs}</dd>
            <dt>{t('msla.dataRate')}</dt>
            <dd>
              {percent(o.dataRate, lang)} <span className="sal-hint">({t('msla.dataDetail', { met: o.dataMet, failed: o.dataFailed, unknown: o.dataUnknown })})</span>
            </dd>
            <dt>{t('msla.duplicates')}</dt>
            <dd>{o.duplicates}</dd>
            <dt>{t('msla.rejectedContact')}</dt>
            <dd>{o.rejectedForMarketing.bad_contact_data}</dd>
            <dt>{t('msla.rejectedDuplicate')}</dt>
            <dd>{o.rejectedForMarketing.duplicate}</dd>
          </dl>
          <GroupTable caption={t('msla.bySource')} column={t('msla.col.source')} rows={Object.entries(report.bySource).map(([k, g]) => [labels?.source(k) ?? k, g])} t={t} lang={lang} />
          <GroupTable caption={t('msla.bySender')} column={t('msla.col.sender')} rows={Object.entries(report.bySender)} t={t} lang={lang} />
        </>
      )}
    </section>
  );
}
