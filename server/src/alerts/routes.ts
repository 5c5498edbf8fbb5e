import type { Context } from 'hono';
import type { AlertDeliveriesQuerySchema, PutAlertSettingsRequest } from '../../../lib/protocol/alerts';
import type { z } from 'zod';
import type { Database } from '../db/types';
import { fail, requireRole, type Env } from '../middleware';
import { listDeliveries } from './outbox';
import { AlertTargetError, getAlertSettings, maskSettings, putAlertSettings } from './settings-store';
import type { TargetPolicy } from './targets';

/**
 * The handlers of `/v1/alerts/*` (declared in `lib/protocol/routes.ts`, served by `app.ts`).
 * Admin only: the settings hold the team's webhook credentials, the deliveries its failures.
 */
export function alertHandlers(db: Database, policy: Partial<TargetPolicy> | undefined, now: () => Date) {
  const targets: TargetPolicy = { allowLocalTargets: policy?.allowLocalTargets ?? false };
  return {
    adminOnly: requireRole('admin', 'only a team admin may read or change alerts'),
    async getSettings(c: Context<Env>) {
      return c.json(maskSettings(await getAlertSettings(db, c.get('principal').teamId)));
    },
    async putSettings(c: Context<Env>, body: PutAlertSettingsRequest) {
      try {
        return c.json(maskSettings(await putAlertSettings(db, c.get('principal'), body, targets, now())));
      } catch (error) {
        if (error instanceof AlertTargetError) return fail(c, 400, 'bad_request', error.message);
        throw error;
      }
    },
    async deliveries(c: Context<Env>, query: z.output<typeof AlertDeliveriesQuerySchema>) {
      return c.json({ deliveries: await listDeliveries(db, c.get('principal').teamId, query) });
    },
  };
}
