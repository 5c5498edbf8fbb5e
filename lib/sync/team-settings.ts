import { z } from 'zod';
import { defineKvItem } from '../db/kv';

/** Where the team's settings came from, for the options page ("managed by your team"). */
export const TeamSettingsInfoSchema = z.object({
  /** true when the team's admin saved settings on the server: they replace the local ones. */
  managed: z.boolean(),
  revision: z.number().int().nonnegative(),
  /** ISO date-time of the last save on the server. */
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type TeamSettingsInfo = z.infer<typeof TeamSettingsInfoSchema>;
/** null while the team's settings were never fetched (local mode, or before the first sync). */
export const teamSettingsKv = defineKvItem('teamSettings', TeamSettingsInfoSchema.nullable(), null);
