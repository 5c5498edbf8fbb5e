import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';

/**
 * Whether the page is being printed: true from the window's `beforeprint` to its `afterprint`,
 * whether printing started from the page's button or the browser's menu (Ctrl+P). The browser
 * lays out the printout right after `beforeprint`, so the state is rendered synchronously there
 * (`flushSync`): whatever the page draws for printing is in the DOM before the printout is made.
 */
export function usePrinting(win: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): boolean {
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    const before = () => flushSync(() => setPrinting(true));
    const after = () => setPrinting(false);
    win.addEventListener('beforeprint', before);
    win.addEventListener('afterprint', after);
    return () => {
      win.removeEventListener('beforeprint', before);
      win.removeEventListener('afterprint', after);
    };
  }, [win]);
  return printing;
}
