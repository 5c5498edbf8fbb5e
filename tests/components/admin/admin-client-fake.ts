import type { AdminClient } from '../../../lib/sync/admin-client';

/**
 * An admin client for one section's test: the calls the test gives, and every other call refused
 * (a section that calls what is not its own fails its test instead of reading someone's fixture).
 */
export function sectionClient(calls: Partial<AdminClient>): AdminClient {
  return new Proxy(calls as AdminClient, {
    get: (target, name: string) => target[name as keyof AdminClient] ?? (() => Promise.reject(new Error(`not this section: ${name}`))),
  });
}
