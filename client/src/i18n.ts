import i18n from 'i18next';
import { josa } from 'es-hangul';
import { initReactI18next } from 'react-i18next';
import { en } from './locales/en';
import { ko } from './locales/ko';

const LANG_KEY = 'ww.lang';

function initialLanguage(): 'ko' | 'en' {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'ko';
  } catch {
    return 'ko';
  }
}

type JosaOption = Parameters<typeof josa.pick>[1];

void i18n.use(initReactI18next).init({
  resources: { ko: { translation: ko }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: 'ko',
  interpolation: { escapeValue: false },
});

// `{{title, josa(p: 을/를)}}` gives the particle that fits the word (es-hangul): '‘비 소식’을', '‘맑음’을'.
i18n.services.formatter?.add('josa', (value: unknown, _lng: string | undefined, options: { p?: string }) =>
  josa.pick(String(value ?? ''), (options.p ?? '이/가') as JosaOption),
);

if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;

i18n.on('languageChanged', (lng) => {
  try {
    localStorage.setItem(LANG_KEY, lng);
  } catch {
    /* private mode */
  }
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
});

export default i18n;
