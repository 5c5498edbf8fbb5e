import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import Provider, { type ClientMetadata } from 'oidc-provider';
import { EXTENSION_ID } from '../../lib/protocol/extension-id';

/**
 * A real OpenID provider (node-oidc-provider) on loopback, for the server tests and the e2e
 * sign-in. Its development login form signs in any account named in `accounts` (no password
 * check); the claims each account's ID token carries are the ones given here.
 */
export interface TestAccount {
  email: string;
  emailVerified: boolean;
  name: string;
}

/** The extension's sign-in redirect (chrome.identity.launchWebAuthFlow) for the fixed extension id. */
export const EXTENSION_REDIRECT_URI = `https://${EXTENSION_ID}.chromiumapp.org/`;
export const TEST_CLIENT_ID = 'sal-bridge-extension';

export interface TestProvider {
  issuer: string;
  provider: Provider;
  close(): Promise<void>;
}

/**
 * Starts a provider at `http://127.0.0.1:<port>` (port 0: any free one). `clients` defaults to the
 * extension (public client, PKCE, the chromiumapp.org redirect) and `other-app` (another
 * audience). `jwks` lets two providers sign with the same keys (a token of the wrong issuer that
 * would verify).
 */
export async function startTestProvider(options: { accounts: Record<string, TestAccount>; port?: number; clients?: ClientMetadata[]; jwks?: { keys: object[] } }): Promise<TestProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server: Server = createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const publicClient = (client_id: string): ClientMetadata => ({
    client_id,
    token_endpoint_auth_method: 'none',
    redirect_uris: [EXTENSION_REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  });
  const provider = new Provider(issuer, {
    clients: options.clients ?? [publicClient(TEST_CLIENT_ID), publicClient('other-app')],
    ...(options.jwks ? { jwks: options.jwks } : {}),
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // the scopes' claims go in the ID token itself (the server reads nothing else)
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    async findAccount(_ctx, id) {
      const account = options.accounts[id];
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, email: account.email, email_verified: account.emailVerified, name: account.name }) };
    },
  });
  // quiet: the dev-interaction and http-issuer warnings are expected here
  provider.on('server_error', () => undefined);
  const callback = provider.callback();
  handler = (req, res) => void callback(req, res);
  return {
    issuer,
    provider,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A PKCE pair (RFC 7636, S256). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Cookies carried across the provider's redirects, as a browser would. */
class CookieJar {
  private cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Drives the provider's authorization endpoint, login form and consent form as a browser would
 * (the development interactions: login with the account id), and returns the redirect URL with
 * the authorization code, exactly what `launchWebAuthFlow` hands back to the extension.
 */
export async function authorizeThroughProvider(
  issuer: string,
  input: { account: string; nonce: string; codeChallenge: string; clientId?: string; state?: string; redirectUri?: string },
): Promise<string> {
  const jar = new CookieJar();
  const redirectUri = input.redirectUri ?? EXTENSION_REDIRECT_URI;
  let url = `${issuer}/auth?${new URLSearchParams({
    client_id: input.clientId ?? TEST_CLIENT_ID,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid email profile',
    nonce: input.nonce,
    state: input.state ?? 'state-1',
    code_challenge: input.codeChallenge,
    code_challenge_method: 'S256',
  })}`;
  for (let hop = 0; hop < 12; hop++) {
    if (url.startsWith(redirectUri)) return url;
    const interaction = /\/interaction\/([^/?#]+)$/.exec(new URL(url).pathname);
    let response: Response;
    if (interaction) {
      // the page says which prompt it is; submit it
      const page = await fetch(url, { headers: { cookie: jar.header() }, redirect: 'manual' });
      jar.take(page);
      const html = await page.text();
      const prompt = html.includes('name="login"') ? 'login' : 'consent';
      response = await fetch(url, {
        method: 'POST',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(prompt === 'login' ? { prompt, login: input.account, password: 'any' } : { prompt }),
        redirect: 'manual',
      });
    } else {
      response = await fetch(url, { headers: { cookie: jar.header() }, redirect: 'manual' });
    }
    jar.take(response);
    const location = response.headers.get('location');
    if (!location) throw new Error(`the provider stopped at ${url} with HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
    url = new URL(location, url).toString();
  }
  throw new Error('too many redirects at the provider');
}
