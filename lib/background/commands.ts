import { browser } from 'wxt/browser';
import { PANEL_FRAME_SELECTOR } from '../content/panel-frame';
import { FOCUS_PANEL_COMMAND } from '../messaging/commands';

// declared outside the worker (extension pages name them too); re-exported for wxt.config.ts and tests
export { FOCUS_PANEL_COMMAND, FOCUS_PANEL_KEYS } from '../messaging/commands';

/**
 * Runs in the CRM page (isolated world, by `scripting.executeScript`): focuses the panel's
 * frame, which hands focus to the panel's first control (components/panel/PanelApp.tsx).
 * Self-contained, as injected functions must be. Returns whether a visible panel was there.
 */
export function focusPanelFrame(selector: string): boolean {
  const frame = document.querySelector<HTMLIFrameElement>(selector);
  if (!frame || frame.getClientRects().length === 0) return false;
  frame.scrollIntoView({ block: 'nearest' });
  frame.focus();
  return true;
}

export interface CommandDeps {
  /** The tab the shortcut was pressed in (Chrome passes it; else the active tab of the current window). */
  activeTabId(): Promise<number | undefined>;
  /** Runs `focusPanelFrame` in the tab's top frame; resolves to its result. */
  focusPanelIn(tabId: number): Promise<boolean>;
}

const browserDeps: CommandDeps = {
  async activeTabId() {
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    return tab?.id;
  },
  async focusPanelIn(tabId) {
    // the shortcut grants activeTab; the CRM hosts are in host_permissions anyway
    const [result] = await browser.scripting.executeScript({ target: { tabId }, func: focusPanelFrame, args: [PANEL_FRAME_SELECTOR] });
    return result?.result === true;
  },
};

/**
 * Handles one `commands` event. Only ours is acted on; a tab without a panel (not a lead
 * page, a page we cannot script) is left as it is. Never throws.
 */
export async function handleCommand(command: string, tabId: number | undefined, deps: CommandDeps = browserDeps): Promise<boolean> {
  if (command !== FOCUS_PANEL_COMMAND) return false;
  try {
    const id = tabId ?? (await deps.activeTabId());
    return id === undefined ? false : await deps.focusPanelIn(id);
  } catch {
    return false;
  }
}

/** Wires the keyboard shortcuts of the manifest's `commands` (synchronously, at service worker start). */
export function setupCommands(deps: CommandDeps = browserDeps): void {
  browser.commands.onCommand.addListener((command, tab) => {
    void handleCommand(command, tab?.id, deps);
  });
}
