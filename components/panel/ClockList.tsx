import type { SlaClock } from '../../lib/domain/sla-clocks';
import type { SalDefinition } from '../../lib/domain/definition';
import type { Lang, Translate } from '../../lib/i18n';
import { formatDateTime, formatDuration } from '../../lib/format/time';

/** Remaining / overdue text of one clock, e.g. "残り 3時間 5分" or "2時間 0分 超過". */
export function clockValueText(clock: SlaClock, t: Translate): string {
  if (clock.state === 'met') return t('clock.met');
  const time = formatDuration(clock.remainingMs, t);
  return clock.remainingMs >= 0 ? t('clock.remaining', { time }) : t('clock.overdue', { time });
}

/**
 * The SLA clocks of a lead: live remaining time, amber in warning, red when breached, the
 * deadline in the viewer's local time zone and a note when the clock counts business hours
 * (so "残り 2時間" on a Friday evening is not read as wall-clock time).
 */
/** The agreed length of a clock's SLA, e.g. "SLA 18営業時間" (the team's definition sets it). */
export function clockRuleText(clock: SlaClock, definition: SalDefinition, t: Translate): string {
  const rule = definition.clocks[clock.kind];
  return rule.basis === 'business' ? t('clock.ruleBusiness', { h: Math.round((rule.minutes / 60) * 10) / 10 }) : t('clock.ruleCalendar', { time: formatDuration(rule.minutes * 60_000, t) });
}

export function ClockList({ clocks, t, lang, definition }: { clocks: readonly SlaClock[]; t: Translate; lang: Lang; definition?: SalDefinition }) {
  if (clocks.length === 0) return null;
  return (
    <ul className="sal-clocks" aria-label="SLA">
      {clocks.map((clock) => {
        const note = clock.running && clock.state === 'warning' ? t('clock.warningNote') : clock.running && clock.state === 'breached' ? t('clock.breachedNote') : null;
        return (
          <li key={clock.kind} className={`sal-clock sal-clock--${clock.state}`} data-clock={clock.kind} data-state={clock.state}>
            <span className="sal-clock__name">
              {t(`clock.${clock.kind}`)}
              {definition && <span className="sal-clock__rule"> ({clockRuleText(clock, definition, t)})</span>}
              {note && <span className="sal-clock__note"> · {note}</span>}
            </span>
            <span className="sal-clock__value" role={clock.running ? 'timer' : undefined} aria-label={`${t(`clock.${clock.kind}`)}: ${clockValueText(clock, t)}`}>
              {clockValueText(clock, t)}
            </span>
            <span className="sal-clock__deadline">
              {t('clock.deadlineLocal', { at: formatDateTime(clock.deadline, lang) })}
              {clock.basis === 'business' ? ` · ${t('clock.businessNote')}` : ''}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
