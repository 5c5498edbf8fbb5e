import type { LaunchedBrowser } from '../../e2e/harness/browser';
import { seed } from '../../e2e/harness/extension-db';
import type { Sandbox } from '../../sandbox/server';
import { DEFAULT_DEFINITION } from '../../../lib/domain/definition';
import { handedOver } from '../../unit/domain/builders';
import { panelFrame, type SpaLead } from './panel-visible';
import { pageScript, percentile, progress, sleep } from './stats';

/**
 * Click → the CRM's 2xx (`writeback_p95_ms`, goal ≤ 1,000 ms): the panel frame timestamps the
 * trusted click on 受領; the sandbox's Salesforce REST API stamps the 204 it sends for that lead's
 * PATCH (both wall-clock ms on this machine). Each sample covers the decision (as in
 * decision-durable.ts), the write-back queued in its transaction, the worker's drain (reading the
 * rep's `sid` cookie) and the PATCH over loopback TLS. The leads are handed over (seeded as a pull
 * would store them) so 受領 is offered, and the team's definition maps 受領 to Lead Status.
 */
export async function measureWriteback(browser: LaunchedBrowser, sandbox: Sandbox, origin: string, leads: readonly SpaLead[]): Promise<{ p50: number; p95: number; samples: number[] }> {
  await seed(
    browser,
    leads.map((l) => handedOver({ at: new Date(Date.now() - 3600_000), leadKey: `salesforce:${l.id}` })),
    { activeDefinition: { ...DEFAULT_DEFINITION, writeback: { salesforce: { on: { accepted: { Status: { value: 'Working - Contacted' } } } } } } },
  );
  const page = await browser.context.newPage();
  // the rep's session on the org's my.salesforce.com host, as a sign-in leaves it
  await page.goto(sandbox.url('acme.my.salesforce.com', `/__sandbox/login?next=${encodeURIComponent(`${origin}/lightning/r/Lead/${leads[0]!.id15}/view`)}`));
  let frame = await panelFrame(page);
  const samples: number[] = [];
  for (const [i, lead] of leads.entries()) {
    if (i > 0) {
      await page.evaluate(pageScript((p: string) => (window as unknown as { __sandbox: { navigate(u: string): void } }).__sandbox.navigate(p), `/lightning/r/Lead/${lead.id15}/view`));
      frame = await panelFrame(page);
    }
    await frame.waitForSelector(`[data-lead-ready="salesforce:${lead.id}"]`, { timeout: 10_000 });
    const accept = frame.getByRole('button', { name: /^(受領|Accept)$/ }).first();
    await accept.waitFor({ state: 'visible', timeout: 10_000 });
    await frame.evaluate(
      pageScript(() => {
        const w = window as unknown as { __clickAt?: number; __clickProbe?: boolean };
        w.__clickAt = undefined;
        if (w.__clickProbe) return;
        w.__clickProbe = true;
        window.addEventListener('click', (e) => e.isTrusted && (w.__clickAt = performance.timeOrigin + performance.now()), true);
      }),
    );
    await accept.click();
    const deadline = Date.now() + 10_000;
    let write = sandbox.crm.writes.find((w) => w.id === lead.id);
    while (!write) {
      if (Date.now() > deadline) throw new Error(`write-back ${i + 1}: the sandbox got no PATCH for ${lead.id} within 10 s`);
      await sleep(20);
      write = sandbox.crm.writes.find((w) => w.id === lead.id);
    }
    const clickAt = (await frame.evaluate(pageScript(() => (window as unknown as { __clickAt?: number }).__clickAt))) as number | undefined;
    if (clickAt === undefined) throw new Error('the click on 受領 was not seen in the panel frame');
    samples.push(write.at - clickAt);
    if ((i + 1) % 5 === 0) progress(`write-back ${i + 1}/${leads.length}: last ${(write.at - clickAt).toFixed(0)} ms`);
    await sleep(150);
  }
  await page.close();
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), samples };
}
