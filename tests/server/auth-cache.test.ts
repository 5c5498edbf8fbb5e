import { afterEach, describe, expect, it } from 'vitest';
import { revokeToken, seedDemo } from '../../server/src/admin';
import { createApp } from '../../server/src/app';
import { PRINCIPAL_CACHE_MS } from '../../server/src/auth';
import { sharedDatabase } from './helpers';

/**
 * A verified token is reused for `PRINCIPAL_CACHE_MS` by the instance that verified it
 * (server/src/auth.ts): a revocation made through that instance ends it at once, one made
 * through another instance (or the CLI) within that bound.
 */
describe('verified tokens kept briefly', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  async function twoInstances() {
    const database = await sharedDatabase();
    close = database.close;
    await seedDemo(database.first);
    const dbA = database.first;
    const dbB = await database.open();
    const appA = createApp({ db: dbA, config: { rateLimit: false } });
    const appB = createApp({ db: dbB, config: { rateLimit: false } });
    const me = async (app: typeof appA, token: string) => (await app.request('/v1/me', { headers: { authorization: `Bearer ${token}` } })).status;
    return { dbA, dbB, appA, appB, me };
  }

  it('ends a token at once on the instance that revoked it', async () => {
    const { dbA, appA, me } = await twoInstances();
    expect(await me(appA, 'demo-rep1-token')).toBe(200);
    expect(await revokeToken(dbA, 'demo-rep1-token')).toBe(true);
    expect(await me(appA, 'demo-rep1-token')).toBe(401);
  });

  it('ends it on another instance within the bound', async () => {
    const { dbA, appB, me } = await twoInstances();
    expect(await me(appB, 'demo-rep1-token')).toBe(200);
    const revokedAt = performance.now();
    expect(await revokeToken(dbA, 'demo-rep1-token')).toBe(true);
    // until the bound, instance B may still answer from what it verified
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, PRINCIPAL_CACHE_MS - (performance.now() - revokedAt)) + 50));
    expect(await me(appB, 'demo-rep1-token')).toBe(401);
  });
});
