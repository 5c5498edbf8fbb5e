/**
 * The one tooltip of every list badge (WCAG 1.4.13): shown while a badge is hovered or has
 * keyboard focus, hoverable itself (it touches its badge), dismissed with Escape, referenced by
 * each badge's `aria-describedby` so a screen reader reads it with the badge. One element for the
 * whole list, made on first use; the listeners are the document's, so thousands of badges add
 * none. `text` gives a badge's tooltip (lines separated by `\n`), worded by the worker.
 */
export function createListTip(doc: Document, badgeAttr: string, signal: AbortSignal, text: (badge: HTMLElement) => string | undefined): { id: string; update(): void } {
  const tip = doc.createElement('div');
  tip.id = 'sal-bridge-list-tip';
  tip.role = 'tooltip';
  let shown: HTMLElement | null = null;

  const hide = () => {
    shown = null;
    tip.remove();
  };
  const show = (badge: HTMLElement) => {
    // read the badge's place before writing anything
    const r = badge.getBoundingClientRect();
    shown = badge;
    tip.textContent = text(badge) ?? badge.textContent;
    // above the badge, touching it (a CRM's list rows are never at the top of the window: its
    // header is); the rest of its looks are the worker's stylesheet (`listCss`)
    tip.style.cssText = `left:${r.left}px;bottom:${innerHeight - r.top}px`;
    // beside <body>, out of the list's observer's sight: showing a tooltip is no change to the list
    doc.documentElement.append(tip);
  };
  const inside = (node: unknown) => node instanceof Node && (tip.contains(node) || !!shown?.contains(node));
  const on = <K extends keyof DocumentEventMap>(type: K, listener: (e: DocumentEventMap[K]) => void) => doc.addEventListener(type, listener, { capture: true, passive: true, signal });

  const enter = (e: Event) => {
    const badge = (e.target as Element).closest?.<HTMLElement>(`[${badgeAttr}]`);
    if (badge && badge !== shown) show(badge);
  };
  on('mouseover', enter);
  on('focusin', enter);
  // leaving the badge or the tooltip for anything but the other one
  on('mouseout', (e) => inside(e.target) && !inside(e.relatedTarget) && hide());
  on('focusout', (e) => e.target === shown && hide());
  on('keydown', (e) => e.key === 'Escape' && hide());
  signal.addEventListener('abort', hide);
  return {
    id: tip.id,
    update: () => {
      if (shown) tip.textContent = text(shown) ?? shown.textContent;
    },
  };
}
