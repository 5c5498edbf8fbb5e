import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** One request a webhook receiver got. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Webhook receivers on 127.0.0.1 that record each request, for the alert tests (SLA alerts, the
 * digest, read-health jumps). Call once per test file (it registers the `afterEach` that closes
 * the receivers a test opened); each call of the returned function opens one receiver, whose
 * `answer` decides each status (200 by default) from the request's number (1-based) and path.
 */
export function webhookReceivers(): (answer?: (n: number, path: string) => number) => Promise<{ requests: ReceivedRequest[]; base: string }> {
  let open: Server[] = [];
  afterEach(async () => {
    await Promise.all(open.map((r) => new Promise((resolve) => r.close(resolve))));
    open = [];
  });
  return async (answer = () => 200) => {
    const requests: ReceivedRequest[] = [];
    const srv = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        requests.push({ path: req.url ?? '', headers: req.headers, body });
        const status = answer(requests.length, req.url ?? '');
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 400 ? 'receiver says no' : 'ok');
      });
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    open.push(srv);
    return { requests, base: `http://127.0.0.1:${(srv.address() as AddressInfo).port}` };
  };
}
