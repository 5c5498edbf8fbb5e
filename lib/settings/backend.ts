import { z } from 'zod';
import { defineKvItem } from '../db/kv';

/**
 * Where decisions are synced. `local` keeps everything in this browser (no server).
 * The token is stored in the extension's IndexedDB (see lib/db), which content scripts cannot
 * reach (chrome.storage.local would be readable from them).
 */
export const BackendConfigSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('local') }),
  z.object({
    mode: z.literal('server'),
    url: z.string().url(),
    /** The bearer of every request: a pasted token, or the access token of a signed-in session. */
    token: z.string().min(1).max(500),
    /**
     * A session from signing in (single sign-on or an invitation): the refresh token that buys the
     * next access token when this one expires (lib/sync/session.ts), and the member it is for.
     * Absent for a pasted token.
     */
    session: z
      .object({
        refreshToken: z.string().min(1).max(500),
        accessExpiresAt: z.string(),
        userId: z.string(),
        method: z.enum(['oidc', 'invite']),
      })
      .optional(),
  }),
]);
export type BackendConfig = z.infer<typeof BackendConfigSchema>;

/** The saved backend; null until the user saves one (then the extension works locally). */
export const backendKv = defineKvItem('backend', BackendConfigSchema.nullable(), null);
/** Where a browser that never saved a backend keeps its decisions. */
export const LOCAL_BACKEND: BackendConfig = { mode: 'local' };

/**
 * Normalises and checks a backend URL typed by a user: https, or plain http only for localhost
 * (a token must never travel in clear text over a network).
 * @returns the URL without trailing slash, or an error code for the UI.
 */
export function normaliseBackendUrl(input: string): { ok: true; url: string } | { ok: false; error: 'invalid_url' | 'insecure_url' } {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { ok: false, error: 'invalid_url' };
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) return { ok: false, error: 'insecure_url' };
  if (url.username || url.password) return { ok: false, error: 'invalid_url' };
  return { ok: true, url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/** The match pattern for the runtime host permission of a backend URL (its origin only). */
export function originPattern(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}/*`;
}
