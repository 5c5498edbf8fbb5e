import { describe, expect, it } from 'vitest';
import { clip, pageText, setField } from '../../../lib/crm/lead-fields';
import { LeadSnapshotSchema } from '../../../lib/domain/events';
import type { LeadOnPage } from '../../../lib/crm/types';

describe('page values are made storable (issue 9, item 2: one value must never stall sync)', () => {
  it('never cuts an emoji in half at the limit', () => {
    const company = `${'株'.repeat(499)}🏢`; // 499 + 2 UTF-16 units
    const cut = pageText(company, 'company');
    expect(cut).toBe('株'.repeat(499)); // the emoji does not fit whole: left out
    expect(cut.isWellFormed()).toBe(true);
    const fits = pageText(`${'株'.repeat(498)}🏢`, 'company');
    expect(fits.endsWith('🏢')).toBe(true);
    expect(fits).toHaveLength(500);
  });

  it('drops NUL, other control characters and unpaired surrogates, keeps tab, newline and whole emoji', () => {
    expect(clip('Acme\u0000 Corp\u0007', 100)).toBe('Acme Corp');
    expect(clip('a\uD83Db\uDC00c😀', 100)).toBe('abc😀');
    expect(clip('line\tone\nline two', 100)).toBe('line\tone\nline two');
  });

  it('every field read through setField fits the stored snapshot', () => {
    const lead: LeadOnPage = {};
    setField(lead, 'company', `${'x'.repeat(499)}😀`);
    setField(lead, 'phone', `03-${'1'.repeat(200)}`);
    setField(lead, 'leadSource', `\u0000${'w'.repeat(300)}`);
    expect(lead.company).toHaveLength(499);
    expect(lead.phone).toHaveLength(100);
    expect(lead.leadSource).toHaveLength(200);
    expect(LeadSnapshotSchema.safeParse(lead).success).toBe(true);
  });
});
