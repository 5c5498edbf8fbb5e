import { useMemo } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { getDb, readKv } from '../../lib/db';
import { createTranslator, detectLang, type Lang, type Translate } from '../../lib/i18n';
import { prefsKv } from '../../lib/settings/prefs';
import { useDocumentLang } from './use-document-lang';

/** The UI language (options override, else the browser's) and its translator, live; `<html lang>` follows it. */
export function useI18n(): { lang: Lang; t: Translate } {
  const fallback = detectLang(navigator.languages);
  const lang = useLiveQuery(
    async () => {
      const prefs = await readKv(getDb(), prefsKv);
      return prefs.lang === 'auto' ? fallback : prefs.lang;
    },
    [],
    fallback,
  );
  const t = useMemo(() => createTranslator(lang), [lang]);
  useDocumentLang(lang);
  return { lang, t };
}
