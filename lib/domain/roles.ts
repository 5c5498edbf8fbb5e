import { z } from 'zod';
import type { Actor, LeadEventType } from './events';

/**
 * Who may record which event. A team member's role comes from the backend (`GET /v1/me`); the
 * server enforces `canRecord` on every pushed event and the extension uses the same function to
 * offer only what the server will take.
 */
export const RoleSchema = z.enum(['rep', 'marketer', 'manager', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

/** Every event type, for policies (kept equal to `LeadEventType` by the type check below). */
export const LeadEventTypeSchema = z.enum([
  'handed_over',
  'accepted',
  'rejected',
  'contacted',
  'progress_updated',
  'qualified',
  'recycled',
  'won',
  'lost',
  'sales_originated',
  'reopened',
  'retracted',
  'reviewed',
]);
// Both directions: a type added to the event union but not here (or the reverse) fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameTypes: Same<z.infer<typeof LeadEventTypeSchema>, LeadEventType> = true;
void sameTypes;

/** What sales decides on a lead: the SAL decision and everything after it. */
const SALES_DECISIONS: readonly LeadEventType[] = ['accepted', 'rejected', 'contacted', 'progress_updated', 'qualified', 'recycled', 'won', 'lost', 'sales_originated', 'reopened'];

/**
 * The defaults, from the domain: reps decide, marketers hand over, admins may record anything.
 * Managers record no decision by default: the domain gives managers of both sides the KPIs, the
 * health band and SLA compliance to watch, not a rep's decision to make; a manager who decides in
 * a rep's place would also blur the per-rep figures they review. A team that wants managers to
 * decide (or marketers to reopen, …) widens this in its definition (`rolePermissions`).
 * The lead review meeting's outcome (`reviewed`) is recorded by whoever keeps its minutes:
 * marketers and managers of either side (and admins); it decides nothing about the lead itself.
 * `retracted` is not listed for the other roles (admin's list is every type): anyone may undo
 * their own event (the target's owner and the undo window are checked where the target is known).
 */
export const DEFAULT_ROLE_PERMISSIONS: Readonly<Record<Role, readonly LeadEventType[]>> = {
  rep: SALES_DECISIONS,
  marketer: ['handed_over', 'reviewed'],
  manager: ['reviewed'],
  admin: LeadEventTypeSchema.options,
};

/** Event types a role may record in addition to `DEFAULT_ROLE_PERMISSIONS` (a team may widen, never narrow). */
export const RolePermissionsSchema = z.partialRecord(RoleSchema, z.array(LeadEventTypeSchema).max(LeadEventTypeSchema.options.length));
export type RolePermissions = z.infer<typeof RolePermissionsSchema>;

/**
 * Whether a member with `role` may record an event of `type`: the defaults plus what the team's
 * `extra` permissions add. `retracted` is always allowed here; that it undoes the caller's own
 * event within the undo window is checked against the target, not the role.
 */
export function canRecord(role: Role, type: LeadEventType, extra?: RolePermissions): boolean {
  if (type === 'retracted') return true;
  return DEFAULT_ROLE_PERMISSIONS[role].includes(type) || (extra?.[role]?.includes(type) ?? false);
}

/**
 * Who "me" is to the rules that pick my work (the queue): the actor id events carry for this user
 * (the backend's user id, or the local actor's id), and the display name a hand-over's `owner`
 * may give instead of an id. Either may be unknown (`{}`: no actor yet). The signed-in user's
 * record itself is the backend's answer (`MeResponse` in `lib/protocol/http.ts`).
 */
export type Me = Partial<Actor>;
