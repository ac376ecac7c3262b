import { html, useEffect, useMemo, useState } from '/web/vendor/preact-htm.mjs';

// Languages for the buyer pages: the visitor's choice (kept in localStorage), else the browser's language.
export const LANGUAGES = { 'zh-CN': '中文', en: 'English' };
const KEY = 'ordo.lang';

export function initialLanguage() {
  const chosen = localStorage.getItem(KEY);
  if (chosen && chosen in LANGUAGES) return chosen;
  return (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** `t('key', {name})` from a dictionary {lang: {key: 'text with {name}'}}; English fills gaps, then the key itself. */
export function translator(dictionary, lang) {
  return (key, vars = {}) =>
    (dictionary[lang]?.[key] ?? dictionary.en?.[key] ?? key).replace(/\{(\w+)\}/g, (_, name) =>
      String(vars[name] ?? ''),
    );
}

/** The page's language state: { lang, setLang, t }; keeps <html lang> in step so fonts pick the right glyphs. */
export function useLanguage(dictionary) {
  const [lang, setLang] = useState(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const t = useMemo(() => translator(dictionary, lang), [dictionary, lang]);
  const choose = (next) => {
    localStorage.setItem(KEY, next);
    setLang(next);
  };
  return { lang, setLang: choose, t };
}

/** A one-tap switch to the other language, labelled in that language. */
export function LanguageSwitch({ lang, setLang }) {
  const other = lang === 'en' ? 'zh-CN' : 'en';
  return html`<button type="button" class="lang-switch" lang=${other} data-lang=${other} onClick=${() => setLang(other)}>${LANGUAGES[other]}</button>`;
}
