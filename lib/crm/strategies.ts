import { deepText } from './dom';
import type { LeadField, LeadRead } from './types';

// Helpers of the strategy interpreter (lib/crm/interpret.ts), which reads each field through an
// ordered list of strategies (stable attributes first, then labels, then text next to a known
// label), so one renamed hook or a component moved behind a shadow root costs a strategy, not
// the read.

/**
 * A read plus, per field read, the name of the strategy that found its value. Extra to
 * `LeadRead` (the content script forwards only LeadRead's own fields), for tests and diagnostics.
 */
export type StrategyRead = LeadRead & { via: Partial<Record<LeadField, string>> };

/** An input's or select's value, else the element's rendered text; null for no element. */
export function controlText(el: Element | null | undefined): string | null {
  const tag = el?.localName;
  return tag === 'input' || tag === 'textarea' ? (el as HTMLInputElement).value : tag === 'select' ? ((el as HTMLSelectElement).selectedOptions[0]?.textContent ?? '') : el ? deepText(el) : null;
}
