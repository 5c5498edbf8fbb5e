import { browser } from 'wxt/browser';
import type { SalDatabase } from '../db/schema';
import { readKv } from '../db/kv';
import type { WritebackCrm } from '../domain/writeback';
import { drainWritebacks, type DrainOptions, type DrainResult } from '../writeback/queue';
import { createSalesforceWriter } from '../writeback/salesforce';
import { createHubSpotWriter } from '../writeback/hubspot';
import { createDynamicsWriter, type PageFetch, type PageFetchRequest, type PageFetchResponse } from '../writeback/dynamics';
import { crmTokensKv } from '../writeback/credentials';
import { SALESFORCE_CONNECT_REQUIRED, type CrmWriter } from '../writeback/writer';
import { connectSalesforce, createSalesforceOAuthTokens, disconnectSalesforce, salesforceConnections } from '../writeback/salesforce-oauth';
import { salesforceApiOrigin } from '../writeback/salesforce';
import { definitionInForce, policyInForce } from '../settings/policy-definition';
import type { Handlers, VerifiedSender } from './router';

const ALARM = 'sal-writeback';
const LOCK = 'sal-bridge-writeback';

export interface WritebackServiceDeps {
  db: SalDatabase;
  now: () => number;
  random: () => number;
  /** The CRM writers (default: the real ones, on the browser's fetch, cookies and tabs). */
  writers?: Readonly<Record<WritebackCrm, CrmWriter>>;
  /** Called after a drain that changed a job's state (open panels refetch). */
  onChanged: (result: DrainResult) => void;
  /** One drain at a time; defaults to the Web Locks API. */
  runExclusive?: <T>(fn: () => Promise<T>) => Promise<T>;
}

export interface WritebackService {
  /** Sends the due write-backs now (or right after the running drain). */
  drain(options?: DrainOptions): Promise<DrainResult>;
}

/** The real writers: Salesforce on the rep's `sid` cookie, HubSpot on the stored token, Dynamics from the CRM's tab. */
export function defaultWriters(db: SalDatabase, now: () => number): Record<WritebackCrm, CrmWriter> {
  const fetchFn: typeof fetch = (...args) => fetch(...args);
  return {
    salesforce: createSalesforceWriter({
      fetch: fetchFn,
      now,
      // the org's my.salesforce.com session (HttpOnly in many orgs): read here, sent only to that host
      sessionId: async (origin) => (await browser.cookies.get({ url: origin, name: 'sid' }))?.value ?? null,
      // the OAuth fallback for orgs that refuse cookie sessions for the API
      oauth: { ...createSalesforceOAuthTokens({ db, fetch: fetchFn, now }), configured: async () => (await salesforceClientId(db)) !== null },
    }),
    hubspot: createHubSpotWriter({ fetch: fetchFn, now, token: async () => (await readKv(db, crmTokensKv)).hubspot }),
    dynamics: createDynamicsWriter({ pageFetch: fetchFromCrmTab, now }),
  };
}

/**
 * Dynamics' Web API takes the user's session from its own origin only: the request runs in a tab
 * of that origin, in our content script's ISOLATED world (the page's scripts cannot reach its
 * variables or its `fetch`). The page's origin can still answer for the API: a service worker the
 * CRM origin registered sees the request and could forge a reply. That origin is the CRM itself,
 * which holds the session anyway (SECURITY.md: out of scope).
 */
export const fetchFromCrmTab: PageFetch = async (origin, request) => {
  const tabs = await browser.tabs.query({ url: `${origin}/*` });
  const tab = tabs.find((t) => t.id !== undefined && t.status === 'complete') ?? tabs.find((t) => t.id !== undefined);
  if (tab?.id === undefined) return null;
  const [injected] = await browser.scripting.executeScript({ target: { tabId: tab.id }, world: 'ISOLATED', func: pageFetchInTab, args: [request] });
  return (injected?.result as PageFetchResponse | undefined) ?? null;
};

/** Runs in the CRM's tab (serialised by chrome.scripting: no closure, no import). */
async function pageFetchInTab(request: PageFetchRequest): Promise<PageFetchResponse> {
  const response = await fetch(request.path, { method: request.method, headers: request.headers, body: request.body, credentials: 'same-origin' });
  return { status: response.status, body: await response.text(), retryAfter: response.headers.get('retry-after') };
}

/**
 * The write-back worker: drains the queue one drain at a time. Everything it knows is in
 * IndexedDB, so the service worker may be stopped between or during drains (see queue.ts).
 */
export function createWritebackService(deps: WritebackServiceDeps): WritebackService {
  const exclusive = deps.runExclusive ?? (<T>(fn: () => Promise<T>) => navigator.locks.request(LOCK, fn) as Promise<T>);
  const writers = deps.writers ?? defaultWriters(deps.db, deps.now);
  return {
    async drain(options = {}) {
      const result = await exclusive(() => drainWritebacks({ db: deps.db, now: deps.now, random: deps.random, writers }, options));
      if (result.changed.size > 0) deps.onChanged(result);
      return result;
    },
  };
}

/**
 * When the queue is drained: at worker start, every 30 s (chrome.alarms, so a stopped worker is
 * woken for due retries), back online, and when the rep signs in to Salesforce again (a new
 * `sid` cookie on an org's my.salesforce.com host). Listeners are registered synchronously (MV3).
 */
export function setupWritebackTriggers(service: WritebackService): void {
  const drain = (options?: DrainOptions) => void service.drain(options).catch((e: unknown) => console.error('[sal-bridge] write-back', e));
  void browser.alarms.create(ALARM, { periodInMinutes: 0.5 });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === ALARM) drain();
  });
  browser.cookies.onChanged.addListener(({ removed, cookie }) => {
    if (!removed && cookie.name === 'sid' && /(^|\.)my\.salesforce\.com$/.test(cookie.domain)) drain({ signedIn: ['salesforce'] });
  });
  self.addEventListener('online', () => drain());
  drain();
}

/** The team's Salesforce connected app (definition or policy), or null when none is configured. */
async function salesforceClientId(db: SalDatabase): Promise<string | null> {
  return (await definitionInForce(db)).writeback?.salesforce?.oauth?.clientId ?? null;
}

export interface SalesforceConnectDeps {
  db: SalDatabase;
  now: () => number;
  fetch?: typeof fetch;
  /** chrome.identity.launchWebAuthFlow (interactive); resolves to the redirect URL. */
  launch?: (url: string) => Promise<string | undefined>;
  redirectUri?: () => string;
  /** The service drains with it after a connection (`signedIn: ['salesforce']`). */
  service: WritebackService;
}

/**
 * The options page's Salesforce connection requests. Only the options page may ask (the panel,
 * framed in a CRM page, never starts a sign-in window); the worker runs the window, exchanges the
 * code and keeps the tokens, and answers with no token. A new connection retries the jobs that
 * waited for it at once.
 */
export function createSalesforceConnectHandlers(deps: SalesforceConnectDeps): Pick<Handlers, 'app.salesforceConnections' | 'app.salesforceConnect' | 'app.salesforceDisconnect'> {
  const fromOptions = (sender: VerifiedSender) => sender.kind === 'extension' && sender.url.pathname === '/options.html';
  const redirectUri = deps.redirectUri ?? (() => browser.identity.getRedirectURL());
  const launch = deps.launch ?? ((url: string) => browser.identity.launchWebAuthFlow({ url, interactive: true }));
  return {
    async 'app.salesforceConnections'() {
      const [clientId, policy, connected, jobs] = await Promise.all([
        salesforceClientId(deps.db),
        policyInForce(deps.db),
        salesforceConnections(deps.db),
        deps.db.writebacks.where('state.kind').equals('sign_in').toArray(),
      ]);
      const waiting = new Set<string>();
      for (const job of jobs) {
        const origin = job.crm === 'salesforce' && job.state.kind === 'sign_in' && job.state.message === SALESFORCE_CONNECT_REQUIRED ? salesforceApiOrigin(job.pageUrl) : null;
        if (origin) waiting.add(origin);
      }
      return { clientId, byPolicy: policy.writeback !== undefined, redirectUri: redirectUri(), connected, waiting: [...waiting].sort() };
    },
    async 'app.salesforceConnect'(request, sender) {
      if (!fromOptions(sender)) return { ok: false, error: 'forbidden', message: 'only the options page connects an org' };
      const result = await connectSalesforce(
        { db: deps.db, fetch: deps.fetch ?? ((...args) => fetch(...args)), now: deps.now, launch, redirectUri: redirectUri() },
        request.org,
        await salesforceClientId(deps.db),
      );
      if (result.ok) void deps.service.drain({ signedIn: ['salesforce'] }).catch((e: unknown) => console.error('[sal-bridge] write-back', e));
      return result;
    },
    async 'app.salesforceDisconnect'(request, sender) {
      const origin = salesforceApiOrigin(request.org);
      if (!fromOptions(sender) || !origin) return { ok: false };
      await disconnectSalesforce(deps.db, origin);
      return { ok: true };
    },
  };
}
