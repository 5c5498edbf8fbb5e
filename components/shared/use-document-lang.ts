import { useEffect } from 'react';
import type { Lang } from '../../lib/i18n';

/**
 * Keeps `<html lang>` on the UI language, so a screen reader speaks English text with an
 * English voice when the rep chose English (the HTML files ship `lang="ja"`, the default).
 */
export function useDocumentLang(lang: Lang): void {
  useEffect(() => {
    document.documentElement.setAttribute('lang', lang);
  }, [lang]);
}
