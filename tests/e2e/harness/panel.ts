import type { Frame, Page } from 'playwright-core';
import { expect } from 'vitest';

/** The SAL Bridge panel's frame on a CRM page, once its iframe is visible (20 s at most). */
export async function panelOf(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('[data-sal-bridge-panel] iframe', { state: 'visible', timeout: 20_000 });
  const panel = await handle.contentFrame();
  if (!panel) throw new Error('panel iframe has no frame');
  return panel;
}

/**
 * Waits until the panel's frame fits the whole panel (within 4 px): the panel reports its height
 * once its lead is rendered, and the frame follows a moment later. A screenshot taken before shows
 * the panel cut at the frame's initial height. Returns the frame's height.
 */
export async function panelFitted(page: Page, panel: Frame): Promise<number> {
  const frameHeight = () => page.locator('[data-sal-bridge-panel] iframe').evaluate((f) => f.getBoundingClientRect().height);
  const panelHeight = () => panel.evaluate(() => document.getElementById('root')!.getBoundingClientRect().height);
  await expect.poll(async () => Math.abs((await frameHeight()) - (await panelHeight())), { timeout: 10_000 }).toBeLessThanOrEqual(4);
  return frameHeight();
}
