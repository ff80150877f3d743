import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { channelTypeName } from './channel-types';
import { isLocale, translate, type Locale, type MessageKey } from './messages';
import { theme } from '../layout/theme';

const storageKey = 'tierline.locale';

/** The language chosen earlier on this browser, else zh-CN. */
export function storedLocale(): Locale {
  try {
    const value = window.localStorage.getItem(storageKey);
    return isLocale(value) ? value : 'zh-CN';
  } catch {
    // Storage can be disabled (private mode, strict cookie settings): fall back quietly.
    return 'zh-CN';
  }
}

export interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: (key: MessageKey, vars?: Readonly<Record<string, string | number>>) => string;
  /** Display name of a dealer channel type code. */
  channelType: (code: string) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(storedLocale);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      window.localStorage.setItem(storageKey, next);
    } catch {
      // Not persisted; the choice still holds for this page.
    }
  }, []);

  // dayjs must switch before children render dates with the new locale.
  dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = translate(locale, 'app.name');
  }, [locale]);

  const value = useMemo<I18n>(
    () => ({
      locale,
      setLocale,
      t: (key, vars) => translate(locale, key, vars),
      channelType: (code) => channelTypeName(locale, code),
    }),
    [locale, setLocale],
  );

  return (
    <I18nContext.Provider value={value}>
      <ConfigProvider locale={locale === 'zh-CN' ? zhCN : enUS} theme={theme}>
        {/* AntApp gives message and modal the theme and locale (App.useApp). */}
        <AntApp>{children}</AntApp>
      </ConfigProvider>
    </I18nContext.Provider>
  );
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (value === null) throw new Error('useI18n needs a LocaleProvider above it');
  return value;
}
