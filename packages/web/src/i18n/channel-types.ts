import type { Locale } from './messages';

/**
 * Names of the channel types Tierline knows (the demo channel uses these codes). A tenant's
 * own channel types are free text and are shown as they are.
 */
const names: Record<Locale, Readonly<Record<string, string>>> = {
  'zh-CN': {
    catering: '餐饮',
    community_group: '社区团购',
    convenience: '便利店',
    ecommerce: '电商',
    modern_trade: '现代渠道（商超）',
    wholesale: '批发',
    retail: '零售',
  },
  'en-US': {
    catering: 'Catering',
    community_group: 'Community group buying',
    convenience: 'Convenience stores',
    ecommerce: 'E-commerce',
    modern_trade: 'Modern trade',
    wholesale: 'Wholesale',
    retail: 'Retail',
  },
};

/** Display name of a channel type: the translation of a known code, else the text itself. */
export function channelTypeName(locale: Locale, channelType: string): string {
  return Object.hasOwn(names[locale], channelType)
    ? (names[locale][channelType] ?? channelType)
    : channelType;
}
