import { request } from 'node:https';
import type { Sandbox } from '../../sandbox/server';

/**
 * A `fetch` that reaches the sandbox CRM under the real host names (as Chromium does through
 * `--host-resolver-rules`): the connection goes to 127.0.0.1:<port>, the Host header and TLS name
 * stay the CRM's. Cookies are sent only when the caller puts them in the headers.
 */
export function sandboxFetch(sandbox: Sandbox): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    return new Promise<Response>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: sandbox.port,
          path: url.pathname + url.search,
          method: init.method ?? 'GET',
          headers: { ...headers, host: url.host },
          servername: url.hostname,
          ca: sandbox.cert,
          rejectUnauthorized: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = res.statusCode === 204 ? null : Buffer.concat(chunks);
            const h = new Headers();
            for (const [k, v] of Object.entries(res.headers)) for (const one of [v ?? []].flat()) h.append(k, one);
            resolve(new Response(body, { status: res.statusCode ?? 500, headers: h }));
          });
        },
      );
      req.on('error', reject);
      if (typeof init.body === 'string') req.write(init.body);
      req.end();
    });
  }) as typeof fetch;
}
