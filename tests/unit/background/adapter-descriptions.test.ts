import { describe, expect, it } from 'vitest';
import { effectiveDescription, validDescriptions } from '../../../lib/background/adapter-descriptions';
import { BUNDLED_DESCRIPTIONS } from '../../../lib/crm/descriptions';
import { HUBSPOT } from '../../../lib/crm/descriptions/hubspot';

describe('which description a page is read with', () => {
  const newer = { ...HUBSPOT, version: HUBSPOT.version + 1, scope: '[data-test-id="left-column"]' };

  it("uses the team server's when its version is above the bundled one's, else the bundled one", () => {
    expect(effectiveDescription('hubspot', [newer])).toEqual(newer);
    expect(effectiveDescription('hubspot', [{ ...newer, version: HUBSPOT.version }])).toBe(BUNDLED_DESCRIPTIONS.hubspot);
    expect(effectiveDescription('dynamics-365', [newer])).toBe(BUNDLED_DESCRIPTIONS['dynamics-365']);
    expect(effectiveDescription('hubspot', [])).toBe(BUNDLED_DESCRIPTIONS.hubspot);
  });

  it('keeps only valid descriptions, each on its own, the highest version per UI', () => {
    const broken = { ...newer, version: 99, fields: { name: [{ name: 'x', css: 'h1', run: 'alert(1)' }] } };
    const valid = validDescriptions([broken, newer, { ...newer, version: 2 }, 'nonsense', null]);
    expect(valid).toEqual([newer]);
  });
});
