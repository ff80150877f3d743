import { Segmented } from 'antd';
import { useI18n } from '../i18n/locale';
import { isLocale } from '../i18n/messages';

/** 中文 | English; the choice is kept in this browser. */
export function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <Segmented
      size="small"
      aria-label={t('app.language')}
      data-testid="language-switch"
      value={locale}
      onChange={(value) => {
        if (isLocale(value)) setLocale(value);
      }}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'English', value: 'en-US' },
      ]}
    />
  );
}
