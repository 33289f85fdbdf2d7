import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { common } from './common.ts';

/** The languages the interface speaks; every text has both (the component tests check the keys match). */
export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One area's texts: a namespace with the same keys in every language. */
export interface Texts {
  en: Record<string, unknown>;
  de: Record<string, unknown>;
}

const STORAGE_KEY = 'lessor.language';

function initialLanguage(): Language {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'de') return stored;
  const browser = typeof navigator === 'undefined' ? 'en' : navigator.language.split('-')[0];
  return browser === 'de' ? 'de' : 'en';
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  lng: initialLanguage(),
  fallbackLng: 'en',
  defaultNS: 'common',
  ns: ['common'],
  resources: { en: { common: common.en }, de: { common: common.de } },
  interpolation: { escapeValue: false }, // React escapes
  showSupportNotice: false,
  initImmediate: false,
});

/** Adds an area's texts as the namespace `name` (each area registers its own at import). */
export function addTexts(name: string, texts: Texts): void {
  for (const language of LANGUAGES) i18n.addResourceBundle(language, name, texts[language], true, true);
}

export function setLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  void i18n.changeLanguage(language);
}
