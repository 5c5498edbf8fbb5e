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

/**
 * The team's OpenID provider from the environment, or undefined (no single sign-on):
 * `SAL_OIDC_ISSUER` (exactly the provider's `iss`), `SAL_OIDC_CLIENT_ID` (the extension's client
 * id at the provider), optional `SAL_OIDC_CLIENT_SECRET` (only for providers that require one
 * with PKCE) and `SAL_OIDC_SCOPES` (space-separated, default `openid email profile`).
 * @throws Error when only one of issuer and client id is set, or the issuer is not an https URL
 *   (plain http only on loopback, for tests).
 */
export function oidcFromEnv(env: NodeJS.ProcessEnv): { issuer: string; clientId: string; clientSecret?: string; scopes?: string[] } | undefined {
  const issuer = env.SAL_OIDC_ISSUER?.trim();
  const clientId = env.SAL_OIDC_CLIENT_ID?.trim();
  if (!issuer && !clientId) return undefined;
  if (!issuer || !clientId) throw new Error('SAL_OIDC_ISSUER and SAL_OIDC_CLIENT_ID go together');
  const url = new URL(issuer);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new Error(`SAL_OIDC_ISSUER must be an https URL, not ${issuer}`);
  const secret = env.SAL_OIDC_CLIENT_SECRET?.trim();
  const scopes = env.SAL_OIDC_SCOPES?.trim();
  return { issuer, clientId, ...(secret ? { clientSecret: secret } : {}), ...(scopes ? { scopes: scopes.split(/\s+/) } : {}) };
}
