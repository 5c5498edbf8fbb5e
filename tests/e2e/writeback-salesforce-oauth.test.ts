import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startSandbox, LIGHTNING_HOST, type Sandbox } from '../sandbox/server';
import { SANDBOX_SALESFORCE_CLIENT_ID } from '../sandbox/crm-api';
import { SANDBOX_LEADS } from '../sandbox/leads';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { seed } from './harness/extension-db';
import { panelOf } from './harness/panel';
import { sandboxFetch } from '../unit/writeback/sandbox-fetch';
import { DEFAULT_DEFINITION, type SalDefinition } from '../../lib/domain/definition';
import { salesforceAuthorization } from '../../lib/writeback/salesforce-oauth';
import { handedOver } from '../unit/domain/builders';

/**
 * Write-back to a Salesforce org with API Access Control (it refuses the rep's cookie session for
 * the REST API), end to end in Chromium: the panel asks to connect the org, the options page lists
 * it, and once connected (OAuth 2.0 + PKCE with the team's connected app) 再試行 writes the record.
 * Headless Chromium cannot complete chrome.identity.launchWebAuthFlow (it opens no window), so the
 * connection is made as far as a browser takes it: the same authorization request in a tab of
 * this browser, with the rep's org session, up to the org's redirect to the extension's
 * chromiumapp.org URL with a code; the code is exchanged at the org's token endpoint and the
 * tokens stored where the worker keeps them. The worker's own exchange and refresh are tested
 * against the same sandbox in tests/unit/writeback/salesforce-oauth.test.ts.
 */
const lead = SANDBOX_LEADS[3]!;
const ORG = 'https://acme.my.salesforce.com';
const DEFINITION: SalDefinition = {
  ...DEFAULT_DEFINITION,
  writeback: { salesforce: { on: { accepted: { Status: { value: 'Working - Contacted' } } }, oauth: { clientId: SANDBOX_SALESFORCE_CLIENT_ID } } },
};

let sandbox: Sandbox;
let rep: LaunchedBrowser;
const leadUrl = () => sandbox.url(LIGHTNING_HOST, `/lightning/r/Lead/${lead.id15}/view`);

beforeAll(async () => {
  sandbox = await startSandbox();
  sandbox.crm.salesforceCookieApiRefused = true;
  rep = await launchWithExtension({ sandboxPort: sandbox.port });
  await seed(rep, [handedOver({ at: new Date(Date.now() - 3600_000), leadKey: `salesforce:${lead.id}` })], { activeDefinition: DEFINITION });
});

afterAll(async () => {
  await rep?.close();
  await sandbox?.close();
});

describe('write-back to a Salesforce org that refuses cookie sessions for the API', () => {
  let page: Page;

  it('受領: the panel asks to connect Salesforce in the options page; the options page lists the org with the callback to register', async () => {
    page = await rep.context.newPage();
    await page.goto(sandbox.url('acme.my.salesforce.com', `/__sandbox/login?next=${encodeURIComponent(leadUrl())}`));
    const panel = await panelOf(page);
    await expect.poll(() => panel.getByTestId('lead-status').textContent(), { timeout: 20_000 }).toBe('受領待ち');
    await panel.getByRole('button', { name: '受領' }).click();
    const line = panel.locator('.sal-writeback__item').last();
    await expect.poll(() => line.getAttribute('data-writeback-state'), { timeout: 15_000 }).toBe('sign_in');
    expect(await line.getByRole('alert').textContent()).toContain('オプションページの「Salesforce への接続」でこの組織に接続すると反映します');
    expect(sandbox.crm.salesforce.get(lead.id)?.fields.Status).toBe(lead.status);

    const options = await rep.context.newPage();
    await options.goto(rep.extensionUrl('options.html'));
    const section = options.getByTestId('salesforce-connect');
    await expect.poll(() => section.textContent(), { timeout: 20_000 }).toContain(ORG);
    expect(await section.textContent()).toContain(`接続アプリケーションのコールバック URL: https://${rep.extensionId}.chromiumapp.org/`);
    expect(await section.getByRole('group').getByRole('button', { name: 'Salesforce に接続' }).isEnabled()).toBe(true);
    await options.close();
  });

  it('connected with the team’s app, 再試行 writes the record with the OAuth token', async () => {
    // the authorization request the worker makes, in a tab holding the rep's org session
    const redirectUri = `https://${rep.extensionId}.chromiumapp.org/`;
    const auth = await salesforceAuthorization(ORG, SANDBOX_SALESFORCE_CLIENT_ID, redirectUri);
    const tab = await rep.context.newPage();
    let redirected = '';
    // the org's 302 to chromiumapp.org is what launchWebAuthFlow catches; here the browser tries to
    // load it (a host that does not resolve in the test) and the request is seen on its way
    tab.on('request', (request) => {
      if (request.url().startsWith(redirectUri)) redirected = request.url();
    });
    await tab.goto(auth.url).catch(() => undefined);
    await expect.poll(() => redirected, { timeout: 20_000 }).toContain(redirectUri);
    const answer = new URL(redirected).searchParams;
    expect(answer.get('state')).toBe(auth.state);
    await tab.close();
    // the code exchange, as the worker makes it (PKCE verifier, same redirect URI)
    const token = await sandboxFetch(sandbox)(`${ORG}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: answer.get('code')!,
        client_id: SANDBOX_SALESFORCE_CLIENT_ID,
        redirect_uri: redirectUri,
        code_verifier: auth.codeVerifier,
      }).toString(),
    });
    expect(token.status).toBe(200);
    const tokens = (await token.json()) as { access_token: string; refresh_token: string; instance_url: string };
    await seed(rep, [], {
      salesforceOAuth: {
        [ORG]: {
          clientId: SANDBOX_SALESFORCE_CLIENT_ID,
          accessToken: tokens.access_token,
          refreshToken: tokens.refresh_token,
          instanceUrl: tokens.instance_url,
          connectedAt: Date.now(),
          refreshedAt: null,
        },
      },
    });

    const panel = await panelOf(page);
    const line = panel.locator('.sal-writeback__item').last();
    await line.getByRole('button', { name: '再試行' }).click();
    await expect.poll(() => line.getAttribute('data-writeback-state'), { timeout: 20_000 }).toBe('reflected');
    expect(sandbox.crm.salesforce.get(lead.id)?.fields.Status).toBe('Working - Contacted');

    const options = await rep.context.newPage();
    await options.goto(rep.extensionUrl('options.html'));
    const connected = options.getByTestId('salesforce-connect').getByRole('list', { name: '接続済みの組織' });
    await expect.poll(() => connected.textContent(), { timeout: 20_000 }).toContain(ORG);
    // no token on the page
    expect(await options.content()).not.toContain(tokens.access_token);
    await options.close();
  });
});
