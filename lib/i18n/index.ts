import ja from './locales/ja.json';
import en from './locales/en.json';

export type Lang = 'ja' | 'en';
export type MessageKey = keyof typeof ja;
const catalogs: Record<Lang, Record<MessageKey, string>> = { ja, en };

/** Japanese unless the browser prefers English (Japanese companies are our first users). */
export function detectLang(languages: readonly string[]): Lang {
  for (const l of languages) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'ja') return 'ja';
    if (base === 'en') return 'en';
  }
  return 'ja';
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A translator for one language; `{name}` placeholders are replaced from `params`. */
export function createTranslator(lang: Lang): Translate {
  const catalog = catalogs[lang];
  return (key, params) => {
    const text = catalog[key] ?? catalogs.ja[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

/** Label for a reject reason code; codes the team configured with their own labels pass them in. */
export function reasonLabel(t: Translate, code: string, custom?: { ja: string; en: string }, lang: Lang = 'ja'): string {
  if (custom) return custom[lang];
  const key = `reason.${code}` as MessageKey;
  const text = t(key);
  return text === key ? code : text;
}
