import { z } from 'zod';
import type { SalDatabase } from '../db/schema';
import { readKv } from '../db/kv';
import { detectLang, type Lang } from '../i18n';

export const PrefsSchema = z.object({ lang: z.enum(['auto', 'ja', 'en']).default('auto') });
export type Prefs = z.infer<typeof PrefsSchema>;
export const PREFS_KV_KEY = 'prefs';

/** The UI language: the user's choice in options, else from the browser's languages. */
export async function resolveLang(db: SalDatabase, browserLanguages: readonly string[]): Promise<Lang> {
  const prefs = await readKv(db, PREFS_KV_KEY, PrefsSchema, { lang: 'auto' });
  return prefs.lang === 'auto' ? detectLang(browserLanguages) : prefs.lang;
}
