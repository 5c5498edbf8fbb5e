import { describe, expect, it } from 'vitest';
import { DEFAULT_DEFINITION, SalDefinitionSchema } from '../../../lib/domain/definition';
import { canRecord, DEFAULT_ROLE_PERMISSIONS, LeadEventTypeSchema, RoleSchema } from '../../../lib/domain/roles';

const DECISIONS = ['accepted', 'rejected', 'contacted', 'progress_updated', 'qualified', 'recycled', 'won', 'lost', 'sales_originated', 'reopened'] as const;

describe('canRecord: who may record which event', () => {
  it('lets reps decide, marketers hand over and admins do anything, by default', () => {
    for (const type of DECISIONS) {
      expect(canRecord('rep', type), type).toBe(true);
      expect(canRecord('marketer', type), type).toBe(false);
    }
    expect(canRecord('rep', 'handed_over')).toBe(false);
    expect(canRecord('marketer', 'handed_over')).toBe(true);
    for (const type of LeadEventTypeSchema.options) expect(canRecord('admin', type), type).toBe(true);
  });

  it('gives managers no decision to record by default (they watch the KPIs): only the review meeting’s outcome, and undoing their own', () => {
    expect(DEFAULT_ROLE_PERMISSIONS.manager).toEqual(['reviewed']);
    expect(LeadEventTypeSchema.options.filter((type) => canRecord('manager', type))).toEqual(['retracted', 'reviewed']);
  });

  it('lets marketers, managers and admins record the review meeting’s outcome, not reps', () => {
    expect(RoleSchema.options.filter((role) => canRecord(role, 'reviewed'))).toEqual(['marketer', 'manager', 'admin']);
  });

  it('lets every role retract (that it is their own event is checked against the target)', () => {
    for (const role of RoleSchema.options) expect(canRecord(role, 'retracted'), role).toBe(true);
  });

  it('widens by the team definition, never narrows', () => {
    const extra = { manager: ['accepted', 'rejected'] as const, marketer: ['reopened'] as const };
    expect(canRecord('manager', 'accepted', { manager: [...extra.manager] })).toBe(true);
    expect(canRecord('manager', 'won', { manager: [...extra.manager] })).toBe(false);
    expect(canRecord('marketer', 'reopened', { marketer: [...extra.marketer] })).toBe(true);
    expect(canRecord('rep', 'accepted', { rep: [] })).toBe(true);
  });

  it('is validated as part of the definition', () => {
    expect(SalDefinitionSchema.safeParse({ ...DEFAULT_DEFINITION, rolePermissions: { manager: ['accepted'] } }).success).toBe(true);
    expect(SalDefinitionSchema.safeParse({ ...DEFAULT_DEFINITION, rolePermissions: { manager: ['delete_everything'] } }).success).toBe(false);
    expect(SalDefinitionSchema.safeParse({ ...DEFAULT_DEFINITION, rolePermissions: { intern: ['accepted'] } }).success).toBe(false);
  });
});
