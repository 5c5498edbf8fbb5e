import type { Frame, Page } from 'playwright-core';

/** The SAL Bridge panel's frame on a CRM page, once its iframe is visible (20 s at most). */
export async function panelOf(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('[data-sal-bridge-panel] iframe', { state: 'visible', timeout: 20_000 });
  const panel = await handle.contentFrame();
  if (!panel) throw new Error('panel iframe has no frame');
  return panel;
}
