import { DEFAULT_REVIEW_WITHIN_DAYS, type SalDefinition } from '../../../lib/domain/definition';
import type { Lang, Translate } from '../../../lib/i18n';
import { HandoffRulesSection } from '../HandoffRulesSection';
import { writebackRows } from './draft';
import { CLOCKS, crmName, hoursOf, leadFieldName, reasonSummary, weekdayName } from './messages';

/**
 * The definition in force, read-only (members who are not admins): every part the editor edits,
 * as text, so a rep or marketer can see what was agreed.
 */
export function DefinitionSummary({ definition, t, lang, customTargets }: { definition: SalDefinition; t: Translate; lang: Lang; customTargets: readonly string[] }) {
  const d = definition;
  const cal = d.calendar;
  const wb = writebackRows(d.writeback);
  return (
    <div className="sal-def__summary" data-testid="definition-summary">
      <dl>
        <dt>{t('def.reasons.title')}</dt>
        <dd>
          <ul>
            {d.rejectReasons.map((r) => (
              <li key={r.code}>{reasonSummary(r, lang, t)}</li>
            ))}
          </ul>
        </dd>
        <dt>{t('def.criteria.title')}</dt>
        <dd>
          <ul>
            {d.criteria.map((c) => (
              <li key={c.id}>{c.kind === 'yes_no' ? c.label[lang] : t('def.kind.countSummaryWithLabel', { label: c.label[lang], min: c.min, items: c.items.map((i) => i.label[lang]).join('・') })}</li>
            ))}
          </ul>
        </dd>
        <dt>{t('def.data.title')}</dt>
        <dd>
          {t('def.data.requiredFields')}: {d.data.requiredFields.map((f) => leadFieldName(f, t)).join('、') || t('def.none')}
          {' · '}
          {t('def.data.minScoreShort')}: {d.data.minScore ?? t('def.none')}
        </dd>
        <dt>{t('def.clocks.title')}</dt>
        <dd>
          <ul>
            {CLOCKS.map((k) => (
              <li key={k}>
                {t(`clock.${k}`)}: {t(`def.hoursValue.${d.clocks[k].basis}`, { h: hoursOf(d.clocks[k].minutes) })}
              </li>
            ))}
            <li>
              {t('def.undo')}: {t('def.minutesValue', { m: d.undoWindowMinutes })}
            </li>
            <li>
              {t('def.review')}: {t('def.daysValue', { d: d.reviewWithinDays ?? DEFAULT_REVIEW_WITHIN_DAYS })}
            </li>
          </ul>
        </dd>
        <dt>{t('def.cal.title')}</dt>
        <dd>
          {cal.timeZone} · {cal.workingDays.map((day) => weekdayName(day, t)).join('・')} {cal.workingHours.start}–{cal.workingHours.end}
          {cal.breaks.length > 0 && ` · ${t('def.cal.breaks')}: ${cal.breaks.map((b) => `${b.start}–${b.end}`).join('、')}`}
          {' · '}
          {t(cal.holidays === 'jp' ? 'def.cal.holidaysOn' : 'def.cal.holidaysOff')}
          {cal.closures.length > 0 && ` · ${t('def.cal.closures')}: ${cal.closures.map((c) => `${c.from}〜${c.to}${c.label ? ` ${c.label}` : ''}`).join('、')}`}
        </dd>
        <dt>{t('def.wb.title')}</dt>
        <dd>
          {wb.length === 0 ? (
            t('def.wb.noneAtAll')
          ) : (
            <ul>
              {wb.map((r) => (
                <li key={r.key}>
                  {crmName(r.crm, t)} · {t(`event.${r.trigger}`)} → {r.field} = {r.kind === 'text' ? `「${r.value}」` : r.kind === 'number' ? r.value : t(`def.wb.kind.${r.kind}`)}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      <HandoffRulesSection t={t} value={d.handoffRules ?? {}} onChange={() => undefined} readOnly customTargets={customTargets} />
    </div>
  );
}
