/**
 * Where the page cost goes (issue 14): loads the Lightning lead page in bare browsers (none, ours,
 * the peer, optionally SAL_BENCH_CANDIDATE) with a DevTools trace of each load, and prints, per
 * variant, the thread time of the CRM page's renderer main thread by trace event (self time,
 * median over the loads), so what an extension adds shows up by kind: style recalc, layout,
 * paint, frame creation, script, IPC. Diagnostic only (no goal):
 *   npx tsx tests/bench/extension/page-trace.ts [loads] [large]
 * SAL_TRACE_CLASSES=1 adds the thread time by kind of task (`taskClass`); SAL_TRACE_TASKS=1
 * prints every task over 1 ms; SAL_TRACE_PROFILE=1 adds sampled JS self time (wall-clock
 * samples: on a loaded machine they follow descheduling more than work, read them as a rough
 * split only).
 */
import type { CDPSession, Page } from 'playwright-core';
import { DEFAULT_EXTENSION_PATH } from '../../e2e/harness/browser';
import { LIGHTNING_HOST, startSandbox } from '../../sandbox/server';
import { SANDBOX_LEADS } from '../../sandbox/leads';
import { launchBare, PEER_EXTENSION_PATH, type BareBrowser } from './launch-bare';
import { panelFrame } from './panel-visible';
import { median, sleep } from './stats';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { url?: string; frame?: string; frames?: Array<{ url?: string; processId?: number }> } };
}

const PROFILE = process.env.SAL_TRACE_PROFILE === '1';
const CATEGORIES = [
  ...(PROFILE ? ['disabled-by-default-v8.cpu_profiler'] : []),
  ...(process.env.SAL_TRACE_CATEGORIES?.split(',') ?? []),
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'toplevel',
  'blink',
  'v8.execute',
  'loading',
  'ipc',
  'mojom',
  'renderer.scheduler',
  'cc',
  'disabled-by-default-devtools.timeline.frame',
];

async function traced(page: Page, run: () => Promise<void>): Promise<TraceEvent[]> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES }, transferMode: 'ReportEvents' });
  await run();
  await cdp.send('Tracing.end');
  await done;
  return events;
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string; lineNumber?: number };
}

/** Sampled JS self time (ms) in the CRM page's process by function (`fn url:line`), keys prefixed 'js '. */
function jsSelfTimes(events: TraceEvent[], pid: number | undefined, out: Map<string, number>): void {
  const nodes = new Map<string, ProfileNode>();
  for (const e of events) {
    if (e.pid !== pid || e.name !== 'ProfileChunk') continue;
    const data = (e.args as { data?: { id?: string; cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] } }).data;
    const key = (id: number) => `${String((e as { id?: string }).id)}:${id}`;
    for (const n of data?.cpuProfile?.nodes ?? []) nodes.set(key(n.id), n);
    const samples = data?.cpuProfile?.samples ?? [];
    const deltas = data?.timeDeltas ?? [];
    samples.forEach((id, i) => {
      const n = nodes.get(key(id));
      // the innermost frame of an extension script on the stack: what our code costs, natives it calls included
      for (let p = n; p; p = p.parent === undefined ? undefined : nodes.get(key(p.parent))) {
        if (!p.callFrame.url?.startsWith('chrome-extension://')) continue;
        const k = `ext ${p.callFrame.functionName || '(anon)'} ${p.callFrame.url.replace(/^.*\//, '')}:${p.callFrame.lineNumber ?? ''}:${(p.callFrame as { columnNumber?: number }).columnNumber ?? ''}`;
        out.set(k, (out.get(k) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0) / 1000);
        break;
      }
      const f = n ? `js ${n.callFrame.functionName || '(anon)'} ${(n.callFrame.url ?? '').replace(/^.*\//, '')}:${n.callFrame.lineNumber ?? ''}` : 'js ?';
      out.set(f, (out.get(f) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0) / 1000);
    });
  }
}

/** Prints each top-level task over 1 ms of thread time: when (ms after the first ParseHTML), how long, and its largest descendants. */
function dumpTasks(main: TraceEvent[]): void {
  const t0 = main.find((e) => e.name === 'ParseHTML')?.ts ?? 0;
  const tree = process.env.SAL_TRACE_TREE;
  forEachTask(main, (task, kids) => {
    const after = Number(process.env.SAL_TRACE_AFTER ?? Infinity);
    if ((task.ts - t0) / 1000 > after && (task.tdur ?? 0) > 1000) process.stderr.write(`@${((task.ts - t0) / 1000).toFixed(0)}\n`);
    if ((Number.isFinite(after) ? (task.ts - t0) / 1000 > after && (task.tdur ?? 0) > 1000 : tree) && kids.some((k) => `${k.name}${k.args?.data?.url ?? ''}`.includes(tree ?? ''))) {
      const ends: number[] = [task.ts + (task.dur ?? 0)];
      for (const k of kids) {
        while (ends.length && ends[ends.length - 1]! <= k.ts) ends.pop();
        if ((k.tdur ?? 0) > Number(process.env.SAL_TRACE_MIN_US ?? 200))
          process.stderr.write(`${'  '.repeat(ends.length)}${k.name}${k.args?.data?.url ? `(${k.args.data.url.replace(/^.*\//, '').slice(0, 30)})` : ''} ${((k.tdur ?? 0) / 1000).toFixed(1)}\n`);
        ends.push(k.ts + (k.dur ?? 0));
      }
    }
    if ((task.tdur ?? 0) > 1000) {
      const top = kids
        .filter((k) => (k.tdur ?? 0) > 300)
        .map((k) => `${k.name}${k.args?.data?.url ? `(${k.args.data.url.replace(/^.*\//, '').slice(0, 30)})` : ''} ${((k.tdur ?? 0) / 1000).toFixed(1)}`)
        .slice(0, 8);
      process.stderr.write(`  @${((task.ts - t0) / 1000).toFixed(0)} ${((task.tdur ?? 0) / 1000).toFixed(1)} ms ${task.name}: ${top.join(', ')}\n`);
    }
  });
}

/** Calls `visit` with each top-level task of the main thread (in order) and the events that ran inside it. */
function forEachTask(main: readonly TraceEvent[], visit: (task: TraceEvent, kids: TraceEvent[]) => void): void {
  let end = -1;
  let task: TraceEvent | undefined;
  let kids: TraceEvent[] = [];
  for (const e of main) {
    if (e.ts >= end) {
      if (task) visit(task, kids);
      task = e;
      kids = [];
      end = e.ts + (e.dur ?? 0);
    } else kids.push(e);
  }
  if (task) visit(task, kids);
}

/**
 * What a top-level task of the CRM page's main thread was, from what ran inside it: an
 * extension's script (ours or the peer's; the CRM's own work in the same task is counted with
 * it), a rendering frame, a garbage collection, a child frame's creation or swap, a message
 * event, the microtasks run after an IPC reply (a content script's promise continuations), the
 * page's own script. With SAL_TRACE_CLASSES=1 each task's thread time is also added under
 * `class <kind>`, and rendering work under `class frame: <phase>`: what an extension adds then
 * shows up by kind rather than by event name (session 10: our additions were the document_start
 * injection, the adapter reply's and the header's microtasks, the panel frame's creation, a
 * scavenge, and frames; and, in some loads, the frame shrinking to the panel's loading line and
 * growing back).
 */
function taskClass(kids: TraceEvent[]): string {
  const has = (pred: (k: TraceEvent) => boolean) => kids.some(pred);
  const url = (k: TraceEvent) => k.args?.data?.url ?? '';
  if (has((k) => url(k).startsWith('chrome-extension://'))) return 'extension script';
  if (has((k) => k.name === 'WebLocalFrameImpl::createChildframe')) return 'child frame created';
  if (has((k) => k.name === 'ProxyMain::BeginMainFrame')) return 'frame';
  if (has((k) => k.name === 'MinorGC' || k.name === 'MajorGC')) return 'gc';
  if (has((k) => k.name === 'LocalFrame::PostMessageEvent')) return 'message event';
  if (has((k) => k.name === 'Frame::Detach')) return 'frame detached';
  if (has((k) => k.name === 'TimerFire' || k.name === 'EvaluateScript' || k.name === 'ParseHTML')) return 'page';
  if (has((k) => k.name === 'RunMicrotasks')) return 'microtasks after IPC';
  return 'other';
}

const FRAME_PHASES = ['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit'];

/** Self thread time (ms) by event name on the CRM page's renderer main thread, plus 'TOTAL' (all top-level tasks). */
function selfTimes(events: TraceEvent[]): Map<string, number> {
  const threadNames = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  // the CRM page's process: the one that parsed its HTML
  const pid = events.find((e) => e.name === 'ParseHTML' && (e.args as { beginData?: { url?: string } } | undefined)?.beginData?.url?.includes(LIGHTNING_HOST))?.pid;
  const main = events.filter((e) => e.pid === pid && threadNames.get(`${e.pid}:${e.tid}`) === 'CrRendererMain' && e.ph === 'X' && e.tdur !== undefined);
  main.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const out = new Map<string, number>();
  const stack: Array<{ e: TraceEvent; end: number; child: number }> = [];
  const close = (until: number) => {
    while (stack.length && stack[stack.length - 1]!.end <= until) {
      const s = stack.pop()!;
      const self = (s.e.tdur ?? 0) - s.child;
      const key = stack.length === 0 ? `[task] ${s.e.name}` : s.e.name;
      out.set(key, (out.get(key) ?? 0) + self / 1000);
      if (stack.length) stack[stack.length - 1]!.child += s.e.tdur ?? 0;
      else out.set('TOTAL', (out.get('TOTAL') ?? 0) + (s.e.tdur ?? 0) / 1000);
    }
  };
  for (const e of main) {
    close(e.ts);
    stack.push({ e, end: e.ts + (e.dur ?? 0), child: 0 });
  }
  close(Number.POSITIVE_INFINITY);
  if (process.env.SAL_TRACE_CLASSES === '1') {
    const add = (k: string, ms: number) => out.set(k, (out.get(k) ?? 0) + ms);
    forEachTask(main, (task, kids) => {
      const kind = taskClass(kids);
      add(`class ${kind}`, (task.tdur ?? 0) / 1000);
      if (kind === 'frame') for (const k of kids) if (FRAME_PHASES.includes(k.name)) add(`class frame: ${k.name}`, (k.tdur ?? 0) / 1000);
      if (kind === 'frame') add('class frame: count', 1);
    });
  }
  if (process.env.SAL_TRACE_TASKS === '1') dumpTasks(main);
  if (PROFILE) jsSelfTimes(events, pid, out);
  return out;
}

async function main(): Promise<void> {
  const loads = Number(process.argv[2]) || 5;
  const large = process.argv.includes('large');
  const sandbox = await startSandbox({ fieldDelayMs: 150 });
  const origin = sandbox.url(LIGHTNING_HOST, '').replace(/\/$/, '');
  const lead = SANDBOX_LEADS.filter((l) => !l.hostile)[0]!;
  const url = `${origin}/lightning/r/Lead/${lead.id15}/view${large ? '?sandboxLarge=1' : ''}`;
  const variants: Array<[string, string | null, ((p: Page) => Promise<void>) | undefined]> = [
    ['none', null, undefined],
    ['ours', DEFAULT_EXTENSION_PATH, async (p) => void (await panelFrame(p))],
    ['peer', PEER_EXTENSION_PATH, async (p) => void (await p.waitForSelector('#insext .insext-btn img', { state: 'attached', timeout: 15_000 }))],
  ];
  if (process.env.SAL_BENCH_CANDIDATE) variants.push(['candidate', process.env.SAL_BENCH_CANDIDATE, async (p) => void (await panelFrame(p))]);
  // SAL_TRACE_ONLY=ours,none: a subset of the variants
  const only = process.env.SAL_TRACE_ONLY?.split(',');
  if (only) variants.splice(0, variants.length, ...variants.filter(([v]) => only.includes(v)));
  const browsers: BareBrowser[] = [];
  try {
    for (const [, path] of variants) browsers.push(await launchBare(sandbox.port, path));
    const samples = variants.map(() => [] as Array<Map<string, number>>);
    for (let i = -1; i < loads; i++) {
      for (const [vi, [, , ready]] of variants.entries()) {
        const page = await browsers[vi]!.context.newPage();
        const events = await traced(page, async () => {
          await page.goto(url, { waitUntil: 'load' });
          await page.waitForSelector('.windowViewMode-normal.active records-lwc-highlights-panel', { state: 'visible', timeout: 15_000 });
          await ready?.(page);
          await sleep(800);
        });
        await page.close();
        if (i >= 0) samples[vi]!.push(selfTimes(events));
      }
      process.stderr.write(`load ${i + 1}/${loads}\n`);
    }
    const names = new Set(samples.flatMap((s) => s.flatMap((m) => [...m.keys()])));
    const med = (vi: number, n: string) => median(samples[vi]!.map((m) => m.get(n) ?? 0));
    const rows = [...names].map((n) => [n, ...variants.map((_, vi) => med(vi, n))] as const);
    rows.sort((a, b) => Math.abs((b[2] as number) - (b[1] as number)) - Math.abs((a[2] as number) - (a[1] as number)));
    console.log(['event', ...variants.map(([v]) => v)].join('\t'));
    const line = ([n, ...v]: (typeof rows)[number]) => console.log([n.padEnd(48), ...v.map((x) => (x as number).toFixed(1).padStart(7))].join('\t'));
    // the task classes first (SAL_TRACE_CLASSES=1), by name, then the event names that differ most
    rows
      .filter(([n]) => n.startsWith('class '))
      .sort(([a], [b]) => a.localeCompare(b))
      .forEach(line);
    rows
      .filter(([n]) => !n.startsWith('class '))
      .slice(0, 45)
      .forEach(line);
  } finally {
    await Promise.all(browsers.map((b) => b.close()));
    await sandbox.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`page-trace failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
