import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import selfsigned from 'selfsigned';
import { classicListPage, classicRecordPage } from './classic';
import { DYNAMICS_APP_JS, dynamicsShell } from './dynamics';
import { HUBSPOT_APP_JS, hubSpotShell } from './hubspot';
import { CUSTOM_CRM_HOST, customCrmListPage, customCrmRecordPage } from './custom-crm';
import { createCrmApi, dynamicsSessionCookie, DYNAMICS_STATUS_LABELS, HUBSPOT_STATUS_LABELS, type SandboxCrmApi } from './crm-api';
import { scaleListPage } from './list-scale';
import { HOSTILE_LEAD_ID, LIST_FILLER_COUNT, SANDBOX_ACCOUNTS, SANDBOX_LEADS, SANDBOX_OWNER, fillerLeads } from './leads';

/**
 * The sandbox CRM: one local HTTPS server that answers for the real CRM host names, so the
 * extension's production match patterns are what the tests exercise. Chromium reaches it through
 * `--host-resolver-rules` (see tests/e2e/harness/browser.ts) and `--ignore-certificate-errors`.
 */

/** Host names the certificate covers and Chromium maps to the sandbox. */
export const SANDBOX_CERT_HOSTS = [
  '*.lightning.force.com',
  '*.my.salesforce.com',
  'app.hubspot.com',
  'api.hubapi.com',
  '*.crm7.dynamics.com',
  'leads.example-crm.test',
  'attacker.example',
  'localhost',
] as const;

/** The sandbox org's Lightning host. */
export const LIGHTNING_HOST = 'acme.lightning.force.com';

export interface SandboxOptions {
  /** TCP port on 127.0.0.1; 0 or omitted = any free port. */
  port?: number;
  /**
   * Fixes the delay (ms) before record fields and list rows render, for every page
   * (benchmarks want it steady). Omitted = a random 100–400 ms per navigation, like a real org.
   * A page's `?sandboxDelay=<ms>` still overrides it.
   */
  fieldDelayMs?: number;
}

export interface Sandbox {
  port: number;
  /** The browser-facing URL, e.g. `url('acme.lightning.force.com', '/lightning/page/home')`. */
  url(host?: string, path?: string): string;
  /** PEM certificate of this run (to trust it from Node clients). */
  cert: string;
  /** The CRMs' write APIs and the records they change (tests/sandbox/crm-api.ts). */
  crm: SandboxCrmApi;
  close(): Promise<void>;
}

// paths, not `new URL(…, import.meta.url)`: unit tests import this module in jsdom, whose URL is not Node's
const HERE = dirname(fileURLToPath(import.meta.url));
const APP_JS = readFileSync(join(HERE, 'lightning/app.js'), 'utf8');
/** The Lightning page app (tests render it in jsdom with `lightningShell`). */
export const LIGHTNING_APP_JS = APP_JS;
const STYLES = readFileSync(join(HERE, 'lightning/styles.css'), 'utf8');
// 1×1 transparent PNG (browsers accept PNG bytes for /favicon.ico)
const FAVICON = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/**
 * Starts the sandbox CRM. The certificate is generated at start (EC P-256, SANs above), so
 * nothing secret is stored in the repository.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'SAL Bridge sandbox CRM' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [...SANDBOX_CERT_HOSTS.map((value) => ({ type: 2 as const, value })), { type: 7 as const, ip: '127.0.0.1' }],
      },
    ],
  });
  const crm = createCrmApi();
  // Pages are rendered per request from the records as the write APIs left them, so a record
  // page reloaded after a write-back shows the new status.
  const shells: Shells = {
    lightning: () => lightningData(options.fieldDelayMs, crm),
    hubspot: () => hubSpotShell(options.fieldDelayMs, (key) => HUBSPOT_STATUS_LABELS[String(crm.hubspot.get(key)?.fields.hs_lead_status)]),
    dynamics: () => dynamicsShell(options.fieldDelayMs, (guid) => DYNAMICS_STATUS_LABELS[Number(crm.dynamics.get(guid)?.fields.statuscode)]),
  };
  const server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    try {
      handle(req, res, shells, crm);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(String(err));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    cert: pems.cert,
    crm,
    url: (host = LIGHTNING_HOST, path = '/') => `https://${host}${path.startsWith('/') ? path : `/${path}`}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Shells {
  lightning: () => string;
  hubspot: () => string;
  dynamics: () => string;
}

function handle(req: IncomingMessage, res: ServerResponse, shells: Shells, crm: SandboxCrmApi): void {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  const url = new URL(req.url ?? '/', `https://${host || 'localhost'}`);
  if (crm.handle(req, res, host, url)) return;
  if (url.pathname === '/favicon.ico' || url.pathname === '/apple-touch-icon.png') {
    return send(res, 200, 'image/png', FAVICON, 'max-age=86400');
  }
  if (url.pathname === '/robots.txt') return send(res, 200, 'text/plain; charset=utf-8', 'User-agent: *\nDisallow: /\n');
  // the 2,000-row lists (tests/sandbox/list-scale.ts)
  const scale = url.searchParams.has('sandboxScale') ? scaleListPage(host, url) : null;
  if (scale) return send(res, 200, 'text/html; charset=utf-8', scale);
  if (host.endsWith('.lightning.force.com')) {
    if (url.pathname === '/__sandbox/lightning/app.js') {
      return send(res, 200, 'text/javascript; charset=utf-8', APP_JS, 'max-age=60');
    }
    if (url.pathname === '/__sandbox/lightning/styles.css') {
      return send(res, 200, 'text/css; charset=utf-8', STYLES, 'max-age=60');
    }
    if (url.pathname.startsWith('/__sandbox/')) return send(res, 404, 'text/plain', 'not found');
    return send(res, 200, 'text/html; charset=utf-8', lightningShell(shells.lightning()));
  }
  if (host.endsWith('.my.salesforce.com')) {
    if (url.pathname === '/00Q' || url.pathname === '/00Q/o') {
      return send(res, 200, 'text/html; charset=utf-8', classicListPage(url.searchParams.get('sandboxHostile') === '1'));
    }
    const record = classicRecordPage(url.pathname);
    if (record) return send(res, 200, 'text/html; charset=utf-8', record);
  }
  if (host === 'app.hubspot.com') {
    if (url.pathname === '/__sandbox/hubspot/app.js') return send(res, 200, 'text/javascript; charset=utf-8', HUBSPOT_APP_JS, 'max-age=60');
    if (url.pathname.startsWith('/__sandbox/')) return send(res, 404, 'text/plain', 'not found');
    return send(res, 200, 'text/html; charset=utf-8', shells.hubspot());
  }
  if (host.endsWith('.crm7.dynamics.com')) {
    if (url.pathname === '/__sandbox/dynamics/app.js') return send(res, 200, 'text/javascript; charset=utf-8', DYNAMICS_APP_JS, 'max-age=60');
    if (url.pathname.startsWith('/__sandbox/')) return send(res, 404, 'text/plain', 'not found');
    if (url.pathname === '/' || url.pathname.toLowerCase() === '/main.aspx') {
      // the user's session on the environment's origin, which the Web API takes (HttpOnly)
      const session = dynamicsSessionCookie(crm, req);
      if (session) res.setHeader('set-cookie', session);
      return send(res, 200, 'text/html; charset=utf-8', shells.dynamics());
    }
  }
  if (host === CUSTOM_CRM_HOST) {
    if (/^\/app\/leads\/?$/.test(url.pathname)) return send(res, 200, 'text/html; charset=utf-8', customCrmListPage());
    const record = customCrmRecordPage(url.pathname);
    if (record) return send(res, 200, 'text/html; charset=utf-8', record);
  }
  return send(res, 200, 'text/html; charset=utf-8', placeholder(host));
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, cache = 'no-store'): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': cache,
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

/** Data for the page app; `<` is escaped so no value can close the JSON script element. */
export function lightningData(fieldDelayMs: number | undefined, crm?: SandboxCrmApi): string {
  const json = JSON.stringify({
    leads: SANDBOX_LEADS.map((l) => ({ ...l, status: String(crm?.salesforce.get(l.id)?.fields.Status ?? l.status) })),
    filler: fillerLeads(LIST_FILLER_COUNT),
    accounts: SANDBOX_ACCOUNTS,
    owner: SANDBOX_OWNER,
    hostileId: HOSTILE_LEAD_ID,
    fieldDelayMs: fieldDelayMs ?? null,
  });
  return json.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** The Lightning page shell around `data` (see `lightningData`). */
export function lightningShell(data: string): string {
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<title>Salesforce</title>
<link rel="icon" href="/favicon.ico">
<link rel="stylesheet" href="/__sandbox/lightning/styles.css">
</head>
<body class="desktop">
<div id="auraLoadingBox" class="auraLoadingBox oneLoadingBox" hidden></div>
<div class="oneAppLayoutHost" id="oneAppLayoutHost">
  <header class="slds-global-header_container">
    <div class="slds-global-header">
      <span class="slds-global-header__logo">☁ Acme 株式会社 (Sandbox)</span>
      <input class="slds-input global-search" type="search" placeholder="検索..." aria-label="検索">
    </div>
    <one-app-nav-bar class="slds-context-bar" role="navigation">
      <span class="slds-context-bar__app-name">営業</span>
      <a class="slds-context-bar__label-action" href="/lightning/page/home">ホーム</a>
      <a class="slds-context-bar__label-action" href="/lightning/o/Lead/list?filterName=Recent">リード</a>
      <a class="slds-context-bar__label-action" href="/lightning/o/Account/list">取引先</a>
    </one-app-nav-bar>
  </header>
  <div class="viewport"><div class="oneCenterStage" id="oneCenterStage"></div></div>
</div>
<script type="application/json" id="sandbox-data">${data}</script>
<script src="/__sandbox/lightning/app.js"></script>
</body>
</html>`;
}

function placeholder(host: string): string {
  const safe = host.replace(/[^a-z0-9.-]/g, '');
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>Sandbox ${safe}</title></head>
<body><h1>Sandbox CRM</h1><p>No sandbox pages for ${safe} yet.</p></body></html>`;
}
