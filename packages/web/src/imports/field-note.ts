import type { Locale } from '../i18n/messages';

/**
 * What to put in a field's column, in the console's language: the server sends each field's
 * note in English (`note`) and in Chinese (`noteZh`).
 */
export function fieldNote(
  field: { readonly note: string; readonly noteZh: string },
  locale: Locale,
): string {
  switch (locale) {
    case 'zh-CN':
      return field.noteZh;
    case 'en-US':
      return field.note;
  }
}
