import { LeadFieldSchema, type DataRequirements, type QualityCriterion, type RejectReason } from '../../../lib/domain/definition';
import { CheckField, Group, NumberField, RemoveButton, SelectField, TextField, type FormContext } from './fields';
import { leadFieldName } from './messages';

// The parts of the definition about the lead: why it may be rejected, the checklist the rep
// answers, and the data marketing must hand over. Each is value + onChange over its own slice.

const replace = <T,>(list: readonly T[], i: number, item: T) => list.map((x, j) => (j === i ? item : x));
const without = <T,>(list: readonly T[], i: number) => list.filter((_, j) => j !== i);

export function ReasonsSection({ ctx, value, onChange }: { ctx: FormContext; value: RejectReason[]; onChange(v: RejectReason[]): void }) {
  const { t } = ctx;
  const add = () => {
    onChange([...value, { code: '', label: { ja: '', en: '' }, commentRequired: false }]);
    ctx.focusLater(['rejectReasons', value.length, 'code']);
  };
  return (
    <Group ctx={ctx} path={['rejectReasons']} legend={t('def.reasons.title')}>
      <p className="sal-hint">{t('def.reasons.hint')}</p>
      {value.map((r, i) => (
        <div key={i} className="sal-def__row" role="group" aria-label={t('def.reason.item', { n: i + 1 })}>
          <TextField ctx={ctx} compact path={['rejectReasons', i, 'code']} value={r.code} onChange={(code) => onChange(replace(value, i, { ...r, code }))} />
          <TextField ctx={ctx} compact path={['rejectReasons', i, 'label', 'ja']} value={r.label.ja} onChange={(ja) => onChange(replace(value, i, { ...r, label: { ...r.label, ja } }))} />
          <TextField ctx={ctx} compact path={['rejectReasons', i, 'label', 'en']} value={r.label.en} onChange={(en) => onChange(replace(value, i, { ...r, label: { ...r.label, en } }))} />
          <CheckField
            ctx={ctx}
            compact
            path={['rejectReasons', i, 'commentRequired']}
            // the event contract requires a comment with `other` whatever the definition says
            checked={r.commentRequired || r.code === 'other'}
            disabled={r.code === 'other'}
            onChange={(commentRequired) => onChange(replace(value, i, { ...r, commentRequired }))}
          />
          <RemoveButton label={t('def.reason.remove', { n: i + 1 })} onClick={() => onChange(without(value, i))} />
        </div>
      ))}
      <div>
        <button type="button" className="sal-btn" onClick={add}>
          {t('def.reason.add')}
        </button>
      </div>
    </Group>
  );
}

export function CriteriaSection({ ctx, value, onChange }: { ctx: FormContext; value: QualityCriterion[]; onChange(v: QualityCriterion[]): void }) {
  const { t } = ctx;
  const add = () => {
    onChange([...value, { kind: 'yes_no', id: '', label: { ja: '', en: '' } }]);
    ctx.focusLater(['criteria', value.length, 'kind']);
  };
  const setKind = (c: QualityCriterion, kind: QualityCriterion['kind']): QualityCriterion =>
    kind === 'yes_no' ? { kind, id: c.id, label: c.label } : { kind, id: c.id, label: c.label, items: [{ id: '', label: { ja: '', en: '' } }], min: 1 };
  return (
    <Group ctx={ctx} path={['criteria']} legend={t('def.criteria.title')}>
      <p className="sal-hint">{t('def.criteria.hint')}</p>
      {value.map((c, i) => (
        <div key={i} className="sal-def__block" role="group" aria-label={t('def.criterion.item', { n: i + 1 })}>
          <div className="sal-def__row">
            <SelectField
              ctx={ctx}
              compact
              path={['criteria', i, 'kind']}
              value={c.kind}
              options={[
                ['yes_no', t('def.kind.yes_no')],
                ['count', t('def.kind.count')],
              ]}
              onChange={(kind) => onChange(replace(value, i, setKind(c, kind)))}
            />
            <TextField ctx={ctx} compact path={['criteria', i, 'id']} value={c.id} onChange={(id) => onChange(replace(value, i, { ...c, id }))} />
            <TextField ctx={ctx} compact path={['criteria', i, 'label', 'ja']} value={c.label.ja} onChange={(ja) => onChange(replace(value, i, { ...c, label: { ...c.label, ja } }))} />
            <TextField ctx={ctx} compact path={['criteria', i, 'label', 'en']} value={c.label.en} onChange={(en) => onChange(replace(value, i, { ...c, label: { ...c.label, en } }))} />
            <RemoveButton label={t('def.criterion.remove', { n: i + 1 })} onClick={() => onChange(without(value, i))} />
          </div>
          {c.kind === 'count' && (
            <div className="sal-def__nested">
              <NumberField ctx={ctx} compact path={['criteria', i, 'min']} value={c.min} min={1} step={1} onChange={(min) => onChange(replace(value, i, { ...c, min }))} />
              {c.items.map((item, j) => (
                <div key={j} className="sal-def__row">
                  <TextField
                    ctx={ctx}
                    compact
                    path={['criteria', i, 'items', j, 'id']}
                    value={item.id}
                    onChange={(id) => onChange(replace(value, i, { ...c, items: replace(c.items, j, { ...item, id }) }))}
                  />
                  <TextField
                    ctx={ctx}
                    compact
                    path={['criteria', i, 'items', j, 'label', 'ja']}
                    value={item.label.ja}
                    onChange={(ja) => onChange(replace(value, i, { ...c, items: replace(c.items, j, { ...item, label: { ...item.label, ja } }) }))}
                  />
                  <TextField
                    ctx={ctx}
                    compact
                    path={['criteria', i, 'items', j, 'label', 'en']}
                    value={item.label.en}
                    onChange={(en) => onChange(replace(value, i, { ...c, items: replace(c.items, j, { ...item, label: { ...item.label, en } }) }))}
                  />
                  <RemoveButton label={t('def.item.remove', { n: i + 1, m: j + 1 })} onClick={() => onChange(replace(value, i, { ...c, items: without(c.items, j) }))} />
                </div>
              ))}
              <div>
                <button
                  type="button"
                  className="sal-btn sal-btn--small"
                  onClick={() => {
                    onChange(replace(value, i, { ...c, items: [...c.items, { id: '', label: { ja: '', en: '' } }] }));
                    ctx.focusLater(['criteria', i, 'items', c.items.length, 'id']);
                  }}
                >
                  {t('def.item.add', { n: i + 1 })}
                </button>
              </div>
            </div>
          )}
        </div>
      ))}
      <div>
        <button type="button" className="sal-btn" onClick={add}>
          {t('def.criterion.add')}
        </button>
      </div>
    </Group>
  );
}

export function DataSection({ ctx, value, onChange }: { ctx: FormContext; value: DataRequirements; onChange(v: DataRequirements): void }) {
  const { t } = ctx;
  const toggle = (field: (typeof LeadFieldSchema.options)[number], on: boolean) =>
    onChange({ ...value, requiredFields: LeadFieldSchema.options.filter((f) => (f === field ? on : value.requiredFields.includes(f))) });
  return (
    <Group ctx={ctx} legend={t('def.data.title')}>
      <fieldset className="sal-def__inline">
        <legend>{t('def.data.requiredFields')}</legend>
        {LeadFieldSchema.options.map((f) => (
          <CheckField
            key={f}
            ctx={ctx}
            path={['data', 'requiredFields', f]}
            label={t('def.data.required', { field: leadFieldName(f, t) })}
            checked={value.requiredFields.includes(f)}
            onChange={(on) => toggle(f, on)}
          />
        ))}
      </fieldset>
      <CheckField ctx={ctx} path={['data', 'validEmail']} checked={value.validEmail} onChange={(validEmail) => onChange({ ...value, validEmail })} />
      <CheckField ctx={ctx} path={['data', 'validPhone']} checked={value.validPhone} onChange={(validPhone) => onChange({ ...value, validPhone })} />
      <NumberField
        ctx={ctx}
        path={['data', 'minScore']}
        value={value.minScore}
        step={1}
        // an empty field means "no threshold" (null), not a missing number
        onChange={(n) => onChange({ ...value, minScore: Number.isNaN(n) ? null : n })}
      />
    </Group>
  );
}
