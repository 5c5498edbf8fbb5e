/**
 * Resolves with the first non-null result of `find`, checked now and after DOM mutations
 * (coalesced to one check per animation-free microtask burst), or null on timeout/abort.
 * The observer is disconnected as soon as the wait ends, so nothing watches the page afterwards.
 * `characterData`: also re-check when text changes in place (a header re-rendered by a framework).
 */
export function waitFor<T>(find: () => T | null, options: { root: Node; timeoutMs: number; signal: AbortSignal; characterData?: boolean }): Promise<T | null> {
  const first = find();
  if (first !== null || options.signal.aborted) return Promise.resolve(first);
  return new Promise((resolve) => {
    let scheduled = false;
    const finish = (value: T | null) => {
      observer.disconnect();
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = () => finish(null);
    const observer = new MutationObserver(() => {
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        const found = find();
        if (found !== null) finish(found);
      });
    });
    observer.observe(options.root, { childList: true, subtree: true, characterData: options.characterData ?? false });
    const timer = setTimeout(() => finish(find()), options.timeoutMs);
    options.signal.addEventListener('abort', onAbort);
  });
}
