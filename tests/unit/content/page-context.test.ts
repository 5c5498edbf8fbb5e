// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createPageContext } from '../../../lib/content/page-context';

type Listener = (event: { destination: { url: string } }) => void;

/** A stand-in for the Navigation API: jsdom has none. */
function fakeNavigation() {
  const listeners: Array<{ cb: Listener; signal: AbortSignal }> = [];
  return {
    addEventListener: (_type: 'navigate', cb: Listener, options: { signal: AbortSignal }) => void listeners.push({ cb, signal: options.signal }),
    navigate: (url: string) => listeners.filter((l) => !l.signal.aborted).forEach((l) => l.cb({ destination: { url } })),
  };
}

describe('the content script page context', () => {
  const start = location.href;
  let runtimeId: PropertyDescriptor | undefined;
  beforeEach(() => {
    runtimeId = Object.getOwnPropertyDescriptor(fakeBrowser.runtime, 'id');
  });
  afterEach(() => {
    if (runtimeId) Object.defineProperty(fakeBrowser.runtime, 'id', runtimeId);
    delete (globalThis as { navigation?: unknown }).navigation;
    history.replaceState(null, '', start);
    vi.useRealTimers();
  });

  it('reports each new URL from the Navigation API, once per URL', () => {
    const navigation = fakeNavigation();
    (globalThis as { navigation?: unknown }).navigation = navigation;
    const ctx = createPageContext();
    const seen: string[] = [];
    ctx.onLocationChange((url) => seen.push(url.pathname));
    navigation.navigate(new URL('/lead/2', location.href).href);
    navigation.navigate(new URL('/lead/2', location.href).href);
    navigation.navigate(new URL('/lead/3', location.href).href);
    expect(seen).toEqual(['/lead/2', '/lead/3']);
    expect(ctx.signal.aborted).toBe(false);
  });

  it('polls the URL once a second where there is no Navigation API', () => {
    vi.useFakeTimers();
    const ctx = createPageContext();
    const seen: string[] = [];
    ctx.onLocationChange((url) => seen.push(url.pathname));
    history.pushState(null, '', '/lead/9');
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual(['/lead/9']);
  });

  it('stops an orphaned copy (its extension updated or removed) at the next navigation', () => {
    const navigation = fakeNavigation();
    (globalThis as { navigation?: unknown }).navigation = navigation;
    const ctx = createPageContext();
    const seen: string[] = [];
    const invalidated = vi.fn();
    ctx.onLocationChange((url) => seen.push(url.pathname));
    ctx.onInvalidated(invalidated);
    Object.defineProperty(fakeBrowser.runtime, 'id', { value: undefined, configurable: true });
    navigation.navigate(new URL('/lead/4', location.href).href);
    expect(seen).toEqual([]);
    expect(invalidated).toHaveBeenCalledOnce();
    expect(ctx.signal.aborted).toBe(true);
    // nothing more after that
    navigation.navigate(new URL('/lead/5', location.href).href);
    expect(seen).toEqual([]);
  });
});
