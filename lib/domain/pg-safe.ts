import { z } from 'zod';

// Kept apart from `events.ts` (which re-exports both) so `lead-key.ts` can use them without an import cycle.

// A lone surrogate half, either a high one not followed by a low one or a low one not preceded by a high one.
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether PostgreSQL can store `s` as `text` or inside `jsonb`: it refuses U+0000 and a UTF-16
 * surrogate half without its partner (what a reader clipping at 500 UTF-16 units makes of an emoji).
 */
export function isPgSafeText(s: string): boolean {
  return !s.includes('\u0000') && !UNPAIRED_SURROGATE.test(s);
}

/**
 * A string schema that refuses what PostgreSQL would refuse (see `isPgSafeText`). Every string
 * that enters through the wire contract (events, hand-offs, definitions) is built from it, so one
 * bad value is refused on its own instead of failing the database write of a whole batch.
 */
export const pgSafeString = () => z.string().refine(isPgSafeText, { message: 'contains U+0000 or an unpaired UTF-16 surrogate' });
