/**
 * The keyboard command the manifest declares (wxt.config.ts), the service worker handles
 * (lib/background/commands.ts) and the panel names in its help (components/panel/ShortcutHelp.tsx):
 * declared here, outside the worker, so extension pages need no service-worker module.
 */

/** The `commands` entry that moves keyboard focus from the CRM page into the panel. */
export const FOCUS_PANEL_COMMAND = 'focus-panel';

/**
 * Its suggested keys: Alt+Shift+K is not a Chrome shortcut and not among the CRMs' documented
 * ones we know of (Salesforce Lightning's start with Ctrl/Cmd+/ or are single keys); on macOS
 * Option+Shift+K types a character, so Ctrl+Shift+K there. A rep whose CRM claims it reassigns
 * it at chrome://extensions/shortcuts; the panel's help shows the keys actually assigned.
 */
export const FOCUS_PANEL_KEYS = { default: 'Alt+Shift+K', mac: 'MacCtrl+Shift+K' } as const;
