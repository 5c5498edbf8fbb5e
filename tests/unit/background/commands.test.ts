import { describe, expect, it, vi } from 'vitest';
import { FOCUS_PANEL_COMMAND, handleCommand, type CommandDeps } from '../../../lib/background/commands';

function fakes(over: Partial<CommandDeps> = {}): CommandDeps & { focusPanelIn: ReturnType<typeof vi.fn> } {
  return { activeTabId: vi.fn(async () => 7), focusPanelIn: vi.fn(async () => true), ...over } as CommandDeps & { focusPanelIn: ReturnType<typeof vi.fn> };
}

describe('the focus-panel shortcut', () => {
  it('focuses the panel in the tab the shortcut was pressed in', async () => {
    const deps = fakes();
    expect(await handleCommand(FOCUS_PANEL_COMMAND, 3, deps)).toBe(true);
    expect(deps.focusPanelIn).toHaveBeenCalledWith(3);
  });

  it('without a tab from Chrome, uses the active tab', async () => {
    const deps = fakes();
    await handleCommand(FOCUS_PANEL_COMMAND, undefined, deps);
    expect(deps.focusPanelIn).toHaveBeenCalledWith(7);
  });

  it('does nothing for another command, and a page it cannot script (no panel, chrome:// page) is left alone without an error', async () => {
    const deps = fakes({ focusPanelIn: vi.fn(async () => Promise.reject(new Error('Cannot access a chrome:// URL'))) });
    expect(await handleCommand('something-else', 3, deps)).toBe(false);
    expect(deps.focusPanelIn).not.toHaveBeenCalled();
    await expect(handleCommand(FOCUS_PANEL_COMMAND, 3, deps)).resolves.toBe(false);
  });
});
