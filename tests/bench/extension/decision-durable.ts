import type { BrowserContext } from 'playwright-core';
import { panelFrame, type SpaLead } from './panel-visible';
import { median, pageScript, percentile, progress, sleep } from './stats';

/** User Timing marks the background sets while recording a decision (lib/background/lead-service.ts RECORD_MARKS). */
const STEPS = ['sal:record:start', 'sal:record:context', 'sal:record:validated', 'sal:record:committed'];

/**
 * Click → event committed in IndexedDB (`decision_durable_p95_ms`), measured from outside the
 * writer: the panel frame timestamps the trusted click on 受領 (capture phase, Date.now()), and
 * a separate extension page (another renderer process, so it does not compete with the service
 * worker that writes) reads the `events` store's count in back-to-back read-only transactions
 * until it grows; a committed transaction is the first moment another reader can see the row.
 * Resolution is one IndexedDB round trip (well under 1 ms here). So each sample covers: the
 * panel's click handler and React mutation, the runtime message to the service worker (router:
 * zod parse, sender check), the `panel.record` handler (the tab's lead, actor and definition,
 * event validation) and the IndexedDB transaction until its commit is visible to another reader.
 * Profile (stderr only): the background's User Timing marks of each decision, as ms after the
 * click, medians over the decisions (`start` = panel + messaging + router).
 */
export async function measureDecisionDurable(
  context: BrowserContext,
  origin: string,
  extensionUrl: (path: string) => string,
  leads: readonly SpaLead[],
): Promise<{ p50: number; p95: number; samples: number[] }> {
  const poller = await context.newPage();
  // any document in the extension's origin can open its database; this one runs no code of ours
  await poller.goto(extensionUrl('manifest.json'));
  const page = await context.newPage();
  await page.goto(`${origin}/lightning/r/Lead/${leads[0]!.id15}/view`);
  let frame = await panelFrame(page);
  const samples: number[] = [];
  const profile: Record<string, number[]> = {};
  for (const [i, lead] of leads.entries()) {
    if (i > 0) {
      await page.evaluate(pageScript((p: string) => (window as unknown as { __sandbox: { navigate(u: string): void } }).__sandbox.navigate(p), `/lightning/r/Lead/${lead.id15}/view`));
      frame = await panelFrame(page);
    }
    await frame.waitForSelector(`[data-lead-ready="salesforce:${lead.id}"]`, { timeout: 10_000 });
    // a handed-over lead offers 受領; one never handed over offers the sales-originated registration
    const accept = frame.getByRole('button', { name: /^(受領|Accept|営業起点 SAL として登録|Register as a sales-originated SAL)$/ }).first();
    await accept.waitFor({ state: 'visible', timeout: 10_000 });
    // the sales-originated form needs its signal (ABM, intent, …) chosen before it records
    const signal = frame.locator('form.sal-form select').first();
    if ((await signal.count()) > 0) await signal.selectOption({ index: 1 });
    await frame.evaluate(pageScript(() => {
      const w = window as unknown as { __clickAt?: number; __clickProbe?: boolean };
      w.__clickAt = undefined;
      if (w.__clickProbe) return;
      w.__clickProbe = true;
      window.addEventListener('click', (e) => { if (e.isTrusted) w.__clickAt = Date.now(); }, true);
    }));
    const before = (await poller.evaluate(pageScript(countEvents))) as number;
    const committed = poller.evaluate(pageScript(waitForCount, before + 1)) as Promise<number>;
    await accept.click();
    const committedAt = await committed;
    const clickAt = (await frame.evaluate(pageScript(() => (window as unknown as { __clickAt?: number }).__clickAt))) as number | undefined;
    if (clickAt === undefined) throw new Error('the click on 受領 was not seen in the panel frame');
    samples.push(committedAt - clickAt);
    for (const [name, at] of await backgroundMarks(context)) (profile[name] ??= []).push(at - clickAt);
    if ((i + 1) % 5 === 0) progress(`decision ${i + 1}/${leads.length}: last ${committedAt - clickAt} ms`);
    await sleep(150);
  }
  await page.close();
  await poller.close();
  const steps = STEPS.filter((s) => profile[s]).map((s) => `${s.replace('sal:record:', '')} +${median(profile[s]!).toFixed(1)}`);
  progress(`decision profile (median ms after the click, background marks): ${steps.join(', ')}; committed (seen by reader) +${median(samples).toFixed(1)}`);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), samples };
}

/** The last decision's marks in the service worker, as epoch ms (comparable with the frame's Date.now()). */
async function backgroundMarks(context: BrowserContext): Promise<Array<[string, number]>> {
  const worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  if (!worker) return [];
  return (await worker.evaluate(
    pageScript(
      (names: string[]) =>
        performance
          .getEntriesByType('mark')
          .filter((m) => names.includes(m.name))
          .map((m) => [m.name, performance.timeOrigin + m.startTime]),
      STEPS,
    ),
  )) as Array<[string, number]>;
}

// The two functions below run in the poller page (serialised by Playwright): no closures.
async function countEvents(): Promise<number> {
  const db: IDBDatabase = await new Promise((resolve, reject) => {
    const req = indexedDB.open('sal-bridge');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const n: number = await new Promise((resolve, reject) => {
    const req = db.transaction('events', 'readonly').objectStore('events').count();
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  db.close();
  return n;
}

async function waitForCount(target: number): Promise<number> {
  const db: IDBDatabase = await new Promise((resolve, reject) => {
    const req = indexedDB.open('sal-bridge');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const deadline = Date.now() + 10_000;
  // chained requests, no timers: a background tab's timers are throttled
  const at: number = await new Promise((resolve, reject) => {
    const poll = () => {
      const req = db.transaction('events', 'readonly').objectStore('events').count();
      req.onsuccess = () => {
        if (req.result >= target) resolve(Date.now());
        else if (Date.now() > deadline) reject(new Error('no event committed within 10 s'));
        else poll();
      };
      req.onerror = () => reject(req.error);
    };
    poll();
  });
  db.close();
  return at;
}
