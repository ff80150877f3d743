import type { Permission, Role } from '@tierline/contract';
import { describe, expect, it } from 'vitest';
import { homePath, isNavGroup, mayOpen, navPageOf, visibleNav, type NavItem } from './nav';

// The role → permission table of the API (PRODUCT "Users"); the server sends it in SessionInfo.
const permissionsOf: Record<Role, Permission[]> = {
  admin: [
    'tenant:read',
    'dealers:read',
    'master:read',
    'users:manage',
    'tokens:manage',
    'audit:read',
    'ingest:write',
    'policies:read',
    'policies:write',
    'assessments:read',
    'assessments:run',
    'assessments:override',
    'assessments:approve',
    'simulations:run',
    'ledger:read',
    'resources:read',
    'resources:manage',
    'mdf:request',
    'mdf:decide',
    'alerts:read',
    'alerts:manage',
    'alerts:configure',
  ],
  channel_manager: [
    'tenant:read',
    'dealers:read',
    'master:read',
    'policies:read',
    'assessments:read',
    'assessments:run',
    'assessments:override',
    'ledger:read',
    'resources:read',
    'mdf:request',
    'mdf:decide',
    'alerts:read',
    'alerts:manage',
  ],
  analyst: [
    'tenant:read',
    'dealers:read',
    'master:read',
    'policies:read',
    'assessments:read',
    'simulations:run',
    'ledger:read',
    'resources:read',
    'alerts:read',
  ],
  dealer: ['tenant:read', 'portal:read', 'ledger:read', 'mdf:request'],
};

function keys(items: readonly NavItem[]): string[] {
  return items.flatMap((item) =>
    isNavGroup(item) ? [item.key, ...item.children.map((c) => `${item.key}/${c.key}`)] : [item.key],
  );
}

describe('navigation per role', () => {
  it('shows an admin every staff section and the whole Settings group', () => {
    expect(keys(visibleNav(permissionsOf.admin))).toEqual([
      'dashboard',
      'dealers',
      'policies',
      'assessments',
      'resources',
      'resources/benefits',
      'resources/allocations',
      'resources/rebates',
      'resources/funds',
      'alerts',
      'notifications',
      'imports',
      'ledger',
      'verify',
      'settings',
      'settings/users',
      'settings/tokens',
      'settings/audit',
    ]);
  });

  it('hides Settings and imports from channel managers and analysts', () => {
    for (const role of ['channel_manager', 'analyst'] as const) {
      const visible = keys(visibleNav(permissionsOf[role]));
      expect(visible).toContain('dealers');
      expect(visible).not.toContain('settings');
      expect(visible).not.toContain('imports');
      expect(visible).not.toContain('portal');
    }
  });

  it('shows policies and assessments to every staff role, and only to those who may read them', () => {
    for (const role of ['admin', 'channel_manager', 'analyst'] as const) {
      const visible = keys(visibleNav(permissionsOf[role]));
      expect(visible).toContain('policies');
      expect(visible).toContain('assessments');
    }
    // An API token with read scope has dealers:read but no policies: no empty section.
    expect(keys(visibleNav(['tenant:read', 'dealers:read', 'master:read']))).not.toContain(
      'policies',
    );
    expect(mayOpen('/assessments/12', ['dealers:read'])).toBe(false);
    expect(mayOpen('/assessments/12', permissionsOf.analyst)).toBe(true);
    expect(mayOpen('/policies/default', permissionsOf.channel_manager)).toBe(true);
  });

  it('shows a dealer user the portal and nothing of the staff console', () => {
    expect(keys(visibleNav(permissionsOf.dealer))).toEqual(['portal']);
  });

  it('shows the ledger and its verification to every staff role', () => {
    for (const role of ['admin', 'channel_manager', 'analyst'] as const) {
      const visible = keys(visibleNav(permissionsOf[role]));
      expect(visible).toContain('ledger');
      expect(visible).toContain('verify');
    }
  });

  it('shows the alert board to every staff role and notifications only to those who configure alerts', () => {
    for (const role of ['admin', 'channel_manager', 'analyst'] as const) {
      expect(keys(visibleNav(permissionsOf[role]))).toContain('alerts');
    }
    for (const role of ['channel_manager', 'analyst', 'dealer'] as const) {
      expect(keys(visibleNav(permissionsOf[role]))).not.toContain('notifications');
      expect(mayOpen('/alerts/notifications', permissionsOf[role])).toBe(false);
    }
    expect(mayOpen('/alerts/notifications', permissionsOf.admin)).toBe(true);
    // The rest of the alerts area stays open to readers.
    expect(mayOpen('/alerts/42', permissionsOf.analyst)).toBe(true);
    expect(mayOpen('/alerts/rules', permissionsOf.channel_manager)).toBe(true);
  });

  it('keeps a group with only the pages granted', () => {
    expect(keys(visibleNav(['audit:read']))).toEqual(['settings', 'settings/audit']);
  });
});

describe('which page a path belongs to', () => {
  it.each([
    ['/', 'dashboard'],
    ['/dealers', 'dealers'],
    ['/dealers/42', 'dealers'],
    ['/policies/default', 'policies'],
    ['/assessments/12', 'assessments'],
    ['/settings/users', 'users'],
    ['/settings/audit', 'audit'],
    ['/portal', 'portal'],
    ['/ledger', 'ledger'],
    ['/verify', 'verify'],
    ['/alerts', 'alerts'],
    ['/alerts/42', 'alerts'],
    ['/alerts/rules', 'alerts'],
    ['/alerts/notifications', 'notifications'],
  ])('%s is in %s', (path, key) => {
    expect(navPageOf(path)?.key).toBe(key);
  });

  it('knows no page for an unknown path', () => {
    expect(navPageOf('/nowhere')).toBeUndefined();
  });
});

describe('access to a path', () => {
  it('lets dealer users open the portal only', () => {
    expect(mayOpen('/portal', permissionsOf.dealer)).toBe(true);
    expect(mayOpen('/dealers', permissionsOf.dealer)).toBe(false);
    expect(mayOpen('/', permissionsOf.dealer)).toBe(false);
    expect(mayOpen('/settings/users', permissionsOf.dealer)).toBe(false);
  });

  it('lets dealer users verify from the portal without the pages in their navigation', () => {
    expect(mayOpen('/verify', permissionsOf.dealer)).toBe(true);
    expect(mayOpen('/verify', ['tenant:read', 'dealers:read'])).toBe(false);
  });

  it('keeps analysts out of user, token and audit management', () => {
    for (const path of ['/settings', '/settings/users', '/settings/tokens', '/settings/audit']) {
      expect(mayOpen(path, permissionsOf.analyst)).toBe(false);
    }
    expect(mayOpen('/settings/audit', permissionsOf.admin)).toBe(true);
  });

  it('homes staff on the dashboard and dealer users on the portal', () => {
    expect(homePath(permissionsOf.analyst)).toBe('/');
    expect(homePath(permissionsOf.dealer)).toBe('/portal');
  });
});
