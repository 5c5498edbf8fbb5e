import { browser } from 'wxt/browser';
import type { PanelHeightMessage } from '../messaging/protocol';

const FRAME_ATTR = 'data-sal-bridge-panel';
// the panel's message (components/panel/PanelApp.tsx), declared in lib/messaging/protocol.ts
const HEIGHT_MESSAGE = 'sal-bridge:panel-height' satisfies PanelHeightMessage['type'];
/**
 * Frame height (CSS px) before the panel reports its own, and the bounds of what it may report.
 * The initial one is the shortest panel that shows a lead (one without a hand-off, in a record
 * page's full width): every change of it moves and repaints the CRM page below, so the first
 * guess is one a panel really has rather than a placeholder every panel outgrows.
 */
const INITIAL_HEIGHT = 336;
const MIN_HEIGHT = 80;
const MAX_HEIGHT = 2000;
/** How long the panel must stay shorter before the frame shrinks to it (ms). */
const SHRINK_AFTER_MS = 150;

/**
 * The panel's host in the CRM page: an iframe of the extension's panel page. React and all the
 * panel's data stay in the extension's origin; the page only gets this element. It is created
 * once per tab and moved between records on SPA navigation, so the panel does not reload.
 */
export interface PanelFrame {
  /** Places the frame right after `anchor` (in the page's flow: it never covers CRM controls). */
  showAfter(anchor: Element): void;
  hide(): void;
  remove(): void;
  readonly element: HTMLElement;
}

export function createPanelFrame(doc: Document, signal: AbortSignal): PanelFrame {
  const host = doc.createElement('div');
  host.setAttribute(FRAME_ATTR, '');
  // contain:strict with the height on the host: what happens inside (the frame's document being
  // swapped in, its paints) is laid out and painted on its own, not with the CRM page around it.
  // will-change:transform gives the host a compositing layer of its own: paint containment alone
  // still repaints the page's layer when the frame's document is swapped in and draws its first
  // frame; with its own layer only the host's is. Two side-by-side runs (SAL_BENCH_CANDIDATE)
  // put it 1.5-9 ms lower on the normal lead page and 6-24 ms on the large one.
  host.style.cssText = `display:none;margin:12px 0;contain:strict;will-change:transform;height:${INITIAL_HEIGHT}px`;
  const frame = doc.createElement('iframe');
  frame.src = browser.runtime.getURL('/panel.html');
  frame.title = 'SAL Bridge';
  frame.setAttribute('allowtransparency', 'true');
  frame.style.cssText = 'display:block;width:100%;height:100%;border:0;color-scheme:normal;background:transparent;';
  host.append(frame);

  // The panel page is loaded through its per-session dynamic URL (use_dynamic_url), but the
  // document inside runs in the extension's own origin: Chromium reports that one as the
  // message's origin. Accept either; the real guard is that the message comes from our frame.
  const panelOrigins = [new URL(frame.src).origin, new URL(browser.runtime.getURL('/')).origin];
  // Every change of the frame's height moves the CRM page below it: the browser lays out and
  // repaints all of it, at a cost that grows with the page. So a taller panel gets its height at
  // once (nothing is cut off), but a shorter one only once it has stayed shorter for a moment:
  // a panel can pass through a transient smaller height on its way to its lead (it no longer
  // reports its loading line at all: components/panel/PanelApp.tsx), and following it would move
  // the page twice for nothing.
  let height = INITIAL_HEIGHT;
  let shrink: ReturnType<typeof setTimeout> | undefined;
  const apply = (px: number) => {
    clearTimeout(shrink);
    shrink = undefined;
    if (px === height) return;
    height = px;
    host.style.height = `${px}px`;
  };
  // Only the height crosses this channel; it is bounded and anything else is ignored.
  const onMessage = (event: MessageEvent) => {
    if (event.source !== frame.contentWindow || !panelOrigins.includes(event.origin)) return;
    const data = event.data as { [K in keyof PanelHeightMessage]?: unknown } | null;
    if (data?.type !== HEIGHT_MESSAGE || typeof data.height !== 'number' || !Number.isFinite(data.height)) return;
    const px = Math.min(Math.max(Math.ceil(data.height), MIN_HEIGHT), MAX_HEIGHT);
    if (px >= height) apply(px);
    else {
      clearTimeout(shrink);
      shrink = setTimeout(() => apply(px), SHRINK_AFTER_MS);
    }
  };
  window.addEventListener('message', onMessage, { signal });
  signal.addEventListener('abort', () => clearTimeout(shrink));

  return {
    element: host,
    showAfter(anchor) {
      if (host.previousElementSibling !== anchor) {
        // moveBefore keeps the iframe's document alive (a plain re-insert reloads it);
        // on first placement or without support, insert normally.
        const parent = anchor.parentNode as (ParentNode & { moveBefore?: (node: Node, child: Node | null) => void }) | null;
        if (host.isConnected && parent?.moveBefore && host.ownerDocument === anchor.ownerDocument) parent.moveBefore(host, anchor.nextSibling);
        else anchor.after(host);
      }
      host.style.display = 'block';
    },
    hide() {
      host.style.display = 'none';
    },
    remove() {
      host.remove();
    },
  };
}

export const PANEL_HEIGHT_MESSAGE = HEIGHT_MESSAGE;
/** The panel's iframe in the CRM page (the background's focus shortcut looks it up: lib/background/commands.ts). */
export const PANEL_FRAME_SELECTOR = `[${FRAME_ATTR}] iframe`;
