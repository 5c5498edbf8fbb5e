import { browser } from 'wxt/browser';
import type { RequestInputOf, RequestType, ResponseMap } from './protocol';

/**
 * Sends a typed request to the background. Used by content scripts and extension pages; the
 * background validates every request, so this side only needs the types (no zod here).
 */
export function sendRequest<T extends RequestType>(request: RequestInputOf<T>): Promise<ResponseMap[T]> {
  return browser.runtime.sendMessage(request) as Promise<ResponseMap[T]>;
}
