import type { BusinessCalendar, Closure, TimeInterval } from '../../../lib/domain/calendar';
import type { ClockBasis, ClockRule, SalDefinition } from '../../../lib/domain/definition';
import { CheckField, Group, NumberField, RemoveButton, SelectField, TextField, type FormContext } from './fields';
import { CLOCKS, WEEKDAYS, weekdayName } from './messages';

// The parts of the definition about time: the SLA clocks (in hours, on business or calendar
// time), the undo window, the review SLA and the business calendar they count on.

const replace = <T,>(list: readonly T[], i: number, item: T) => list.map((x, j) => (j === i ? item : x));
const without = <T,>(list: readonly T[], i: number) => list.filter((_, j) => j !== i);
/** Minutes as the hours the form shows (two decimals); NaN stays NaN (an empty field). */
const hours = (minutes: number) => (Number.isFinite(minutes) ? Math.round((minutes / 60) * 100) / 100 : Number.NaN);
const toMinutes = (hours: number) => (Number.isNaN(hours) ? Number.NaN : Math.round(hours * 60 * 1000) / 1000);

type Clocks = SalDefinition['clocks'];

export function ClocksSection({
  ctx,
  clocks,
  undoWindowMinutes,
  reviewWithinDays,
  onChange,
}: {
  ctx: FormContext;
  clocks: Clocks;
  undoWindowMinutes: number;
  reviewWithinDays: number | undefined;
  onChange(patch: Partial<Pick<SalDefinition, 'clocks' | 'undoWindowMinutes' | 'reviewWithinDays'>>): void;
}) {
  const { t } = ctx;
  const set = (kind: keyof Clocks, rule: ClockRule) => onChange({ clocks: { ...clocks, [kind]: rule } });
  return (
    <Group ctx={ctx} legend={t('def.clocks.title')}>
      <p className="sal-hint">{t('def.clocks.hint')}</p>
      {CLOCKS.map((kind) => {
        const rule = clocks[kind];
        return (
          <div key={kind} className="sal-def__row" role="group" aria-label={t(`clock.${kind}`)}>
            <NumberField ctx={ctx} path={['clocks', kind, 'minutes']} value={hours(rule.minutes)} step={0.25} min={0} onChange={(h) => set(kind, { ...rule, minutes: toMinutes(h) })} />
            <SelectField<ClockBasis>
              ctx={ctx}
              path={['clocks', kind, 'basis']}
              value={rule.basis}
              options={[
                ['business', t('def.basis.business')],
                ['calendar', t('def.basis.calendar')],
              ]}
              onChange={(basis) => set(kind, { ...rule, basis })}
            />
            <NumberField
              ctx={ctx}
              path={['clocks', kind, 'warnBeforeMinutes']}
              errorPaths={[['clocks', kind]]}
              value={hours(rule.warnBeforeMinutes)}
              step={0.25}
              min={0}
              onChange={(h) => set(kind, { ...rule, warnBeforeMinutes: toMinutes(h) })}
            />
          </div>
        );
      })}
      <div className="sal-def__row">
        <NumberField ctx={ctx} path={['undoWindowMinutes']} value={undoWindowMinutes} step={1} min={0} onChange={(m) => onChange({ undoWindowMinutes: m })} />
        <NumberField
          ctx={ctx}
          path={['reviewWithinDays']}
          value={reviewWithinDays ?? null}
          step={1}
          min={1}
          hint={t('def.review.hint')}
          // empty: the default (absent from the definition)
          onChange={(d) => onChange({ reviewWithinDays: Number.isNaN(d) ? undefined : d })}
        />
      </div>
    </Group>
  );
}

export function CalendarSection({ ctx, value, onChange }: { ctx: FormContext; value: BusinessCalendar; onChange(v: BusinessCalendar): void }) {
  const { t } = ctx;
  const setBreaks = (breaks: TimeInterval[]) => onChange({ ...value, breaks });
  const setClosures = (closures: Closure[]) => onChange({ ...value, closures });
  return (
    <Group ctx={ctx} legend={t('def.cal.title')}>
      <p className="sal-hint">{t('def.cal.hint')}</p>
      <TextField ctx={ctx} path={['calendar', 'timeZone']} value={value.timeZone} placeholder="Asia/Tokyo" onChange={(timeZone) => onChange({ ...value, timeZone })} />
      <Group ctx={ctx} path={['calendar', 'workingDays']} legend={t('def.cal.workingDays')} className="sal-def__inline">
        {WEEKDAYS.map((day) => (
          <CheckField
            key={day}
            ctx={ctx}
            path={['calendar', 'workingDays', `d${day}`]}
            label={weekdayName(day, t)}
            checked={value.workingDays.includes(day)}
            onChange={(on) => onChange({ ...value, workingDays: WEEKDAYS.filter((d) => (d === day ? on : value.workingDays.includes(d))) })}
          />
        ))}
      </Group>
      <div className="sal-def__row">
        <TextField
          ctx={ctx}
          path={['calendar', 'workingHours', 'start']}
          errorPaths={[['calendar', 'workingHours']]}
          value={value.workingHours.start}
          placeholder="09:00"
          onChange={(start) => onChange({ ...value, workingHours: { ...value.workingHours, start } })}
        />
        <TextField
          ctx={ctx}
          path={['calendar', 'workingHours', 'end']}
          value={value.workingHours.end}
          placeholder="18:00"
          onChange={(end) => onChange({ ...value, workingHours: { ...value.workingHours, end } })}
        />
      </div>
      {value.breaks.map((b, i) => (
        <div key={i} className="sal-def__row" role="group" aria-label={t('def.break.item', { n: i + 1 })}>
          <TextField
            ctx={ctx}
            compact
            path={['calendar', 'breaks', i, 'start']}
            errorPaths={[['calendar', 'breaks', i]]}
            value={b.start}
            placeholder="12:00"
            onChange={(start) => setBreaks(replace(value.breaks, i, { ...b, start }))}
          />
          <TextField ctx={ctx} compact path={['calendar', 'breaks', i, 'end']} value={b.end} placeholder="13:00" onChange={(end) => setBreaks(replace(value.breaks, i, { ...b, end }))} />
          <RemoveButton label={t('def.break.remove', { n: i + 1 })} onClick={() => setBreaks(without(value.breaks, i))} />
        </div>
      ))}
      <div>
        <button
          type="button"
          className="sal-btn sal-btn--small"
          onClick={() => {
            setBreaks([...value.breaks, { start: '12:00', end: '13:00' }]);
            ctx.focusLater(['calendar', 'breaks', value.breaks.length, 'start']);
          }}
        >
          {t('def.break.add')}
        </button>
      </div>
      <CheckField ctx={ctx} path={['calendar', 'holidays']} checked={value.holidays === 'jp'} onChange={(on) => onChange({ ...value, holidays: on ? 'jp' : 'none' })} />
      {value.closures.map((c, i) => (
        <div key={i} className="sal-def__row" role="group" aria-label={t('def.closure.item', { n: i + 1 })}>
          <TextField
            ctx={ctx}
            compact
            path={['calendar', 'closures', i, 'from']}
            errorPaths={[['calendar', 'closures', i]]}
            value={c.from}
            placeholder="12-29"
            onChange={(from) => setClosures(replace(value.closures, i, { ...c, from }))}
          />
          <TextField ctx={ctx} compact path={['calendar', 'closures', i, 'to']} value={c.to} placeholder="01-03" onChange={(to) => setClosures(replace(value.closures, i, { ...c, to }))} />
          <TextField
            ctx={ctx}
            compact
            path={['calendar', 'closures', i, 'label']}
            value={c.label ?? ''}
            onChange={(label) => {
              const { label: _old, ...rest } = c;
              setClosures(replace(value.closures, i, label ? { ...rest, label } : rest));
            }}
          />
          <RemoveButton label={t('def.closure.remove', { n: i + 1 })} onClick={() => setClosures(without(value.closures, i))} />
        </div>
      ))}
      <div>
        <button
          type="button"
          className="sal-btn sal-btn--small"
          onClick={() => {
            setClosures([...value.closures, { from: '', to: '' }]);
            ctx.focusLater(['calendar', 'closures', value.closures.length, 'from']);
          }}
        >
          {t('def.closure.add')}
        </button>
      </div>
    </Group>
  );
}
