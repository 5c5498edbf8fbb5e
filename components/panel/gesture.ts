import type { SyntheticEvent } from 'react';

/**
 * True only for a real user gesture. The panel lives in a cross-origin extension frame that
 * page scripts cannot reach, but a decision is still refused unless the browser says a person
 * produced the event (defence in depth against synthetic clicks).
 */
export function isUserGesture(event: SyntheticEvent): boolean {
  return event.nativeEvent.isTrusted;
}
