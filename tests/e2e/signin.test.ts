import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { DEMO_TOKENS, freePort, startSyncServer, type RunningSyncServer } from './harness/sync-server';
import { pkcePair, startTestProvider, TEST_CLIENT_ID, type TestProvider } from '../sandbox/oidc-provider';
import { createTranslator } from '../../lib/i18n';

/**
 * Signing in without a pasted token, in Chromium with the built extension: an invitation link
 * opens the options page and signs the rep in with one click; an admin removes the rep and the
 * next sync shows "signed out"; single sign-on through chrome.identity.launchWebAuthFlow against
 * a real OpenID provider (node-oidc-provider) on loopback, as far as headless Chromium lets a test
 * reach (see the test).
 */
const SHOTS = resolve(process.cwd(), 'tests/artifacts/screenshots');
mkdirSync(SHOTS, { recursive: true });
const t = createTranslator('ja');

let provider: TestProvider;
let server: RunningSyncServer;
let browser: LaunchedBrowser;

const admin = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${DEMO_TOKENS.admin}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
};

async function syncNow(page: Page) {
  await page.getByRole('button', { name: t('sync.now') }).click();
}

beforeAll(async () => {
  provider = await startTestProvider({ accounts: { sato: { email: 'sato@example.co.jp', emailVerified: true, name: '佐藤 健' } } });
  server = await startSyncServer({ env: { SAL_OIDC_ISSUER: provider.issuer, SAL_OIDC_CLIENT_ID: TEST_CLIENT_ID }, startTimeoutMs: 120_000 });
  await admin('PUT', '/v1/admin/domains', { domains: ['example.co.jp'] });
  browser = await launchWithExtension({ sandboxPort: await freePort() });
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
  await provider?.close();
});

describe('sign-in in Chromium', () => {
  it('an invitation link signs the rep in with one click; removing the rep ends their sync with "signed out"', async () => {
    const created = (await admin('POST', '/v1/admin/invites', { name: '山田 太郎', role: 'rep' })) as { code: string };
    const page = await browser.context.newPage();
    await page.goto(`${browser.extensionUrl('options.html')}#${new URLSearchParams({ invite: created.code, server: server.url })}`);
    const invitation = page.getByTestId('signin-invite');
    await expect.poll(() => invitation.textContent()).toContain(server.url);
    await invitation.getByRole('button', { name: t('signin.invite.join') }).click();
    await expect.poll(() => page.getByTestId('signin-notice').textContent(), { timeout: 15_000 }).toBe(t('signin.signedIn', { user: '山田 太郎', team: 'Demo 株式会社' }));
    await expect.poll(() => page.getByTestId('sync-last').textContent(), { timeout: 30_000 }).not.toBe(t('sync.never'));
    await page.screenshot({ path: resolve(SHOTS, 'signin-invitation.png'), fullPage: true });

    // the same link a second time is refused, with the reason
    const again = await browser.context.newPage();
    await again.goto(`${browser.extensionUrl('options.html')}#${new URLSearchParams({ invite: created.code, server: server.url })}`);
    await again
      .getByTestId('signin-invite')
      .getByRole('button', { name: t('signin.invite.join') })
      .click();
    await expect.poll(() => again.getByTestId('signin-notice').textContent(), { timeout: 15_000 }).toBe(t('signin.error.invite_used'));
    await again.close();

    const { members } = (await admin('GET', '/v1/admin/members')) as { members: { id: string; name: string }[] };
    const yamada = members.find((m) => m.name === '山田 太郎')!;
    await admin('POST', '/v1/admin/members/revoke', { userId: yamada.id });
    await syncNow(page);
    await expect.poll(() => page.getByTestId('sync-error').textContent(), { timeout: 15_000 }).toBe(t('sync.signedOut'));
    await page.screenshot({ path: resolve(SHOTS, 'signin-signed-out.png'), fullPage: true });
    await page.close();
  });

  it('the handover page the admin sends opens from mail like any web page, and its address pasted into the options page signs the rep in', async () => {
    const created = (await admin('POST', '/v1/admin/invites', { name: '鈴木 花子', role: 'rep' })) as { code: string };
    const handover = await browser.context.newPage();
    await handover.goto(`${server.url}/join#${new URLSearchParams({ invite: created.code })}`);
    // the page shows its own address as the link to paste; the code never went to the server (fragment)
    await expect.poll(() => handover.locator('#link').textContent()).toBe(handover.url());
    expect(await handover.getByRole('button', { name: 'アドレスをコピー' }).isVisible()).toBe(true);
    await handover.screenshot({ path: resolve(SHOTS, 'signin-handover-page.png'), fullPage: true });
    const address = handover.url();
    await handover.close();

    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('options.html'));
    await page.getByLabel(t('signin.invite.paste')).fill(address);
    await page.getByRole('button', { name: t('signin.invite.join') }).click();
    await expect.poll(() => page.getByTestId('signin-notice').textContent(), { timeout: 15_000 }).toBe(t('signin.signedIn', { user: '鈴木 花子', team: 'Demo 株式会社' }));
    await page.close();
  });

  it('single sign-on: launchWebAuthFlow in headless Chromium, and the provider answering the extension redirect with a code', async () => {
    const authorizations: URL[] = [];
    provider.provider.use(async (ctx, next) => {
      if (ctx.path === '/auth') authorizations.push(new URL(ctx.href));
      await next();
    });
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('options.html'));
    const section = page.locator('section[aria-labelledby="signin-title"]');
    await section.locator('input[type="url"]').first().fill(server.url);
    await section.getByRole('button', { name: t('signin.sso') }).click();
    // Headless Debian Chromium does not open the flow's window here: launchWebAuthFlow rejects
    // without loading the provider's page (and a second call from a test hung instead), so the
    // options page says the sign-in was cancelled or refused, in the rep's words.
    await expect.poll(() => page.getByTestId('signin-notice').textContent(), { timeout: 30_000 }).toBe(t('signin.error.oidc_denied'));
    await page.screenshot({ path: resolve(SHOTS, 'signin-sso-headless.png'), fullPage: true });
    const pkce = pkcePair();
    const state = 'state-e2e-0123456789012345678901234567890123';
    const authorizeUrl = `${provider.issuer}/auth?${new URLSearchParams({
      client_id: TEST_CLIENT_ID,
      redirect_uri: `https://${browser.extensionId}.chromiumapp.org/`,
      response_type: 'code',
      scope: 'openid email profile',
      state,
      nonce: 'nonce-e2e-0123456789012345678901234567890123',
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    })}`;
    // the extension's request never reached the provider
    expect(authorizations).toEqual([]);

    // The rest of the flow as far as a browser takes it: the same kind of authorization request
    // (what lib/sync/session.ts builds) in a tab of this Chromium, the provider's login and
    // consent, then its redirect to the extension's chromiumapp.org URL with a code (the redirect
    // launchWebAuthFlow catches in a headed browser). The server's side of a code, and every
    // refusal, is tested against the same provider in tests/server/signin.test.ts.
    const tab = await browser.context.newPage();
    let redirected = '';
    await tab.route('https://*.chromiumapp.org/**', async (route) => {
      redirected = route.request().url();
      await route.fulfill({ status: 200, body: 'redirect caught' });
    });
    await tab.goto(authorizeUrl);
    await tab.locator('input[name="login"]').fill('sato');
    await tab.locator('input[name="password"]').fill('any');
    await tab.screenshot({ path: resolve(SHOTS, 'signin-provider-login.png') });
    await tab.locator('button[type="submit"]').click();
    await tab.locator('button[type="submit"]').click();
    await expect.poll(() => redirected, { timeout: 20_000 }).toMatch(/\.chromiumapp\.org\/\?/);
    const answer = new URL(redirected);
    expect(answer.host).toBe(`${browser.extensionId}.chromiumapp.org`);
    expect(answer.searchParams.get('code')).toBeTruthy();
    expect(answer.searchParams.get('state')).toBe(state);
    await tab.close();
    await page.close();
  });
});
