import type { Context } from 'hono';
import type { PostReadHealthRequest } from '../../../lib/protocol/read-health';
import { READ_HEALTH_WINDOW_DAYS } from '../../../lib/domain/read-health';
import type { Database } from '../db/types';
import { requireRole, type Env } from '../middleware';
import { alertReadJumps } from './alert';
import { readHealthSummary, storeReadHealth } from './store';

/**
 * The handlers of `POST /v1/health/reads` (any member, for their own team: the principal names
 * team and member, never the body) and `GET /v1/admin/read-health` (admins), declared in
 * `lib/protocol/routes.ts` and served by `app.ts`.
 */
export function readHealthHandlers(db: Database, now: () => Date, log?: (entry: Record<string, unknown>) => void) {
  return {
    adminOnly: requireRole('admin', 'only a team admin may read the read health'),
    async post(c: Context<Env>, body: PostReadHealthRequest) {
      const principal = c.get('principal');
      const at = now();
      const result = await storeReadHealth(db, principal, body.days, at);
      // The reads are stored whatever the alert does: a failure to enqueue is logged, and the
      // next post (the browser posts its growing day again) finds the jump again.
      await alertReadJumps(
        db,
        principal.teamId,
        body.days.map((d) => d.crm),
        at,
      ).catch((error: unknown) =>
        log?.({ time: new Date().toISOString(), level: 'error', team: principal.teamId, message: `read health alert: ${error instanceof Error ? error.message : String(error)}` }),
      );
      return c.json(result);
    },
    async summary(c: Context<Env>) {
      return c.json({ windowDays: READ_HEALTH_WINDOW_DAYS, crms: await readHealthSummary(db, c.get('principal').teamId, now()) });
    },
  };
}
