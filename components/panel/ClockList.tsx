import type { SlaClock } from '../../lib/domain/clocks';
import type { Lang, Translate } from '../../lib/i18n';
import { formatDateTime, formatDuration } from '../../lib/format/time';

/** The SLA clocks of a lead: live remaining time, deadline in local time, colour by state. */
export function ClockList({ clocks, t, lang }: { clocks: readonly SlaClock[]; t: Translate; lang: Lang }) {
  if (clocks.length === 0) return null;
  return (
    <ul className="sal-clocks" aria-label="SLA">
      {clocks.map((clock) => (
        <li key={clock.kind} className={`sal-clock sal-clock--${clock.state}`} data-clock={clock.kind} data-state={clock.state}>
          <span className="sal-clock__name">{t(`clock.${clock.kind}`)}</span>
          <span className="sal-clock__value" role={clock.running ? 'timer' : undefined}>
            {clock.state === 'met'
              ? t('clock.met')
              : clock.remainingMs >= 0
                ? t('clock.remaining', { time: formatDuration(clock.remainingMs, t) })
                : t('clock.overdue', { time: formatDuration(clock.remainingMs, t) })}
          </span>
          <span className="sal-clock__deadline">
            {t('clock.deadline', { at: formatDateTime(clock.deadline, lang) })}
            {clock.basis === 'business' ? ` · ${t('clock.businessNote')}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}
