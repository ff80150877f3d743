import type { Role } from '@tierline/contract';
import type { MessageKey } from '../i18n/messages';

export const roles = [
  'admin',
  'channel_manager',
  'analyst',
  'dealer',
] as const satisfies readonly Role[];

/** What each role may do, in one line for the role picker. */
export const roleHints: Record<Role, MessageKey> = {
  admin: 'role.admin.hint',
  channel_manager: 'role.channel_manager.hint',
  analyst: 'role.analyst.hint',
  dealer: 'role.dealer.hint',
};

export const roleColors: Record<Role, string> = {
  admin: 'geekblue',
  channel_manager: 'cyan',
  analyst: 'purple',
  dealer: 'gold',
};
