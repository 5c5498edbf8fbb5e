import { SALESFORCE_WRITEBACK_EXAMPLE, WRITEBACK_TRIGGERS, WritebackCrmSchema, type WritebackCrm, type WritebackTrigger } from '../../../lib/domain/writeback';
import type { MessageKey } from '../../../lib/i18n';
import { nextRowKey, WRITEBACK_KINDS, writebackRows, type WritebackKind, type WritebackRow } from './draft';
import { Group, RemoveButton, SelectField, TextField, type FormContext } from './fields';
import { crmName } from './messages';

/**
 * The write-back mapping (`lib/domain/writeback.ts`) as a list of rows: on this decision, set this
 * CRM field to a fixed value or to a value taken from the decision. An example mapping for the
 * standard Lead Status values can be loaded for a CRM that has none yet.
 */
export function WritebackSection({ ctx, rows, onChange }: { ctx: FormContext; rows: WritebackRow[]; onChange(rows: WritebackRow[]): void }) {
  const { t } = ctx;
  const set = (i: number, patch: Partial<WritebackRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const add = (crm: WritebackCrm) => {
    onChange([...rows, { key: nextRowKey(), crm, trigger: 'accepted', field: '', kind: 'text', value: '', lang: 'ja' }]);
    ctx.focusLater(['writeback', rows.length, 'trigger']);
  };
  const loadExample = (crm: WritebackCrm) => onChange([...rows, ...writebackRows({ [crm]: SALESFORCE_WRITEBACK_EXAMPLE[crm] })]);
  return (
    <Group ctx={ctx} legend={t('def.wb.title')}>
      <p className="sal-hint">{t('def.wb.hint')}</p>
      {WritebackCrmSchema.options.map((crm) => {
        const mine = rows.map((r, i) => [r, i] as const).filter(([r]) => r.crm === crm);
        return (
          <fieldset key={crm} className="sal-def__block">
            <legend>{t('def.wb.crm', { crm: crmName(crm, t) })}</legend>
            {mine.length === 0 && <p className="sal-muted">{t('def.wb.none')}</p>}
            {mine.map(([r, i]) => (
              <div key={r.key} className="sal-def__row" role="group" aria-label={t('def.wb.item', { n: i + 1 })}>
                <SelectField<WritebackTrigger>
                  ctx={ctx}
                  compact
                  path={['writeback', i, 'trigger']}
                  label={t('def.wb.trigger', { n: i + 1 })}
                  value={r.trigger}
                  options={WRITEBACK_TRIGGERS.map((x) => [x, t(`event.${x}`)] as const)}
                  onChange={(trigger) => set(i, { trigger })}
                />
                <TextField
                  ctx={ctx}
                  compact
                  path={['writeback', i, 'field']}
                  value={r.field}
                  placeholder={crm === 'hubspot' ? 'hs_lead_status' : crm === 'dynamics' ? 'statuscode' : 'Status'}
                  onChange={(field) => set(i, { field: field.trim() })}
                />
                <SelectField<WritebackKind>
                  ctx={ctx}
                  compact
                  path={['writeback', i, 'kind']}
                  label={t('def.wb.kind', { n: i + 1 })}
                  value={r.kind}
                  options={WRITEBACK_KINDS.map((k) => [k, t(`def.wb.kind.${k}` as MessageKey)] as const)}
                  onChange={(kind) => set(i, { kind })}
                />
                {(r.kind === 'text' || r.kind === 'number') && (
                  <TextField ctx={ctx} compact path={['writeback', i, 'value']} value={r.value} inputMode={r.kind === 'number' ? 'numeric' : 'text'} onChange={(value) => set(i, { value })} />
                )}
                {r.kind === 'reasonLabel' && (
                  <SelectField<'ja' | 'en'>
                    ctx={ctx}
                    compact
                    path={['writeback', i, 'lang']}
                    label={t('def.wb.lang', { n: i + 1 })}
                    value={r.lang}
                    options={[
                      ['ja', '日本語'],
                      ['en', 'English'],
                    ]}
                    onChange={(lang) => set(i, { lang })}
                  />
                )}
                <RemoveButton label={t('def.wb.remove', { n: i + 1 })} onClick={() => onChange(rows.filter((_, j) => j !== i))} />
              </div>
            ))}
            <div className="sal-actions">
              <button type="button" className="sal-btn sal-btn--small" onClick={() => add(crm)}>
                {t('def.wb.add', { crm: crmName(crm, t) })}
              </button>
              {mine.length === 0 && (
                <button type="button" className="sal-btn sal-btn--small" onClick={() => loadExample(crm)}>
                  {t('def.wb.example', { crm: crmName(crm, t) })}
                </button>
              )}
            </div>
          </fieldset>
        );
      })}
    </Group>
  );
}
