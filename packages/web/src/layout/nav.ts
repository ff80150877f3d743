import type { Permission } from '@tierline/contract';
import type { MessageKey } from '../i18n/messages';

/**
 * A console page in the navigation (PRODUCT §8), with the permission its data needs. The
 * server enforces the same permissions; the console only hides what would be refused.
 */
export interface NavPage {
  key: string;
  path: string;
  label: MessageKey;
  permission: Permission;
  /**
   * Left out of the navigation of callers holding this permission, who may still open it:
   * dealer users (`portal:read`) keep the portal alone there and reach the page from it.
   */
  hiddenWith?: Permission;
}

/** A group of pages under one heading, e.g. Settings. */
export interface NavGroup {
  key: string;
  path: string;
  label: MessageKey;
  children: readonly NavPage[];
}

export type NavItem = NavPage | NavGroup;

export function isNavGroup(item: NavItem): item is NavGroup {
  return 'children' in item;
}

export const navItems: readonly NavItem[] = [
  { key: 'dashboard', path: '/', label: 'nav.dashboard', permission: 'dealers:read' },
  { key: 'dealers', path: '/dealers', label: 'nav.dealers', permission: 'dealers:read' },
  { key: 'policies', path: '/policies', label: 'nav.policies', permission: 'policies:read' },
  {
    key: 'assessments',
    path: '/assessments',
    label: 'nav.assessments',
    permission: 'assessments:read',
  },
  {
    key: 'resources',
    path: '/resources',
    label: 'nav.resources',
    children: [
      {
        key: 'benefits',
        path: '/resources/benefits',
        label: 'nav.benefits',
        permission: 'resources:read',
      },
      {
        key: 'allocations',
        path: '/resources/allocations',
        label: 'nav.allocations',
        permission: 'resources:read',
      },
      {
        key: 'rebates',
        path: '/resources/rebates',
        label: 'nav.rebates',
        permission: 'resources:read',
      },
      { key: 'funds', path: '/resources/funds', label: 'nav.funds', permission: 'resources:read' },
    ],
  },
  { key: 'alerts', path: '/alerts', label: 'nav.alerts', permission: 'alerts:read' },
  // Under the alerts area (a deep path), for those who configure alerts: channels and the log.
  {
    key: 'notifications',
    path: '/alerts/notifications',
    label: 'nav.notifications',
    permission: 'alerts:configure',
  },
  { key: 'imports', path: '/imports', label: 'nav.imports', permission: 'ingest:write' },
  {
    key: 'ledger',
    path: '/ledger',
    label: 'nav.ledger',
    permission: 'ledger:read',
    hiddenWith: 'portal:read',
  },
  {
    key: 'verify',
    path: '/verify',
    label: 'nav.verify',
    permission: 'ledger:read',
    hiddenWith: 'portal:read',
  },
  { key: 'portal', path: '/portal', label: 'nav.portal', permission: 'portal:read' },
  {
    key: 'settings',
    path: '/settings',
    label: 'nav.settings',
    children: [
      { key: 'users', path: '/settings/users', label: 'nav.users', permission: 'users:manage' },
      { key: 'tokens', path: '/settings/tokens', label: 'nav.tokens', permission: 'tokens:manage' },
      { key: 'audit', path: '/settings/audit', label: 'nav.audit', permission: 'audit:read' },
    ],
  },
];

/** Every page of the navigation, groups flattened. */
export function navPages(items: readonly NavItem[] = navItems): NavPage[] {
  return items.flatMap((item) => (isNavGroup(item) ? [...item.children] : [item]));
}

/** The navigation a caller with these permissions sees; a group with no page left is dropped. */
export function visibleNav(
  permissions: readonly Permission[],
  items: readonly NavItem[] = navItems,
): NavItem[] {
  const granted = new Set(permissions);
  const shown = (page: NavPage) =>
    granted.has(page.permission) &&
    (page.hiddenWith === undefined || !granted.has(page.hiddenWith));
  const visible: NavItem[] = [];
  for (const item of items) {
    if (isNavGroup(item)) {
      const children = item.children.filter(shown);
      if (children.length > 0) visible.push({ ...item, children });
    } else if (shown(item)) {
      visible.push(item);
    }
  }
  return visible;
}

/** The page a path belongs to: `/dealers/42` is in Dealers, `/settings/users` in Users. */
export function navPageOf(pathname: string): NavPage | undefined {
  const segments = pathname.split('/').filter((s) => s !== '');
  const pages = navPages();
  const deep = pages.find(
    (p) => segments.length >= 2 && p.path === `/${segments[0]}/${segments[1]}`,
  );
  return deep ?? pages.find((p) => p.path === `/${segments[0] ?? ''}`);
}

/** The group a path belongs to, for opening it in the navigation. */
export function navGroupOf(pathname: string): NavGroup | undefined {
  const first = pathname.split('/')[1] ?? '';
  return navItems.filter(isNavGroup).find((g) => g.path === `/${first}`);
}

/**
 * Where a caller lands after sign-in or on `/`: the dashboard for staff, the portal for dealer
 * users (who may read their own dealer only), else the first page they may open.
 */
export function homePath(permissions: readonly Permission[]): string {
  if (permissions.includes('dealers:read')) return '/';
  if (permissions.includes('portal:read')) return '/portal';
  return navPages().find((p) => permissions.includes(p.permission))?.path ?? '/';
}

/** Whether these permissions open the page at `pathname`; unknown paths are allowed (404). */
export function mayOpen(pathname: string, permissions: readonly Permission[]): boolean {
  const page = navPageOf(pathname);
  if (page !== undefined) return permissions.includes(page.permission);
  const group = navGroupOf(pathname);
  if (group !== undefined) return group.children.some((p) => permissions.includes(p.permission));
  return true;
}
