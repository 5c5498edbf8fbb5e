import { useCallback, useEffect, useRef, type RefObject } from 'react';

/** The first field of a form a rep fills in: the checked radio of a group, else the first control. */
export function firstField(root: ParentNode): HTMLElement | null {
  return root.querySelector<HTMLElement>(
    'input[type="radio"]:checked, input:not([type="radio"]):not([type="hidden"]):not(:disabled), select:not(:disabled), textarea:not(:disabled), button:not(:disabled)',
  );
}

/**
 * Keeps keyboard focus inside `container` once the rep is working there: when the focused
 * control disappears (受領 replaced by the accepted layout, a form closed, a button disabled
 * while saving), focus goes to `fallback()` (the lead's new status, an error) instead of
 * dropping to `<body>`, where a screen reader goes silent and Tab restarts from the top.
 * It never takes focus the rep did not give the panel: a click outside a control, or focus
 * leaving the frame (back to the CRM page), ends the watch until a control is focused again.
 */
export function useFocusKeeper(container: RefObject<HTMLElement | null>, fallback: () => HTMLElement | null): void {
  const watching = useRef(false);
  const fallbackRef = useRef(fallback);
  useEffect(() => {
    fallbackRef.current = fallback;
  });

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const win = el.ownerDocument.defaultView;
    const onIn = () => {
      watching.current = true;
    };
    const onOut = (e: FocusEvent) => {
      const next = e.relatedTarget as Node | null;
      if (next && !el.contains(next)) watching.current = false;
      // no next element: removed or disabled under focus, or the frame lost focus (then blur ends the watch first)
      else if (!next) setTimeout(() => rescueFocus(el, watching.current, fallbackRef.current), 0);
    };
    const stop = () => {
      watching.current = false;
    };
    el.addEventListener('focusin', onIn);
    el.addEventListener('focusout', onOut);
    win?.addEventListener('blur', stop);
    el.ownerDocument.addEventListener('pointerdown', stop, true);
    return () => {
      el.removeEventListener('focusin', onIn);
      el.removeEventListener('focusout', onOut);
      win?.removeEventListener('blur', stop);
      el.ownerDocument.removeEventListener('pointerdown', stop, true);
    };
  }, [container]);

  // after every render: React may just have removed the focused control
  useEffect(() => {
    if (container.current) rescueFocus(container.current, watching.current, fallbackRef.current);
  });
}

function rescueFocus(el: HTMLElement, watching: boolean, fallback: () => HTMLElement | null): void {
  if (!watching) return;
  const active = el.ownerDocument.activeElement;
  if (active && active !== el.ownerDocument.body) return;
  fallback()?.focus();
}

/**
 * Focus for a control that opens a form: `open()` before showing the form, then the form's
 * `ref` focuses its first field when it mounts; `close()` hides it and gives focus back to the
 * control that opened it (`returnRef`), so the rep continues where they were.
 */
export function useDisclosureFocus<T extends HTMLElement>() {
  const returnRef = useRef<T | null>(null);
  const pending = useRef<'field' | 'return' | null>(null);
  /** Ref for the form: its first field gets focus when it was opened after `opening()`. */
  const formRef = useCallback((form: HTMLElement | null) => {
    if (form && pending.current === 'field') {
      pending.current = null;
      firstField(form)?.focus();
    }
  }, []);
  /** Ref for the opener (or call it with the opener): it gets focus back after `closing()`. */
  const returnTo = useCallback((el: T | null) => {
    returnRef.current = el;
    if (el && pending.current === 'return') {
      pending.current = null;
      el.focus();
    }
  }, []);
  const opening = useCallback(() => {
    pending.current = 'field';
  }, []);
  const closing = useCallback(() => {
    pending.current = 'return';
    // the opener may still be mounted (a toggle button): focus it after React re-renders
    setTimeout(() => {
      if (pending.current === 'return' && returnRef.current?.isConnected) {
        pending.current = null;
        returnRef.current.focus();
      }
    }, 0);
  }, []);
  return { formRef, returnTo, opening, closing };
}
