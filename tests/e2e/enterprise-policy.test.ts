import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, LIGHTNING_HOST, type Sandbox } from '../sandbox/server';
import { NAMED_LEADS, fillerLeads, leadDisplayName, type SandboxLead } from '../sandbox/leads';
import { HUBSPOT_HOST, hubSpotContactPath } from '../sandbox/hubspot';
import { CHROMIUM_PATH, launchWithExtension, type LaunchedBrowser } from './harness/browser';
import { panelOf } from './harness/panel';
import { EXTENSION_ID } from '../../lib/protocol/extension-id';

/**
 * IT's policy as Chromium really delivers it: a managed policy file with the extension's settings
 * under `3rdparty.extensions.<id>`, read by Chromium from /etc/chromium/policies/managed/ (there
 * is no switch to point a release build elsewhere). So that the policy reaches only the Chromium
 * this test starts, and not the other e2e suites running on the machine, the browser runs in a
 * private mount namespace (`unshare --mount`, root) where a temporary directory is bind-mounted
 * over /etc/chromium: nothing is written to the real /etc.
 * Without unshare (not root, or no mount namespaces) the suite is skipped, and says so.
 */

const POLICY_URL = 'https://sal.policy-e2e.example.co.jp';
const [yamada] = NAMED_LEADS as [SandboxLead];
/** IT's settings for SAL Bridge: the server, the CRMs, and the team's hand-off rule and write-back mapping. */
const MANAGED = {
  serverUrl: POLICY_URL,
  signInMethod: 'token',
  builtInCrms: ['salesforce'],
  lockedSettings: ['language'],
  handoffRules: { 'salesforce-lightning': { field: 'status', values: ['Open - Not Contacted'] } },
  writeback: {
    salesforce: { on: { accepted: { Status: { value: 'Working - Contacted' }, SAL_Accepted_Date__c: { from: 'date' } } } },
    // a number has its own key in a policy (Chrome drops a value of another type than the schema's)
    dynamics: { on: { accepted: { statecode: { number: 0 }, statuscode: { number: 2 } } } },
  },
};

function canUnshare(): boolean {
  try {
    execFileSync('unshare', ['--mount', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const isolated = canUnshare();
if (!isolated) console.warn('[enterprise-policy] skipped: needs `unshare --mount` (root) to give Chromium a policy of its own');

let dir: string;
let sandbox: Sandbox;
let b: LaunchedBrowser;

beforeAll(async () => {
  if (!isolated) return;
  dir = mkdtempSync(join(tmpdir(), 'sal-bridge-policy-'));
  // the /etc/chromium this Chromium sees: the real one's files, plus our policy
  const etc = join(dir, 'etc-chromium');
  mkdirSync(join(etc, 'policies/managed'), { recursive: true });
  if (existsSync('/etc/chromium/master_preferences')) copyFileSync('/etc/chromium/master_preferences', join(etc, 'master_preferences'));
  const policy = { '3rdparty': { extensions: { [EXTENSION_ID]: MANAGED } } };
  writeFileSync(join(etc, 'policies/managed/sal-bridge-e2e.json'), JSON.stringify(policy));
  const wrapper = join(dir, 'chromium-with-policy');
  // $0 of the inner shell is the directory to mount; the browser's arguments follow unchanged
  writeFileSync(wrapper, `#!/bin/sh\nexec unshare --mount --propagation private sh -c 'mount --bind "$0" /etc/chromium && exec "${CHROMIUM_PATH}" "$@"' "${etc}" "$@"\n`);
  chmodSync(wrapper, 0o755);
  sandbox = await startSandbox();
  b = await launchWithExtension({ sandboxPort: sandbox.port, executablePath: wrapper });
});

afterAll(async () => {
  await b?.close();
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!isolated)('enterprise policy (managed storage from a Chromium policy file)', () => {
  it('a lead page opened as the browser starts, before Chromium’s policy service answers, is still handed over by the policy’s rule; the policy is remembered for the next start', async () => {
    // first thing after the start: Chromium answers storage.managed only once its policy
    // service has loaded (about 2 s); the page's read goes on without it and is judged again then
    const [early] = fillerLeads(1) as [SandboxLead];
    const page = await b.context.newPage();
    await page.goto(sandbox.url(LIGHTNING_HOST, `/lightning/r/Lead/${early.id15}/view`));
    const panel = await panelOf(page);
    await expect.poll(() => panel.getByTestId('lead-status').textContent(), { timeout: 20_000 }).toBe('受領待ち');
    const remembered = () =>
      b.serviceWorker!.evaluate(
        () =>
          new Promise((resolve, reject) => {
            const open = indexedDB.open('sal-bridge');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const get = open.result.transaction('kv').objectStore('kv').get('lastPolicy');
              get.onsuccess = () => resolve((get.result as { value?: unknown } | undefined)?.value ?? null);
              get.onerror = () => reject(get.error);
            };
          }),
      );
    await expect.poll(remembered, { timeout: 20_000 }).toEqual(MANAGED);
    await page.close();
  });

  it('Chromium hands the policy to the extension as storage.managed, and only inside this browser', async () => {
    const managed = await b.serviceWorker!.evaluate(() => (globalThis as unknown as { chrome: { storage: { managed: { get(): Promise<unknown> } } } }).chrome.storage.managed.get());
    // every value passed Chromium's check against public/managed_schema.json (one that fails is not published)
    expect(managed).toEqual(MANAGED);
    expect(existsSync('/etc/chromium/policies/managed/sal-bridge-e2e.json')).toBe(false);
  });

  it('options: the server URL is the policy one, disabled, with the note read with it; the language is locked too', async () => {
    const options = await b.context.newPage();
    await options.goto(b.extensionUrl('options.html'));
    const url = options.getByLabel('サーバーURL');
    await expect.poll(() => url.inputValue(), { timeout: 20_000 }).toBe(POLICY_URL);
    expect(await url.isDisabled()).toBe(true);
    const described = await url.evaluate((el) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' '),
    );
    expect(described).toBe('組織のポリシーで設定されています');
    expect(await options.getByRole('radio', { name: /ローカルモード/ }).isDisabled()).toBe(true);
    expect(await options.getByLabel('表示言語').isDisabled()).toBe(true);
    expect(await options.getByTestId('policy-summary').textContent()).toContain('使用する CRM: Salesforce');
    // the hand-off rules are the policy's, shown with its note and not editable; the write-back is named as set by policy
    const rules = options.getByTestId('handoff-rules');
    await expect.poll(() => rules.textContent(), { timeout: 20_000 }).toContain('組織のポリシーで設定されています');
    expect(await rules.textContent()).toContain('リード状況 (Lead Status) が「Open - Not Contacted」のいずれか');
    expect(await options.getByRole('button', { name: 'ルールを適用' }).count()).toBe(0);
    expect(await options.getByTestId('policy-writeback').count()).toBe(1);
    await options.close();
  });

  it('the policy’s hand-off rule makes a matching lead 受領待ち, and 受領 is written back with the policy’s mapping', async () => {
    const page = await b.context.newPage();
    // the rep's Salesforce session (the sid cookie write-back uses), then the lead, handed over by no one yet
    await page.goto(sandbox.url('acme.my.salesforce.com', `/__sandbox/login?next=${encodeURIComponent(sandbox.url(LIGHTNING_HOST, `/lightning/r/Lead/${yamada.id15}/view`))}`));
    const panel = await panelOf(page);
    await expect.poll(() => panel.getByTestId('lead-status').textContent(), { timeout: 20_000 }).toBe('受領待ち');
    await panel.getByRole('button', { name: '受領' }).click();
    const line = panel.locator('.sal-writeback__item').last();
    await expect.poll(() => line.getAttribute('data-writeback-state'), { timeout: 20_000 }).toBe('reflected');
    expect(sandbox.crm.salesforce.get(yamada.id)?.fields).toMatchObject({ Status: 'Working - Contacted', SAL_Accepted_Date__c: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    await page.close();
  });

  it('a CRM the policy turned off gets no panel on its page; the one it left on does', async () => {
    const on = await b.context.newPage();
    await on.goto(sandbox.url(LIGHTNING_HOST, `/lightning/r/Lead/${yamada.id15}/view`));
    await panelOf(on);
    await on.close();

    const off = await b.context.newPage();
    await off.goto(sandbox.url(HUBSPOT_HOST, hubSpotContactPath(yamada)));
    // the record is on screen (the CRM's own app rendered), and stays without our panel
    await off.getByText(leadDisplayName(yamada)).first().waitFor({ timeout: 20_000 });
    await off.waitForTimeout(3000);
    expect(await off.locator('[data-sal-bridge-panel]').count()).toBe(0);
    await off.close();
  });
});
