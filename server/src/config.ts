/** Chrome extension ids: 32 letters a–p (see `lib/protocol/extension-id.ts`). */
const EXTENSION_ID = /^[a-p]{32}$/;

/**
 * The CORS allow-list from the environment, or undefined for the server's default (the
 * extension's own origin, `EXTENSION_ORIGIN`).
 * - `SAL_EXTENSION_IDS`: comma-separated extension ids; replaces the default, so a team running
 *   its own build lists its id (and the published one, if its members use that too).
 * - `SAL_CORS_ORIGINS`: comma-separated exact origins, added to the above (or to the default).
 * @throws Error naming an entry of `SAL_EXTENSION_IDS` that is not an extension id.
 */
export function corsOriginsFromEnv(env: NodeJS.ProcessEnv, defaults: readonly string[]): string[] | undefined {
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  const ids = list(env.SAL_EXTENSION_IDS);
  const origins = list(env.SAL_CORS_ORIGINS);
  if (ids.length === 0 && origins.length === 0) return undefined;
  for (const id of ids) if (!EXTENSION_ID.test(id)) throw new Error(`SAL_EXTENSION_IDS: ${JSON.stringify(id)} is not a Chrome extension id (32 letters a-p)`);
  const base = ids.length > 0 ? ids.map((id) => `chrome-extension://${id}`) : defaults;
  return [...new Set([...base, ...origins])];
}

/**
 * The caller's address for the unauthenticated rate limit, from the environment, or undefined for
 * the server's default (the socket's peer). `SAL_TRUST_PROXY=1`: the server runs behind one
 * reverse proxy or load balancer that appends the client's address to `X-Forwarded-For`; the
 * rightmost entry is then the one that proxy saw (entries to its left are whatever the client
 * sent, so they are never trusted). Without it, behind a proxy every caller shares the proxy's
 * address, and one client guessing tokens would make every rep wait.
 */
export function clientAddressFromEnv(env: NodeJS.ProcessEnv): ((forwardedFor: string | undefined, socketAddress: string) => string) | undefined {
  if (!/^(1|true|yes)$/i.test(env.SAL_TRUST_PROXY?.trim() ?? '')) return undefined;
  return (forwardedFor, socketAddress) => {
    const last = forwardedFor?.split(',').pop()?.trim();
    return last || socketAddress;
  };
}
