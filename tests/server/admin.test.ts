import { describe, expect, it } from 'vitest';
import { demoSeedPlan } from '../../server/src/admin';

describe('npm start and the demo team', () => {
  it('seeds the demo team into its own embedded database and says where', () => {
    const plan = demoSeedPlan({ databaseUrl: undefined, seedDemoFlag: false, dataDir: '/srv/.data/pglite' });
    expect(plan).toEqual({ seed: true, message: expect.stringContaining('embedded database in /srv/.data/pglite') });
    expect(demoSeedPlan({ databaseUrl: '  ', seedDemoFlag: false, dataDir: 'd' }).seed).toBe(true);
  });

  it('never seeds a DATABASE_URL unless --seed-demo asks, and says so either way', () => {
    const plan = demoSeedPlan({ databaseUrl: 'postgres://team-db/sal', seedDemoFlag: false, dataDir: 'd' });
    expect(plan.seed).toBe(false);
    expect(plan.message).toMatch(/NOT created there \(pass --seed-demo/);
    const asked = demoSeedPlan({ databaseUrl: 'postgres://team-db/sal', seedDemoFlag: true, dataDir: 'd' });
    expect(asked).toEqual({ seed: true, message: expect.stringContaining('into DATABASE_URL, as --seed-demo asked') });
  });
});
