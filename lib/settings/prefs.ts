import { z } from 'zod';
import type { SalDatabase } from '../db/schema';
import { defineKvItem, readKv } from '../db/kv';
import { detectLang, type Lang } from '../i18n';

export const PrefsSchema = z.object({ lang: z.enum(['auto', 'ja', 'en']).default('auto') });
export type Prefs = z.infer<typeof PrefsSchema>;
export const prefsKv = defineKvItem('prefs', PrefsSchema, { lang: 'auto' });

/** The UI language: the user's choice in options, else from the browser's languages. */
export async function resolveLang(db: SalDatabase, browserLanguages: readonly string[]): Promise<Lang> {
  const prefs = await readKv(db, prefsKv);
  return prefs.lang === 'auto' ? detectLang(browserLanguages) : prefs.lang;
}
