import { useMemo, useState } from 'react';
import { computeTrends, type TrendGranularity, type TrendScope } from '../../lib/domain/trends';
import { useI18n } from '../shared/use-i18n';
import { TrendsView, type TrendsState } from './TrendsView';
import { useTrendSource } from './use-trend-source';

/** How many buckets each granularity shows, the running one included: a quarter of weeks, a year of months. */
export const TREND_BUCKETS: Record<TrendGranularity, number> = { week: 13, month: 12 };

/** The trends view of the KPI page: the events this browser holds, bucketed by `computeTrends` as of the moment they were read. */
export function TrendsApp() {
  const { t, lang } = useI18n();
  const [granularity, setGranularity] = useState<TrendGranularity>('week');
  const [scope, setScope] = useState<TrendScope>({ kind: 'team' });
  const source = useTrendSource();
  const state = useMemo((): TrendsState => {
    if (source.status !== 'ready') return source;
    const report = computeTrends(source.events, { granularity, count: TREND_BUCKETS[granularity], now: new Date(), definition: source.definition, scope });
    return { status: 'ready', report, definition: source.definition, localOnly: source.localOnly };
  }, [source, granularity, scope]);
  return <TrendsView t={t} lang={lang} state={state} granularity={granularity} onGranularity={setGranularity} scope={scope} onScope={setScope} />;
}
