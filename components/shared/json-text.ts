import type { z } from 'zod';

/**
 * Text an admin typed into a JSON editor (a configured CRM, an adapter description), read as
 * `schema` says: the value, or every problem with where it is (`path: message`), never only the
 * first. `jsonError` words a text that is not JSON at all.
 */
export function parseJsonText<S extends z.ZodType>(text: string, schema: S, jsonError: (detail: string) => string): { ok: true; value: z.infer<S> } | { ok: false; errors: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [jsonError(error instanceof Error ? error.message : String(error))] };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
  return { ok: true, value: parsed.data };
}
